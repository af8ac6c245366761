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
    // alone (run with t3-results-total, the engine names the （七）总计 cells once, under that rule: test/check.test.ts)
    findings: [{
      keys: ['t3.results_total.natural', 't3.carry_next.natural', 't3.new.natural', 't3.carried.natural', 't3.results_total.legal', 't3.carry_next.legal', 't3.new.legal', 't3.carried.legal', 't3.results_total.total', 't3.carry_next.total', 't3.new.total', 't3.carried.total'],
      match: /不成立：“自然人”列 印出 1，应为 0；“法律服务机构”列 印出 2，应为 0；“总计”列 印出 3，应为 0（共 3 处）$/, line: 507, places: 3,
    }],
  }],
});
