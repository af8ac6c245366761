/**
 * Real reports in the forms they reach people in: a crawler's one-line dump and an OCR tool's
 * Markdown. Every value asserted here was read off the source by eye.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { check } from '../src/check/engine.ts';
import { parseFixture, values } from './helpers.ts';

const zeros = (n: number) => Array.from({ length: n }, () => '0');
const row = (...v: string[]) => Object.fromEntries(['natural', 'commercial', 'research', 'social', 'legal', 'other_org', 'total'].map((c, i) => [c, v[i]!]));

describe('a crawler dump: the whole report on one line (平潭综合实验区 2019)', () => {
  const r = parseFixture('corpus/pingtan-2019-crawler-dump.txt');
  it('reads the page fields and the 2019 layout', () => {
    assert.equal(r.meta.agency, '平潭综合实验区');
    assert.equal(r.meta.year, 2019);
    assert.equal(r.meta.edition, '2019');
    assert.equal(r.meta.published, '2020-01-20');
    assert.deepEqual(r.sections.map((s) => s.number), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(r.sections.find((s) => s.number === 6)!.text, '无其他需要报告的事项');
  });
  it('reads table 三 from runs such as `230 000023` and `23 0 00 0 023`', () => {
    assert.deepEqual(values(r, 't3.new.'), row('23', '0', '0', '0', '0', '0', '23'));
    assert.deepEqual(values(r, 't3.granted.'), row('7', '0', '0', '0', '0', '0', '7'));
    assert.deepEqual(values(r, 't3.unable.no_info.'), row('7', '0', '0', '0', '0', '0', '7'));
    assert.deepEqual(values(r, 't3.unable.unclear.'), row('5', '0', '0', '0', '0', '0', '5'));
    assert.deepEqual(values(r, 't3.rejected.repeat.'), row('3', '0', '0', '0', '0', '0', '3'));
    assert.deepEqual(values(r, 't3.results_total.'), row('23', '0', '0', '0', '0', '0', '23'));
    assert.deepEqual(values(r, 't3.carry_next.'), row(...zeros(7)));
    // `00000002.其他法律…`: the 2 is the next row's numbering, not a value
    assert.deepEqual(values(r, 't3.denied.secret.'), row(...zeros(7)));
    assert.equal(Object.keys(values(r, 't3.')).length, 23 * 7);
  });
  it('reads table 四 from one run of 15 zeros', () => {
    assert.deepEqual(Object.values(values(r, 't4.')), zeros(15));
  });
  it('leaves squashed table 二 runs with several splits undetermined, never guessed', () => {
    assert.deepEqual(values(r, 't2.regulations.'), { made: '0', published: '0', total: '0' });
    assert.deepEqual(values(r, 't2.normative.'), { made: '?', published: '?', total: '?' });
    const amount = r.cells['t2.procurement.amount']!;
    assert.equal(amount.status, 'ambiguous');
    assert.ok(amount.candidates!.includes('7539.443252'), '135 items and 75394432.52 元 is one reading');
  });
  it('points a number into the one long line', () => {
    const c = r.cells['t3.new.total']!;
    assert.equal(c.position!.line, 10);
    assert.ok(c.position!.column > 4000);
  });
  it('accuses the publisher of nothing: every finding is a reading doubt', () => {
    const f = check(r);
    assert.ok(f.length > 0);
    assert.deepEqual([...new Set(f.map((x) => x.ruleId))], ['ambiguous-cell']);
  });
});

describe('OCR Markdown: mini-tables, placeholder headers, a wrong header row (沭阳县 2025)', () => {
  const r = parseFixture('corpus/shuyang-county-gov-2025-ocr-markdown.md');
  it('reads `#` headings as the six sections', () => {
    assert.deepEqual(r.sections.map((s) => s.number), [0, 1, 2, 3, 4, 5, 6]);
    assert.equal(r.sections.find((s) => s.number === 4)!.title, '四、政府信息公开行政复议、行政诉讼情况');
    assert.equal(r.meta.year, 2025);
    assert.equal(r.meta.edition, '2021');
  });
  it('reads table 二', () => {
    assert.deepEqual(values(r, 't2.normative.'), { issued: '6', repealed: '1', valid: '32' });
    assert.deepEqual(values(r, 't2.license.'), { decisions: '517645' });
    assert.deepEqual(values(r, 't2.fees.'), { amount: '4068.208' });
  });
  it('reads the rows under a header row that names other rows (结转下年度) by their own labels', () => {
    assert.deepEqual(values(r, 't3.new.'), row('705', '3', '0', '0', '5', '0', '713'));
    assert.deepEqual(values(r, 't3.other.no_fee.'), row('7', '0', '0', '0', '0', '0', '7'));
    assert.deepEqual(values(r, 't3.other.other.'), row('142', '1', '0', '0', '0', '0', '143'));
    assert.deepEqual(values(r, 't3.results_total.'), row('710', '3', '0', '0', '5', '0', '718'));
    assert.deepEqual(values(r, 't3.carry_next.'), row('31', '0', '0', '0', '0', '0', '31'));
    assert.equal(Object.keys(values(r, 't3.')).length, 25 * 7);
    assert.ok(Object.values(r.cells).every((c) => c.status === 'read'));
  });
  it('reads table 四 from three headed blocks', () => {
    assert.deepEqual(values(r, 't4.review.'), { upheld: '27', corrected: '10', other: '9', pending: '15', total: '61' });
    assert.deepEqual(values(r, 't4.suit_direct.'), { upheld: '3', corrected: '0', other: '0', pending: '0', total: '3' });
    assert.deepEqual(values(r, 't4.suit_after.'), { upheld: '8', corrected: '0', other: '1', pending: '1', total: '10' });
  });
  it('finds no defect: every identity holds, 受理 749 = 713 new + 36 carried, 380 元 of fees collected; the OCR slip in the name is shown', () => {
    assert.deepEqual(check(r).map((x) => `${x.ruleId}: ${x.message}`), ['division-variant: 机关所在地“沐阳县”按行政区划“江苏省宿迁市沭阳县”读取']);
    assert.deepEqual(r.meta.division, { code: '321322', name: '沭阳县', fullName: '江苏省宿迁市沭阳县', level: 'county', printed: '沐阳县', via: 'variant' });
  });
});

describe('a fragment: a page cut off inside table 二 (seed 003, first 100 lines)', () => {
  it('is refused by parse with the reason, and read with --partial', () => {
    assert.throws(() => parseFixture('fragment-seed003-cut-in-table2.txt'), /report is cut off before table 三 .*--partial/);
    const r = parseFixture('fragment-seed003-cut-in-table2.txt', { partial: true });
    assert.equal(r.meta.year, 2020);
    assert.equal(r.tables.t2.found, true);
    assert.equal(r.tables.t3.found, false);
    assert.deepEqual(values(r, 't2.license.'), { prev: '9', change: '-1', decisions: '0' });
  });
  it('is checked: the spam and the missing tables, nothing the cut explains', () => {
    const f = check(parseFixture('fragment-seed003-cut-in-table2.txt', { partial: true }));
    const rules = new Set(f.map((x) => x.ruleId));
    assert.ok(rules.has('injected-content') && rules.has('missing-table'));
    assert.ok(!rules.has('missing-section') && !f.some((x) => x.ruleId === 'missing-cell' && /行政强制/.test(x.message)));
  });
});
