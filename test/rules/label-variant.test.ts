import rule from '../../src/check/rules/label-variant.ts';
import { SEEDS } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 002: official labels', input: { fixture: SEEDS.cellPerLine } }],
  invalid: [
    { name: 'seed 001: 本年度止件数', input: { fixture: SEEDS.tabs }, findings: [{ match: /“本年度止件数”按模板“本年废止件数”/, line: 26 }] },
    { name: 'seed 004: 人民政府集中采购', input: { fixture: SEEDS.squashed }, findings: [{ match: /人民政府集中采购/ }] },
  ],
});
