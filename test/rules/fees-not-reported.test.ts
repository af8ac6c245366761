import rule from '../../src/check/rules/fees-not-reported.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

const withSix = (text: string) => seedWith(SEEDS.tabs, /六、其他需要报告的事项\n\n无。$/, `六、其他需要报告的事项\n\n${text}`);

ruleTester(rule, {
  valid: [
    { name: 'seed 000 is in the 2019 layout', input: { fixture: SEEDS.pipes } },
    { name: 'a 2021 report that states no fees', input: { text: withSix('本年度未收取信息处理费。') } },
    { name: '沭阳县 2025 (OCR Markdown): 收取信息处理费共计380元 is fees collected, beside 7 unpaid notices', input: { fixture: 'corpus/shuyang-county-gov-2025-ocr-markdown.md' } },
    {
      name: 'a city that collected 400 元 and says its other units collected none, beside an unpaid notice',
      input: { text: withSix('2025年全市实际收取信息处理费共计400元，其余单位均未收取信息处理费。').replace(/(2\. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请)\t0\t0\t0\t0\t0\t0\t0/, '$1\t1\t0\t0\t0\t0\t0\t1') },
    },
  ],
  invalid: [
    { name: 'seed 001: section 六 says only 无', input: { fixture: SEEDS.tabs }, findings: [{ match: /未说明信息处理费/ }] },
    {
      name: 'says none, but a request was closed for an unpaid fee notice',
      input: { text: withSix('本年度未收取信息处理费。').replace(/(2\. 申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请)\t0\t0\t0\t0\t0\t0\t0/, '$1\t1\t0\t0\t0\t0\t0\t1') },
      findings: [{ keys: ['t3.other.no_fee.total'] }],
    },
  ],
});
