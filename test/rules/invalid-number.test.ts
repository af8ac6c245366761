import rule from '../../src/check/rules/invalid-number.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 003: 本年增/减 may be -1', input: { fixture: SEEDS.blankLines } },
    { name: 'seed 000: money with a fraction', input: { fixture: SEEDS.pipes } },
  ],
  invalid: [
    { name: 'a negative count', input: { text: seedWith(SEEDS.pipes, '行政处罚 | 0 | 61 | 61', '行政处罚 | 0 | 61 | -61') }, findings: [{ keys: ['t2.punishment.decisions'], actual: '-61' }] },
    { name: 'a fraction in a count', input: { text: seedWith(SEEDS.pipes, '规章 | 0 | 0 | 0', '规章 | 0.5 | 0 | 0') }, findings: [{ keys: ['t2.regulations.made'], actual: '0.5' }] },
    { name: 'money in 元 in a 万元 column', input: { text: seedWith(SEEDS.cellPerLine, '484.64 |', '48464000 |') }, findings: [{ keys: ['t2.fees.amount'], expected: '万元' }] },
  ],
});
