import rule from '../../src/check/rules/missing-cell.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 000', input: { fixture: SEEDS.pipes } },
    { name: 'seed 004: undetermined cells are ambiguous-cell’s, not missing', input: { fixture: SEEDS.squashed } },
  ],
  invalid: [
    { name: 'a blank cell between two numbers', input: { text: seedWith(SEEDS.pipes, '行政许可 | 59 | 100 | 159', '行政许可 | 59 |  | 159') }, findings: [{ keys: ['t2.license.change'], line: 23 }] },
    { name: 'a row left out', input: { text: seedWith(SEEDS.pipes, /^2\.重复申请.*\n/m, '') }, findings: [{ match: /表三缺少“2\.重复申请”行/ }] },
  ],
});
