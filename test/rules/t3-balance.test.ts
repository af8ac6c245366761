import rule from '../../src/check/rules/t3-balance.ts';
import { SEEDS } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 001', input: { fixture: SEEDS.tabs } },
    { name: 'seed 002', input: { fixture: SEEDS.cellPerLine } },
    { name: 'seed 004 (ambiguous cells)', input: { fixture: SEEDS.squashed } },
  ],
  invalid: [{
    name: 'seed 003: nothing received or carried over, 3 handled',
    input: { fixture: SEEDS.blankLines },
    findings: [
      { keys: ['t3.results_total.natural', 't3.carry_next.natural', 't3.new.natural', 't3.carried.natural'], expected: '0', actual: '1', line: 507 },
      { keys: ['t3.results_total.legal', 't3.carry_next.legal', 't3.new.legal', 't3.carried.legal'], expected: '0', actual: '2' },
      { keys: ['t3.results_total.total', 't3.carry_next.total', 't3.new.total', 't3.carried.total'], expected: '0', actual: '3', match: /表三“总计”列勾稽关系不成立/ },
    ],
  }],
});
