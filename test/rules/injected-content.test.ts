import rule from '../../src/check/rules/injected-content.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 000', input: { fixture: SEEDS.pipes } },
    { name: '体育局 and 体育彩票公益金 are legitimate', input: { text: seedWith(SEEDS.pipes, '市民政局认真贯彻落实', '市民政局会同市体育局管好体育彩票公益金、福利彩票公益金，认真贯彻落实') } },
  ],
  invalid: [{
    name: 'seed 003: 体球网,球探体育比分 four times inside sentences',
    input: { fixture: SEEDS.blankLines },
    findings: [{ match: /^疑似被植入的垃圾内容“体球网,球探体育比分”（第1部分）（共 4 处）$/, line: 15, places: 4 }],
  }],
});
