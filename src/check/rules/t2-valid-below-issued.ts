import type { Position } from '../../types.ts';
import type { Rule } from '../types.ts';
import { determined } from '../util.ts';

export default {
  meta: {
    id: 't2-valid-below-issued', severity: 'warning', basis: 'plausibility',
    description: '2021 table 二: 现行有效件数 smaller than 本年制发件数 − 本年废止件数',
    descriptionZh: '2021版表二：现行有效件数小于本年制发件数减本年废止件数',
    docs: 'Plausibility check, not an official identity. In the 2021 edition, documents issued this year (本年制发件数) are normally still in force at year end, so 现行有效件数 should be at least 本年制发件数 − 本年废止件数 (the repealed ones may include this year\'s). A smaller count usually means the columns were filled with something else. The official cross-year roll-forward (C2) needs last year\'s report and is checked on a corpus. Not claimed: which of the three counts is wrong.',
  },
  check(report, emit) {
    if (report.tables.t2.edition !== '2021') return;
    for (const row of ['regulations', 'normative']) {
      const [i, v] = [determined(report, `t2.${row}.issued`), determined(report, `t2.${row}.valid`)];
      const r = report.cells[`t2.${row}.repealed`];
      if (!i?.value || !v?.value || r?.status === 'ambiguous') continue;
      const floor = Number(i.value) - Number(r?.value ?? 0);
      if (Number(v.value) >= floor) continue;
      emit({
        message: `表二“${row === 'regulations' ? '规章' : '行政规范性文件'}”现行有效件数 ${v.value} 小于本年制发 ${i.value} 减本年废止 ${r?.value ?? 0}`,
        messageEn: `table 二 ${row}: 现行有效件数 ${v.value} is below 本年制发件数 ${i.value} − 本年废止件数 ${r?.value ?? 0}`,
        keys: [v.key, i.key, ...(r ? [r.key] : [])],
        positions: [v.position, i.position].filter((x): x is Position => x !== null),
        expected: `≥ ${floor}`, actual: v.value, fault: 'publisher',
      });
    }
  },
} satisfies Rule;
