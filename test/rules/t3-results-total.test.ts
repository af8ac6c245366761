import rule from '../../src/check/rules/t3-results-total.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 001 (2021, three （六） sub-rows)', input: { fixture: SEEDS.tabs } },
    { name: 'seed 002', input: { fixture: SEEDS.cellPerLine } },
  ],
  invalid: [
    {
      name: 'seed 003: a printed total over empty result rows, in three columns: one finding naming each',
      input: { fixture: SEEDS.blankLines },
      findings: [{ match: /^表三（七）总计与各项办理结果之和不符：“自然人”列 印出 1，应为 0；“法律服务机构”列 印出 2，应为 0；“总计”列 印出 3，应为 0（共 3 处）$/, places: 3, line: 507 }],
    },
    {
      name: 'seed 001 with a result row changed',
      input: { text: seedWith(SEEDS.tabs, '⇥(一) 予以公开⇥0⇥0⇥0⇥0⇥0⇥0⇥0'.replace(/⇥/g, '\t'), '\t(一) 予以公开\t1\t0\t0\t0\t0\t0\t1') },
      findings: [{ match: /“自然人”列 印出 1，应为 2；“总计”列 印出 1，应为 2（共 2 处）/, places: 2 }],
    },
    {
      name: 'a single broken column is a finding of its own, with its cells',
      input: { text: seedWith(SEEDS.tabs, '⇥(一) 予以公开⇥0⇥0⇥0⇥0⇥0⇥0⇥0'.replace(/⇥/g, '\t'), '\t(一) 予以公开\t0\t0\t0\t0\t0\t0\t1') },
      findings: [{ actual: '1', expected: '2', keys: ['t3.results_total.total', 't3.granted.total', 't3.partial.total', 't3.denied.secret.total', 't3.denied.law.total', 't3.denied.safety.total', 't3.denied.third_party.total', 't3.denied.internal.total', 't3.denied.process.total', 't3.denied.case_file.total', 't3.denied.query.total', 't3.unable.no_info.total', 't3.unable.must_create.total', 't3.unable.unclear.total', 't3.rejected.complaint.total', 't3.rejected.repeat.total', 't3.rejected.publication.total', 't3.rejected.mass.total', 't3.rejected.confirm.total', 't3.other.no_correction.total', 't3.other.no_fee.total', 't3.other.other.total'] }],
    },
  ],
});
