import rule from '../../src/check/rules/template-leftover.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 000', input: { fixture: SEEDS.pipes } }, { name: 'seed 003', input: { fixture: SEEDS.blankLines } }],
  invalid: [
    { name: 'XX局 and 20XX年 left in', input: { text: seedWith(SEEDS.pipes, '2020年,在市政府办公室', '20XX年,在XX局办公室') }, findings: [{ match: /20XX年/ }, { match: /XX局/ }] },
    { name: '【请填写】 left in', input: { text: seedWith(SEEDS.pipes, '六、其他需要报告的事项\n无。', '六、其他需要报告的事项\n【请填写其他事项】') }, findings: 1 },
  ],
});
