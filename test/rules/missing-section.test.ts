import rule from '../../src/check/rules/missing-section.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 000: all six', input: { fixture: SEEDS.pipes } },
    { name: 'a page cut off in section 二: the sections after the cut are missing-table\'s business', input: { fixture: 'fragment-seed003-cut-in-table2.txt' } },
  ],
  invalid: [
    {
      name: 'seed 002: no headings for 三 and 四, tables present',
      input: { fixture: SEEDS.cellPerLine },
      findings: [{ match: /缺少第三部分“收到和处理政府信息公开申请情况”的标题（其表格存在）/ }, { match: /第四部分/ }],
    },
    { name: 'seed 000 without section 六', input: { text: seedWith(SEEDS.pipes, /六、其他需要报告的事项\n无。\n/, '') }, findings: [{ match: /缺少第六部分“其他需要报告的事项”$/ }] },
  ],
});
