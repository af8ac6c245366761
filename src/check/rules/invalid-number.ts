import { MONEY_KEYS, SIGNED_KEYS } from '../../schema/keys.ts';
import type { Cell, Position } from '../../types.ts';
import type { Rule } from '../types.ts';
import { cellLabel } from '../identity.ts';

/** A cell's position as a finding lists it (made only for a finding). */
const at = (c: Cell): Position[] => (c.position ? [c.position] : []);

/** 万元 amounts above this (1,000 亿元) are not plausible for one body: probably 元. */
const MONEY_CEILING = 10_000_000;

export default {
  meta: {
    id: 'invalid-number', severity: 'error', basis: 'plausibility',
    description: 'A negative count, a fraction where a count belongs, or money in the wrong unit',
    descriptionZh: '计数为负数或小数，或金额单位有误',
    docs: 'P1 (docs/template.md): counts are whole numbers and not negative; only 本年增/减 (2019 table 二) may be negative and only money (行政事业性收费, 政府集中采购 金额, in 万元) may be fractional. A money cell above 1,000 亿元 (10,000,000 万元) was almost certainly filled in 元. Not claimed: which number was meant.',
  },
  check(report, emit, cells) {
    for (const c of cells) {
      if (c.value === null || c.status === 'ambiguous') continue;
      const v = Number(c.value);
      if (v < 0 && !SIGNED_KEYS.has(c.key)) {
        emit({ message: `${cellLabel(c.key)} 为负数 ${c.value}，计数不能为负`, messageEn: `${c.key} is negative (${c.value}); a count cannot be`, keys: [c.key], positions: at(c), expected: '≥ 0', actual: c.value, fault: 'publisher' });
      } else if (!Number.isInteger(v) && !MONEY_KEYS.has(c.key)) {
        emit({ message: `${cellLabel(c.key)} 为小数 ${c.value}，计数应为整数`, messageEn: `${c.key} is a fraction (${c.value}); a count is a whole number`, keys: [c.key], positions: at(c), expected: 'a whole number', actual: c.value, fault: 'publisher' });
      } else if (MONEY_KEYS.has(c.key) && v > MONEY_CEILING && c.unit !== '元') {
        emit({ message: `${cellLabel(c.key)} 为 ${c.value} 万元，疑似按“元”填写`, messageEn: `${c.key} is ${c.value} 万元; probably filled in 元`, keys: [c.key], positions: at(c), expected: '万元', actual: c.value, fault: 'publisher' });
      }
    }
  },
} satisfies Rule;
