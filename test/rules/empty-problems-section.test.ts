import rule from '../../src/check/rules/empty-problems-section.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 000 names its problems', input: { fixture: SEEDS.pipes } }, { name: 'seed 003', input: { fixture: SEEDS.blankLines } }],
  invalid: [
    { name: 'section 五 says 无', input: { text: seedWith(SEEDS.pipes, /(五、存在的主要问题及改进情况\n)[^\n]*\n/, '$1无。\n') }, findings: [{ match: /只写“无”/ }] },
    { name: 'section 五 names no problem', input: { text: seedWith(SEEDS.pipes, /(五、存在的主要问题及改进情况\n)[^\n]*\n/, '$1下一步，我局将继续做好政务公开工作。\n') }, findings: [{ match: /未指出具体问题/ }] },
  ],
});
