import rule from '../../src/check/rules/division-variant.ts';
import { SEEDS, readFixture } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

const seed002 = () => readFixture(SEEDS.cellPerLine).toString('utf8');

ruleTester(rule, {
  valid: [
    { name: 'seed 002: 平凉市崆峒区 as the gazetteer has it', input: { fixture: SEEDS.cellPerLine } },
    { name: '洪泽区 2023 (a former county, printed by its name today)', input: { fixture: 'corpus/hongze-district-gov-2023.pdf' } },
    { name: '平潭综合实验区: a kept alias, not a slip', input: { fixture: 'corpus/pingtan-2019-crawler-dump.txt' } },
    { name: '汝阳县 is a county of its own, not a slip of 沭阳县', input: { text: seed002().replace('平凉市崆峒区2021年', '汝阳县2021年') } },
  ],
  invalid: [
    { name: 'the OCR dump of 沭阳县 names it 沐阳县', input: { fixture: 'corpus/shuyang-county-gov-2025-ocr-markdown.md' }, findings: [{ match: /“沐阳县”按行政区划“江苏省宿迁市沭阳县”/, line: 1 }] },
    { name: 'a typing slip under a named city: 平凉市崆桐区', input: { text: seed002().replace('平凉市崆峒区2021年', '平凉市崆桐区2021年') }, findings: [{ match: /“平凉市崆桐区”按行政区划“甘肃省平凉市崆峒区”/ }] },
    { name: 'a county since made a district, printed by its old word: 平凉市崆峒县', input: { text: seed002().replace('平凉市崆峒区2021年', '平凉市崆峒县2021年') }, findings: [{ match: /“平凉市崆峒县”按行政区划“甘肃省平凉市崆峒区”/ }] },
  ],
});
