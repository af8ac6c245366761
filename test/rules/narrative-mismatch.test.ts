import rule from '../../src/check/rules/narrative-mismatch.ts';
import { SEEDS, seedWith } from '../helpers.ts';
import { ruleTester } from '../rule-tester.ts';

ruleTester(rule, {
  valid: [
    { name: '沭阳县 2025 (OCR Markdown): 受理申请 749 件 = 本年新收 713 + 上年结转 36', input: { fixture: 'corpus/shuyang-county-gov-2025-ocr-markdown.md' } },
    { name: 'seed 001: 收到依申请公开1件, 未发生复议诉讼', input: { fixture: SEEDS.tabs } },
    { name: 'seed 002: 受理依申请公开件1件', input: { fixture: SEEDS.cellPerLine } },
    { name: 'seed 004: 受理依申请公开1件次 against an inferred total', input: { fixture: SEEDS.squashed } },
    { name: 'seed 000: 没有依申请公开办理情况, all zero', input: { fixture: SEEDS.pipes } },
    {
      name: 'no review ended in a correction, no suit was lost: not a claim that there were none (7 reviews, 5 suits)',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n全年未发生因依申请公开被行政复议纠错的情况，未发生行政诉讼败诉案件。') },
    },
    {
      name: '洪泽区 2024: 区政府办代表区政府受理…17件 is the office\'s share of the government\'s 95',
      input: { fixture: 'corpus/hongze-district-gov-2024.pdf' },
    },
    {
      name: 'the number before 、 belongs to the noun before it: 行政复议案件7件、行政诉讼案件5件 matches 7 and 3 + 2',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n因政府信息公开引起的行政复议案件7件、行政诉讼案件5件。') },
    },
    {
      name: '现行有效行政规范性文件19件, as the table',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n截至年底，现行有效行政规范性文件19件。') },
    },
    {
      name: 'seed 003: “没有收到政府信息公开申请” beside a （七）总计 of 3 over result rows of 0: that cell is t3-results-total\'s defect, not a second one',
      input: { fixture: SEEDS.blankLines },
    },
  ],
  invalid: [
    {
      name: '行政复议案件7件、行政诉讼案件2件 against 3 + 2 suits: one finding, for the suits only',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n因政府信息公开引起的行政复议案件7件、行政诉讼案件2件。') },
      findings: [{ keys: ['t4.suit_direct.total', 't4.suit_after.total'], expected: '5', actual: '2', match: /行政诉讼案件2件/ }],
    },
    {
      name: '现行有效行政规范性文件393件 against the table\'s 19',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n截至年底，现行有效行政规范性文件393件。') },
      findings: [{ keys: ['t2.normative.valid'], expected: '19', actual: '393' }],
    },
    {
      name: 'seed 001 saying none were received, table 1',
      input: { text: seedWith(SEEDS.tabs, '收到依申请公开1件', '没有收到政府信息公开申请') },
      findings: [{ keys: ['t3.new.total'], expected: '1', actual: '0', match: /没有收到政府信息公开申请/ }],
    },
    {
      name: 'seed 001 saying 2 applications were received, table 1',
      input: { text: seedWith(SEEDS.tabs, '收到依申请公开1件', '收到依申请公开2件') },
      findings: [{ keys: ['t3.new.total'], expected: '1', actual: '2' }],
    },
    {
      name: 'seed 002 saying no review happened, table 7',
      input: { text: seedWith(SEEDS.cellPerLine, '六、其他需要报告的事项', '六、其他需要报告的事项\n全年未发生政府信息公开行政复议案件。') },
      findings: [{ keys: ['t4.review.total'], expected: '7', actual: '0' }],
    },
  ],
});
