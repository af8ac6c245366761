import { SECTIONS } from '../../schema/editions.ts';
import type { Rule } from '../types.ts';
import { reportPosition } from '../util.ts';

export default {
  meta: {
    id: 'missing-section', severity: 'warning', basis: 'law',
    description: 'One of the six sections is absent (no heading for it)',
    descriptionZh: '缺少六部分之一（无相应标题）',
    docs: '条例 第五十条 lists what a report contains, and both templates lay it out as six sections in order: 一、总体情况 · 二、主动公开政府信息情况 · 三、收到和处理政府信息公开申请情况 · 四、政府信息公开行政复议、行政诉讼情况 · 五、存在的主要问题及改进情况 · 六、其他需要报告的事项. A section whose heading is absent is reported; when its table is there (sections 二–四), the message says so — the content exists but the heading was left out. In a file cut off before its end, the sections after the cut are not reported (missing-table says the file is cut off). Not claimed: that the content is missing when only its heading is (the message says whether the section\'s table is there).',
  },
  check(report, emit) {
    const present = new Set([...report.sections.map((s) => s.number), ...report.outline.map((o) => o.topic)]);
    const tableOf: Record<number, 't2' | 't3' | 't4'> = { 2: 't2', 3: 't3', 4: 't4' };
    // a file cut off (a truncated download) lacks what comes after the cut: missing-table says so once
    const cutAfter = report.notes.some((n) => n.code === 'truncated') ? Math.max(0, ...[...present].filter((n): n is number => n !== null)) : Infinity;
    for (const s of SECTIONS) {
      if (present.has(s.number) || s.number > cutAfter) continue;
      const t = tableOf[s.number];
      const hasTable = t ? report.tables[t].found : false;
      emit({
        message: `缺少第${s.numeral}部分“${s.title}”${hasTable ? '的标题（其表格存在）' : ''}`,
        messageEn: `section ${s.numeral} (${s.title}) is missing${hasTable ? ' its heading (its table is there)' : ''}`,
        keys: [], positions: (t && report.tables[t].position ? [report.tables[t].position!] : reportPosition(report)), fault: 'publisher',
      });
    }
  },
} satisfies Rule;
