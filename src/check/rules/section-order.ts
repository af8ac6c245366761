import { SECTIONS } from '../../schema/editions.ts';
import type { Rule } from '../types.ts';

const NUMERALS = '一二三四五六七八九十';

export default {
  meta: {
    id: 'section-order', severity: 'warning', basis: 'official',
    description: 'Section headings renumbered or out of the template\'s order',
    descriptionZh: '章节标题编号或顺序与模板不符',
    docs: 'The templates fix six sections in order (一 总体情况 … 六 其他需要报告的事项). A heading whose numeral differs from its topic\'s place (“四、存在的主要问题…”), or a section that comes before one it should follow, makes reports hard to compare and usually means a section was dropped or merged. Not claimed: that any content is missing.',
  },
  check(report, emit) {
    let last = 0;
    for (const o of report.outline) {
      if (o.topic === null) continue;
      const printed = NUMERALS.indexOf(o.numeral) + 1;
      const s = SECTIONS[o.topic - 1]!;
      if (printed !== o.topic) {
        emit({ message: `“${o.title}”编号为${o.numeral}，模板中“${s.title}”为第${s.numeral}部分`, messageEn: `“${o.title}” is numbered ${o.numeral}; in the template ${s.title} is section ${s.numeral}`, keys: [], positions: [o.position], expected: s.numeral, actual: o.numeral, fault: 'publisher' });
      } else if (o.topic < last) {
        emit({ message: `“${o.title}”出现在第${SECTIONS[last - 1]!.numeral}部分之后，顺序与模板不符`, messageEn: `“${o.title}” comes after section ${SECTIONS[last - 1]!.numeral}`, keys: [], positions: [o.position], fault: 'publisher' });
      }
      last = Math.max(last, o.topic);
    }
  },
} satisfies Rule;
