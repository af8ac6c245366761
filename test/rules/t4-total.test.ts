import rule from '../../src/check/rules/t4-total.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 002 (2+1+3+1 = 7)', input: { fixture: SEEDS.cellPerLine } }],
  invalid: [{
    name: 'seed 002 with the 行政复议 total changed to 8',
    input: { text: seedWith(SEEDS.cellPerLine, /^7 \|$/m, '8 |') },
    findings: [{ keys: ['t4.review.total', 't4.review.upheld', 't4.review.corrected', 't4.review.other', 't4.review.pending'], actual: '8', expected: '7', line: 324 }],
  }],
});
