import type { Rule } from '../types.ts';
import { noteFindings } from '../util.ts';

export default {
  meta: {
    id: 'label-variant', severity: 'info', basis: 'reading',
    description: 'A row or column label differs from the template\'s wording; shows what was matched to what',
    descriptionZh: '行列标签与模板用语不同，显示其被对应到的模板项',
    docs: 'Real reports vary the template\'s labels (本年度止件数 for 本年废止件数, 人民政府集中采购 for 政府集中采购, 规范性文件 in a 2021 table). gongkai matches them to the template and says so here, so that a reviewer can confirm the match — and the publisher can restore the official wording. Not claimed: an error — a note of how a label that differs from the template was read.',
  },
  check(report, emit) {
    noteFindings(report, 'label-variant', emit, (n) => ({ zh: `标签“${n.printed}”按模板“${n.official}”读取`, en: `label “${n.printed}” read as the template's “${n.official}”` }));
  },
} satisfies Rule;
