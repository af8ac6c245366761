import rule from '../../src/check/rules/edition-year.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: 'seed 000: 2020 report, 2019 layout', input: { fixture: SEEDS.pipes } },
    { name: 'seed 001: 2021 report, 2021 layout', input: { fixture: SEEDS.tabs } },
    { name: 'a 2020 report may use the 2021 layout', input: { text: seedWith(SEEDS.tabs, '2021 年政府信息公开工作年度报告', '2020 年政府信息公开工作年度报告') } },
  ],
  invalid: [
    { name: 'a 2021 report in the 2019 layout', input: { text: seedWith(SEEDS.pipes, '商丘市民政局2020年政府信息公开', '商丘市民政局2021年政府信息公开') }, findings: [{ expected: '2021', actual: '2019' }] },
    { name: 'a 2019 report in the 2021 layout', input: { text: seedWith(SEEDS.tabs, '2021 年政府信息公开工作年度报告', '2019 年政府信息公开工作年度报告') }, findings: [{ expected: '2019', actual: '2021' }] },
  ],
});
