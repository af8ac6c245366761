import rule from '../../src/check/rules/late-publication.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 002: 平凉市崆峒区 (a government) on 2022-02-11, before 31 March', input: { fixture: SEEDS.cellPerLine } },
    { name: 'seed 003: a department on 2021-01-20', input: { fixture: SEEDS.blankLines } },
    { name: 'seed 000: no date on the page: nothing said', input: { fixture: SEEDS.pipes } },
  ],
  invalid: [
    { name: 'a department (商务局) dated 15 February', input: { text: seedWith(SEEDS.blankLines, '发布时间:2021-01-20', '发布时间:2021-02-15') }, findings: [{ expected: '≤ 2021-01-31', actual: '2021-02-15' }] },
    { name: 'a government dated 2 April', input: { text: seedWith(SEEDS.cellPerLine, '2022-02-11', '2022-04-02') }, findings: [{ expected: '≤ 2022-03-31', actual: '2022-04-02', match: /政府本级报告/ }] },
    { name: 'a 人社局 signature date of 15 February', input: { text: seedWith(SEEDS.squashed, /发布时间:2021-01-28 浏览次数:[^\n]*\n/, '').replace('2021年1月28日', '2021年2月15日') }, findings: [{ actual: '2021-02-15', match: /落款日期/ }] },
  ],
});
