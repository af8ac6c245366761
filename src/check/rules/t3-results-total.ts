import { T3_COLUMNS } from '../../schema/editions.ts';
import { checkIdentities } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 't3-results-total', severity: 'error', basis: 'official',
    description: 'Table 三: in every column, （七）总计 equals the sum of the result rows （一）…（六）',
    descriptionZh: '表三每一列：（七）总计 = （一）至（六）各项结果之和（子项只计一次）',
    docs: 'Identity I3 (docs/template.md): the result rows of 三、本年度办理结果 — 予以公开, 部分公开, the eight 不予公开 reasons, the three 无法提供 reasons, the five 不予处理 reasons and 其他处理 (in 2021 its three sub-rows) — add up to （七）总计. The template counts a partly granted request once (“区分处理的，只计这一情形”), so the rows do not overlap. One finding for the report, naming each broken column. Not claimed: which of the cells is wrong, nor anything over a blank （七）总计 (missing-cell reports it).',
  },
  check(report, emit) {
    checkIdentities(report, 'I3', emit, (id) => {
      const col = T3_COLUMNS.find((c) => `I3:${c.id}` === id.id)!;
      return { zh: `表三“${col.label}”列：（七）总计与各项办理结果之和不符`, en: `table 三 column ${col.id}: （七）总计 does not equal the sum of the result rows`, printedSide: 'lhs', where: { zh: `“${col.label}”列`, en: `column ${col.id}` } };
    }, { zh: '表三（七）总计与各项办理结果之和不符', en: 'table 三: （七）总计 does not equal the sum of the result rows' });
  },
} satisfies Rule;
