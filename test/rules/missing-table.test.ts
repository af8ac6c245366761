import rule from '../../src/check/rules/missing-table.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [{ name: 'seed 000', input: { fixture: SEEDS.pipes } }],
  invalid: [{
    name: 'seed 000 with table 四 replaced by a sentence',
    input: { text: seedWith(SEEDS.pipes, /行政复议 \| 行政诉讼[\s\S]*?\n(五、)/, '本年度没有发生政府信息公开行政复议、行政诉讼。\n$1') },
    findings: [{ match: /缺少表四/ }],
  }],
});

ruleTester(rule, {
  valid: [],
  invalid: [{
    name: 'a page cut off inside table 二 (seed 003, first 100 lines)',
    input: { fixture: 'fragment-seed003-cut-in-table2.txt' },
    findings: [{ match: /^缺少表三.*（文件在此之前被截断）$/ }, { match: /^缺少表四/ }],
  }],
});
