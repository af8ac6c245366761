import { T3_COLUMNS } from '../../schema/editions.ts';
import { identities } from '../../schema/keys.ts';
import { broken, identityFinding } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 't3-balance', severity: 'error', basis: 'official',
    description: 'Table 三: in every column, 本年新收 + 上年结转 = （七）总计 + 结转下年度继续办理',
    descriptionZh: '表三每一列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理',
    docs: 'Identity I1, printed in the template itself: the top-left header cell of table 三 reads “本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和” (国办公开办函〔2019〕60号, 〔2021〕30号). Every application received or carried over is either handled this year or carried to next year. Reported once per broken column.',
  },
  check(report, emit) {
    const ed = report.tables.t3.edition;
    if (!ed) return;
    for (const id of identities(ed).filter((i) => i.rule === 'I1')) {
      const col = T3_COLUMNS.find((c) => `I1:${c.id}` === id.id)!;
      const e = broken(report, id);
      if (!e) continue;
      emit(identityFinding(e, {
        zh: `表三“${col.label}”列勾稽关系不成立：办理结果总计 + 结转下年度（${e.rhs}）应等于本年新收 + 上年结转（${e.lhs}）`,
        en: `table 三 column ${col.id}: handled + carried to next year (${e.rhs}) should equal received + carried over (${e.lhs})`,
        printedSide: 'rhs', lhsCount: 2,
      }));
    }
  },
} satisfies Rule;
