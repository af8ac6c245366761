import type { Rule } from '../types.ts';
import { reportPosition } from '../util.ts';

export default {
  meta: {
    id: 'late-publication', severity: 'warning', basis: 'law',
    description: 'Published after the legal deadline: 31 January for a department, 31 March for a government\'s own report',
    descriptionZh: '晚于法定期限发布：部门为次年1月31日，县级以上人民政府本级为次年3月31日',
    docs: '条例 第四十九条: each department of a government at county level or above publishes its report for the year by 31 January of the next; the disclosure office of each county-or-higher local government publishes that government\'s own report by 31 March. The body\'s kind is told from its name (平凉市崆峒区 → a government; 鞍山市人力资源和社会保障局 → a department). Silent when the page gives no date, the body\'s kind cannot be told, or it is a township. The date is the page\'s (发布时间, 生成日期) or, failing that, the one under the signature, as the message says. Not claimed: lateness where the page gives no date (the finding needs a date printed or published with the report).',
  },
  check(report, emit) {
    const { year, published, bodyKind, level, publishedFrom } = report.meta;
    if (!year || !published || !bodyKind || level === 'township') return;
    const deadline = `${year + 1}-${bodyKind === 'government' ? '03-31' : '01-31'}`;
    if (published <= deadline) return;
    const who = bodyKind === 'government' ? '政府本级报告' : '部门报告';
    const from = publishedFrom === 'signature' ? '落款日期' : '发布日期';
    emit({
      message: `${who}应于 ${deadline} 前发布，${from}为 ${published}`,
      messageEn: `a ${bodyKind}'s report is due by ${deadline}; ${publishedFrom === 'signature' ? 'signed' : 'published'} ${published}`,
      keys: [], positions: reportPosition(report), expected: `≤ ${deadline}`, actual: published, fault: 'publisher',
    });
  },
} satisfies Rule;
