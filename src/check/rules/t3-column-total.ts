import { checkIdentities } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 't3-column-total', severity: 'error', basis: 'official',
    description: 'Table 三: in every row, 总计 equals 自然人 plus the five 法人或其他组织 columns',
    descriptionZh: '表三每一行：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他',
    docs: 'Identity I2 (docs/template.md). The 总计 column of table 三 (收到和处理政府信息公开申请情况) is, by the template\'s structure (国办公开办函〔2019〕60号 and 〔2021〕30号), the sum of the applicant columns. One finding for the report, naming each broken row and every cell. A blank applicant cell counts as 0 and the message says so; a blank 总计 is not a 总计 of 0 — no arithmetic is claimed over it (missing-cell reports it, with what its row adds up to). Cells the reader could not determine are not judged here (see ambiguous-cell) unless the row fails under every reading. Not claimed: which cell of the row is wrong.',
  },
  check(report, emit) {
    checkIdentities(report, 'I2', emit, (id) => ({
      zh: `表三“${id.statement.split('：')[0]}”行的总计与各列之和不符`,
      en: `table 三 row ${id.id.slice(3)}: 总计 does not equal the sum of the applicant columns`,
      printedSide: 'lhs',
      where: { zh: `“${id.statement.split('：')[0]}”行`, en: `row ${id.id.slice(3)}` },
    }), { zh: '表三各行的总计与各列之和不符', en: 'table 三: 总计 does not equal the sum of the applicant columns' });
  },
} satisfies Rule;
