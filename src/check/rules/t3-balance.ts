import { T3_COLUMNS } from '../../schema/editions.ts';
import { checkIdentities } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 't3-balance', severity: 'error', basis: 'official',
    description: 'Table 三: in every column, 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理',
    descriptionZh: '表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理',
    docs: 'Identity I1, printed in the template itself: the top-left header cell of table 三 reads “本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和” (国办公开办函〔2019〕60号, 〔2021〕30号). Every application received or carried over is either handled this year or carried to next year. One finding for the report, naming each broken column; when the （七）总计 cell of a column also breaks t3-results-total and setting it to the sum of the result rows mends both, the defect is that one cell and is reported once, under t3-results-total. A blank total is not a total of 0: no arithmetic is claimed over it (missing-cell). Not claimed: which cell is wrong (except when one （七）总计 cell explains it, named under t3-results-total).',
  },
  check(report, emit) {
    checkIdentities(report, 'I1', emit, (id, e) => {
      const col = T3_COLUMNS.find((c) => `I1:${c.id}` === id.id)!;
      return {
        zh: `表三“${col.label}”列勾稽关系不成立：办理结果总计 + 结转下年度（${e.rhs}）应等于本年新收 + 上年结转（${e.lhs}）`,
        en: `table 三 column ${col.id}: handled + carried to next year (${e.rhs}) should equal received + carried over (${e.lhs})`,
        printedSide: 'rhs',
        where: { zh: `“${col.label}”列`, en: `column ${col.id}` },
      };
    }, { zh: '表三勾稽关系（本年新收 + 上年结转 = 办理结果总计 + 结转下年度）不成立', en: 'table 三: received + carried over ≠ handled + carried to next year' });
  },
} satisfies Rule;
