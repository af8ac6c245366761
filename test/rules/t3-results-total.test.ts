import rule from '../../src/check/rules/t3-results-total.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 001 (2021, three （六） sub-rows)', input: { fixture: SEEDS.tabs } },
    { name: 'seed 002', input: { fixture: SEEDS.cellPerLine } },
  ],
  invalid: [
    { name: 'seed 003: a printed total over empty result rows', input: { fixture: SEEDS.blankLines }, findings: 3 },
    {
      name: 'seed 001 with a result row changed',
      input: { text: seedWith(SEEDS.tabs, '⇥(一) 予以公开⇥0⇥0⇥0⇥0⇥0⇥0⇥0'.replace(/⇥/g, '\t'), '\t(一) 予以公开\t1\t0\t0\t0\t0\t0\t1') },
      findings: [{ actual: '1', expected: '2', keys: ['t3.results_total.natural', 't3.granted.natural', 't3.partial.natural', 't3.denied.secret.natural', 't3.denied.law.natural', 't3.denied.safety.natural', 't3.denied.third_party.natural', 't3.denied.internal.natural', 't3.denied.process.natural', 't3.denied.case_file.natural', 't3.denied.query.natural', 't3.unable.no_info.natural', 't3.unable.must_create.natural', 't3.unable.unclear.natural', 't3.rejected.complaint.natural', 't3.rejected.repeat.natural', 't3.rejected.publication.natural', 't3.rejected.mass.natural', 't3.rejected.confirm.natural', 't3.other.no_correction.natural', 't3.other.no_fee.natural', 't3.other.other.natural'] }, { actual: '1', expected: '2' }],
    },
  ],
});
