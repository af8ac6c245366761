import { T2_ROWS } from '../../schema/editions.ts';
import type { Position } from '../../types.ts';
import type { Rule } from '../types.ts';
import { determined } from '../util.ts';

export default {
  meta: {
    id: 't2-decisions-as-items', severity: 'warning', basis: 'plausibility',
    description: '2019 table 二: 处理决定数量 equals 上一年项目数量 + 本年增/减 — columns probably confused',
    descriptionZh: '2019版表二：处理决定数量恰等于上一年项目数量 + 本年增/减，疑似把事项数填作决定数',
    docs: 'Plausibility check P2 (docs/template.md), not an official identity. In the 2019 edition, blocks （五） and （六） count items (上一年项目数量, 本年增/减) and, separately, decisions made (处理决定数量). A 处理决定数量 exactly equal to last year\'s items plus this year\'s change suggests the filler wrote this year\'s item count in the decisions column (seed 000: 59 + 100 = 159). A warning: the numbers can coincide. Not claimed: an error — equal sums happen; a question for the publisher (warning).',
  },
  check(report, emit) {
    if (report.tables.t2.edition !== '2019') return;
    for (const row of ['license', 'other_services', 'punishment', 'enforcement']) {
      const [p, c, d] = ['prev', 'change', 'decisions'].map((k) => determined(report, `t2.${row}.${k}`));
      if (!p?.value || !c?.value || !d?.value) continue;
      const items = Number(p.value) + Number(c.value);
      if (items === 0 || Number(c.value) === 0 || Number(d.value) !== items) continue;
      emit({
        message: `表二“${T2_ROWS['2019'].find((r) => r.id === row)!.label}”处理决定数量 ${d.value} 恰等于上一年项目数量 ${p.value} + 本年增/减 ${c.value}，疑似填成了项目数`,
        messageEn: `table 二 ${row}: 处理决定数量 ${d.value} equals 上一年项目数量 ${p.value} + 本年增/减 ${c.value}; items may have been entered as decisions`,
        keys: [p.key, c.key, d.key],
        positions: [d.position, p.position, c.position].filter((x): x is Position => x !== null),
        expected: 'a count of decisions', actual: d.value, fault: 'publisher',
      });
    }
  },
} satisfies Rule;
