/**
 * The five seed reports and the Huai'an PDF extract, each in a different flattened form.
 * Values asserted here were read off the seed texts by eye.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { formatCells } from '../src/format/cells.ts';
import { expected, parseFixture, SEEDS, values } from './helpers.ts';

describe('seed 000: tables flattened to pipes (商丘市民政局 2020, 2019 layout)', () => {
  const r = parseFixture(SEEDS.pipes);
  it('reads the metadata', () => {
    assert.equal(r.meta.agency, '商丘市民政局');
    assert.equal(r.meta.region, '商丘市');
    assert.equal(r.meta.level, 'city');
    assert.equal(r.meta.bodyKind, 'department');
    assert.equal(r.meta.year, 2020);
    assert.equal(r.meta.edition, '2019');
    assert.equal(r.meta.published, null);
  });
  it('reads table 二 in the 2019 layout, money with a thousands separator', () => {
    assert.deepEqual(values(r, 't2.license.'), { prev: '59', change: '100', decisions: '159' });
    assert.deepEqual(values(r, 't2.procurement.'), { items: '6', amount: '1005.834' });
    assert.equal(r.cells['t2.procurement.amount']!.raw, '1,005.834');
    assert.equal(r.cells['t2.normative.made']!.status, 'read');
  });
  it('gives its cells as a plain object, in key order', () => {
    assert.equal(Object.getPrototypeOf(r.cells), Object.prototype);
    const keys = Object.keys(r.cells);
    assert.deepEqual(keys, [...keys].sort());
  });
  it('reads table 三 and 四 as all zeros, each zero a printed zero', () => {
    const t3 = Object.values(r.cells).filter((c) => c.key.startsWith('t3.'));
    assert.equal(t3.length, 23 * 7);
    assert.ok(t3.every((c) => c.value === '0' && c.shown === 'zero' && c.status === 'read'));
    assert.equal(Object.keys(values(r, 't4.')).length, 15);
  });
  it('points every number back to its line and column', () => {
    const c = r.cells['t2.license.decisions']!;
    assert.equal(c.position?.line, 23);
    const line = readFileSync(new URL(`./fixtures/${SEEDS.pipes}`, import.meta.url), 'utf8').split('\n')[22]!;
    assert.equal(line.slice(c.position!.column - 1, c.position!.column - 1 + c.position!.length), '159');
  });
  it('finds the six sections with their titles as written, and drops the login chrome', () => {
    assert.deepEqual(r.sections.map((s) => s.number), [1, 2, 3, 4, 5, 6]);
    assert.equal(r.sections[4]!.title, '五、存在的主要问题及改进情况');
    assert.equal(r.sections[5]!.text, '无。');
    assert.deepEqual(r.outline.map((o) => o.topic), [1, 2, 3, 4, 5, 6]);
    assert.ok(!r.sections[1]!.text.includes('规范性文件 | 18'), 'table rows are not narrative');
  });
});

describe('seed 001: tabs, a misaligned row and a mislabelled column (吴忠市民政局 2021)', () => {
  const r = parseFixture(SEEDS.tabs);
  it('detects the 2021 layout despite 本年度止件数, and notes the variant', () => {
    assert.equal(r.meta.edition, '2021');
    assert.equal(r.tables.t2.edition, '2021');
    assert.ok(r.notes.some((n) => n.code === 'label-variant' && n.printed === '本年度止件数' && n.official === '本年废止件数'));
  });
  it('reads table 二', () => {
    assert.deepEqual(values(r, 't2.normative.'), { issued: '0', repealed: '0', valid: '1' });
    assert.equal(values(r, 't2.license.').decisions, '34');
  });
  it('reads the (七)总计 row that lost its spacer cell without shifting it', () => {
    assert.deepEqual(values(r, 't3.results_total.'), { natural: '1', commercial: '0', research: '0', social: '0', legal: '0', other_org: '0', total: '1' });
    assert.deepEqual(values(r, 't3.unable.no_info.'), { natural: '1', commercial: '0', research: '0', social: '0', legal: '0', other_org: '0', total: '1' });
    assert.equal(values(r, 't3.other.other.').total, '0');
  });
  it('joins a title split over two lines', () => {
    assert.equal(r.meta.agency, '吴忠市民政局');
    assert.equal(r.meta.year, 2021);
  });
});

describe('seed 002: one cell per line with trailing pipes (平凉市崆峒区 2021, a government)', () => {
  const r = parseFixture(SEEDS.cellPerLine);
  it('reads the page metadata: index number, date, whose report', () => {
    assert.equal(r.meta.index, '6208001003/2022-00661');
    assert.equal(r.meta.published, '2022-02-11');
    assert.equal(r.meta.publishedFrom, 'page');
    assert.equal(r.meta.region, '平凉市崆峒区');
    assert.equal(r.meta.level, 'county');
    assert.equal(r.meta.bodyKind, 'government');
  });
  it('reads table 二 with money', () => {
    assert.deepEqual(values(r, 't2.normative.'), { issued: '2', repealed: '3', valid: '19' });
    assert.equal(values(r, 't2.license.').decisions, '14394');
    assert.equal(values(r, 't2.fees.').amount, '484.64');
  });
  it('reads table 四 from one number per line under headers split by spaces (结 果 维 持)', () => {
    assert.deepEqual(values(r, 't4.review.'), { upheld: '2', corrected: '1', other: '3', pending: '1', total: '7' });
    assert.deepEqual(values(r, 't4.suit_direct.'), { upheld: '0', corrected: '0', other: '0', pending: '3', total: '3' });
    assert.deepEqual(values(r, 't4.suit_after.'), { upheld: '2', corrected: '0', other: '0', pending: '0', total: '2' });
  });
  it('finds the tables although sections 三 and 四 have no heading', () => {
    assert.deepEqual(r.sections.map((s) => s.number), [1, 2, 5, 6]);
    assert.equal(values(r, 't3.granted.').natural, '1');
  });
});

describe('seed 003: one cell per line between blank lines (双鸭山市商务局 2020)', () => {
  const r = parseFixture(SEEDS.blankLines);
  it('reads a negative 本年增/减', () => {
    assert.deepEqual(values(r, 't2.license.'), { prev: '9', change: '-1', decisions: '0' });
  });
  it('keeps the printed total as printed, although the rows above it are zero', () => {
    assert.deepEqual(values(r, 't3.results_total.'), { natural: '1', commercial: '0', research: '0', social: '0', legal: '2', other_org: '0', total: '3' });
    assert.equal(values(r, 't3.new.').total, '0');
  });
  it('does not guess which of 收费 cells the single printed 0 belongs to', () => {
    const c = r.cells['t2.fees.prev']!;
    assert.equal(c.status, 'ambiguous');
    assert.deepEqual(c.candidates, ['0', null]);
  });
  it('takes the date from the page and leaves 附件下载 out of section 六', () => {
    assert.equal(r.meta.published, '2021-01-20');
    assert.equal(r.sections.find((s) => s.number === 6)!.text, '无其他需要报告的事项。');
    assert.match(r.sections.find((s) => s.number === 0)!.text, /^发布时间:2021-01-20 16:33:45\.0\n双鸭山市商务局\n2020年政府信息公开工作年度报告\n本年度报告按照/);
  });
});

describe('seed 004: cells squashed together (鞍山市人社局 2020)', () => {
  const r = parseFixture(SEEDS.squashed);
  it('splits runs that have one reading: 规章 “0 00”, 行政许可 “000”', () => {
    assert.deepEqual(values(r, 't2.regulations.'), { made: '0', published: '0', total: '0' });
    assert.equal(r.cells['t2.regulations.published']!.status, 'inferred');
    assert.deepEqual(values(r, 't2.license.'), { prev: '0', change: '0', decisions: '0' });
  });
  it('leaves 规范性文件 “272720” ambiguous with every candidate', () => {
    for (const col of ['made', 'published', 'total']) {
      const c = r.cells[`t2.normative.${col}`]!;
      assert.equal(c.status, 'ambiguous', col);
      assert.equal(c.raw, '272720');
    }
    assert.ok(r.cells['t2.normative.made']!.candidates!.includes('27'));
    assert.ok(r.cells['t2.normative.total']!.candidates!.includes('20'));
  });
  it('splits “100001” the one way the row identity allows: total 1', () => {
    const total = r.cells['t3.new.total']!;
    assert.equal(total.value, '1');
    assert.equal(total.status, 'inferred');
    // six digits for seven cells: one cell is empty, and nothing says which
    const natural = r.cells['t3.new.natural']!;
    assert.equal(natural.status, 'ambiguous');
    assert.deepEqual(natural.candidates, ['1', null]);
    assert.ok(r.cells['t3.new.commercial']!.candidates!.every((v) => v === null || v === '0' || v === '1'));
  });
  it('does not let an inconsistent table pick a reading (予以公开 “00001” breaks the row identity)', () => {
    assert.equal(r.cells['t3.new.commercial']!.status, 'ambiguous');
    assert.equal(r.cells['t3.results_total.natural']!.status, 'ambiguous');
  });
  it('reads money in 元 and never gives a count a fraction', () => {
    const amount = r.cells['t2.procurement.amount']!;
    assert.equal(amount.status, 'ambiguous');
    assert.ok(amount.candidates!.includes('49.893588'), 'the 1 | 498935.88元 reading, in 万元');
    assert.ok(!r.cells['t2.procurement.items']!.candidates!.some((v) => v?.includes('.')));
  });
  it('marks the 人民政府集中采购 label variant', () => {
    assert.ok(r.notes.some((n) => n.code === 'label-variant' && n.printed === '人民政府集中采购'));
  });
});

describe('the Huai\'an PDF text extract: space-separated numbers, vertical labels, split header words', () => {
  it('is refused as a whole report: it is cut off inside table 三', () => {
    assert.throws(() => parseFixture(SEEDS.huaian), /cut off: table 三 ends after row 1\.本机关不掌握相关政府信息/);
  });
  const r = parseFixture(SEEDS.huaian, { partial: true });
  it('reads its rows when asked for a fragment', () => {
    assert.deepEqual(values(r, 't3.new.'), { natural: '3001', commercial: '53', research: '0', social: '0', legal: '61', other_org: '4', total: '3119' });
    assert.deepEqual(values(r, 't3.partial.'), { natural: '447', commercial: '7', research: '0', social: '0', legal: '0', other_org: '0', total: '454' });
    assert.equal(values(r, 't3.unable.no_info.').total, '769');
    assert.equal(values(r, 't2.punishment.').decisions, '3985758');
    assert.equal(values(r, 't2.fees.').amount, '96171.6');
    assert.ok(r.notes.some((n) => n.code === 'truncated'));
  });
});

describe('cells v1 output of every fixture equals its reviewed golden file', () => {
  for (const [form, name] of Object.entries(SEEDS)) {
    it(form, () => {
      const golden = readFileSync(expected(name.replace(/\.txt$/, '.cells')), 'utf8');
      assert.equal(formatCells(parseFixture(name, { partial: true })), golden);
    });
  }
});
