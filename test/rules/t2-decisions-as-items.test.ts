import rule from '../../src/check/rules/t2-decisions-as-items.ts';
import { SEEDS } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 003: 9, -1, 0', input: { fixture: SEEDS.blankLines } },
    { name: 'seed 001 is 2021 layout: no such columns', input: { fixture: SEEDS.tabs } },
  ],
  invalid: [{
    name: 'seed 000: 59 + 100 = 159 and 0 + 61 = 61',
    input: { fixture: SEEDS.pipes },
    findings: [{ keys: ['t2.license.prev', 't2.license.change', 't2.license.decisions'], actual: '159', line: 23 }, { actual: '61', line: 27 }],
  }],
});
