import { T4_GROUPS } from '../../schema/editions.ts';
import { checkIdentities } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 't4-total', severity: 'error', basis: 'official',
    description: 'Table 四: in each group, 总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
    descriptionZh: '表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结',
    docs: 'Identity I4 (docs/template.md). Table 四 (政府信息公开行政复议、行政诉讼情况) has three groups — 行政复议, 行政诉讼 未经复议直接起诉, 行政诉讼 复议后起诉 — each of whose 总计 is the sum of its four outcome columns. Same in both editions. One finding for the report, naming each broken group. Not claimed: anything over a blank 总计 (missing-cell reports it).',
  },
  check(report, emit) {
    checkIdentities(report, 'I4', emit, (id) => {
      const g = T4_GROUPS.find((x) => `I4:${x.id}` === id.id)!;
      return { zh: `表四“${g.label}”：总计与四项结果之和不符`, en: `table 四 ${g.id}: 总计 does not equal the sum of its outcomes`, printedSide: 'lhs', where: { zh: `“${g.label}”`, en: g.id } };
    }, { zh: '表四总计与四项结果之和不符', en: 'table 四: 总计 does not equal the sum of its outcomes' });
  },
} satisfies Rule;
