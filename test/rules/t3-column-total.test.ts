import rule from '../../src/check/rules/t3-column-total.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 000, all rows add up', input: { fixture: SEEDS.pipes } },
    { name: 'seed 004, squashed rows with ambiguous cells: no invented error', input: { fixture: SEEDS.squashed } },
    { name: 'Huai\'an extract, real numbers', input: { fixture: SEEDS.huaian } },
  ],
  invalid: [{
    name: 'a row whose total is not the sum of its columns',
    input: { text: seedWith(SEEDS.pipes, '一、本年新收政府信息公开申请数量 | 0 | 0', '一、本年新收政府信息公开申请数量 | 2 | 0') },
    findings: [{ keys: ['t3.new.total', 't3.new.natural', 't3.new.commercial', 't3.new.research', 't3.new.social', 't3.new.legal', 't3.new.other_org'], expected: '2', actual: '0', fault: 'publisher', line: 39 }],
  }],
});
