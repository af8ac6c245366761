import rule from '../../src/check/rules/t2-valid-below-issued.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 002: issued 2, repealed 3, valid 19', input: { fixture: SEEDS.cellPerLine } }],
  invalid: [{
    name: 'seed 001 with 5 issued and 1 valid',
    input: { text: seedWith(SEEDS.tabs, '行政规范性文件\t0\t0\t1', '行政规范性文件\t5\t0\t1') },
    findings: [{ keys: ['t2.normative.valid', 't2.normative.issued', 't2.normative.repealed'], expected: '≥ 5', actual: '1' }],
  }],
});
