/**
 * The forms the tools people run make of a report, read against the reading of the document
 * they were made from (test/fixtures/tools, made by `npm run fixtures`): a web page printed to
 * PDF by chromium (ruled cells, the browser's running header and footer, glyphs mapped to CJK
 * radicals), poppler's `pdftotext -layout` of that print and of two real published PDFs
 * (columns as runs of spaces, labels wrapped onto the next line), and pandoc's Markdown of a
 * web page (`pandoc -f html -t gfm`, the page's <div> kept as raw HTML).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { toCells } from '../src/format/cells.ts';
import { parseAsync, readDocument, sniff } from '../src/index.ts';
import { pageRules, ruledTables } from '../src/read/pdf-rules.ts';
import { nfkc } from '../src/read/normalize.ts';
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { readFixture } from './helpers.ts';

const cellsOf = async (name: string) => toCells(await parseAsync(readFixture(name), { name }));

/** Every table cell of `form` as in `reference`: keys, values and `?` alike. */
async function sameCells(form: string, reference: string): Promise<Map<string, string>> {
  const [got, want] = await Promise.all([cellsOf(form), cellsOf(reference)]);
  const diff = [...new Set([...got.keys(), ...want.keys()])].filter((k) => got.get(k) !== want.get(k)).map((k) => `${k}: ${want.get(k)} → ${got.get(k)}`);
  assert.deepEqual(diff, [], `${form} against ${reference}`);
  return got;
}

describe('a web page printed to PDF by a browser', () => {
  it('reads every cell as the page itself reads, blank cells in place from the ruled borders', async () => {
    const cells = await sameCells('tools/seed004-anshan-rsj-2020.browser.pdf', 'native/seed004-anshan-rsj-2020.html');
    assert.equal(cells.get('t3.new.total'), '1');
    assert.ok(![...cells.values()].includes('?'), 'no cell in doubt: the rules say which column a lone 1 stands in');
  });

  it('takes the grids from the drawn rules, and drops the browser\'s header and footer', async () => {
    const doc = await readDocument(readFixture('tools/seed004-anshan-rsj-2020.browser.pdf'), 'print.pdf');
    assert.deepEqual(doc.tables!.map((t) => t.cols), [4, 10, 10, 15], 'table 二, table 三 over two pages, table 四');
    assert.doesNotMatch(doc.text, /about:blank|\d+\/\d+\/\d+, \d+:\d+/);
    const r = await parseAsync(readFixture('tools/seed004-anshan-rsj-2020.browser.pdf'), { name: 'print.pdf' });
    assert.equal(r.meta.agency, '鞍山市人力资源和社会保障局', 'the font maps 民 and 人 to radicals; they read as the characters');
  });

  it('reads the radicals a PDF gives for whole characters as those characters', () => {
    assert.equal(nfkc('⺠族宗教事务局⻓'), '民族宗教事务局长');
    assert.equal(nfkc('⼈⺠政府'), '人民政府');
  });
});

describe('ruled tables from drawn segments', () => {
  /** An operator list painting `rects` (x, y from the bottom, w, h) as stroked rectangles. */
  const ops = (rects: number[][], paint = OPS.stroke) => ({
    fnArray: rects.map(() => OPS.constructPath),
    argsArray: rects.map(([x, y, w, h]) => [paint, [new Float32Array([0, x!, y!, 1, x! + w!, y!, 1, x! + w!, y! + h!, 1, x!, y! + h!, 4])], null]),
  });

  it('cuts a table into cells, merged cells where no rule separates them', () => {
    // a header cell over two columns, then a row of two cells
    const t = ruledTables(pageRules(ops([[0, 80, 200, 20], [0, 60, 100, 20], [100, 60, 100, 20]]), 100));
    assert.equal(t.length, 1);
    assert.deepEqual(t[0]!.cells.map((c) => [c.r, c.c, c.rowSpan, c.colSpan]), [[0, 0, 1, 2], [1, 0, 1, 1], [1, 1, 1, 1]]);
    assert.deepEqual(t[0]!.box, [0, 0, 200, 40], 'page space: y from the top');
  });

  it('reads thin filled bars as rules (a browser\'s borders) and ignores big filled areas', () => {
    const bars = [[0, 0, 200, 1], [0, 20, 200, 1], [0, 40, 200, 1], [0, 0, 1, 41], [100, 0, 1, 41], [199, 0, 1, 41], [0, 0, 500, 500]];
    const t = ruledTables(pageRules(ops(bars, OPS.fill), 600));
    assert.equal(t.length, 1);
    assert.equal(t[0]!.cells.length, 4);
  });

  it('finds no table in a frame round a paragraph, or in lines that do not meet', () => {
    assert.deepEqual(ruledTables(pageRules(ops([[0, 0, 300, 100]]), 200)), []);
    assert.deepEqual(ruledTables({ h: [{ at: 10, from: 0, to: 50 }, { at: 30, from: 0, to: 50 }], v: [{ at: 200, from: 0, to: 50 }, { at: 300, from: 0, to: 50 }] }), []);
  });
});

describe('pdftotext -layout text', () => {
  it('reads the real 洪泽区 2023 PDF\'s layout text as the PDF itself reads', async () => {
    await sameCells('tools/hongze-district-gov-2023.layout.txt', 'corpus/hongze-district-gov-2023.pdf');
  });

  it('reads the real 淮安市 2024 PDF\'s layout text, labels wrapped over three lines, as the PDF reads', async () => {
    await sameCells('tools/huaian-city-gov-2024.layout.txt', 'corpus/huaian-city-gov-2024.pdf');
  });

  it('finds rows whose label wraps with the numbers on its first line, and reads no browser header as the title', async () => {
    const r = await parseAsync(readFixture('tools/seed004-anshan-rsj-2020.browser.layout.txt'), { name: 'layout.txt' });
    assert.equal(r.meta.agency, '鞍山市人力资源和社会保障局');
    assert.deepEqual(r.tables.t3.missingRows, []);
    const html = await cellsOf('native/seed004-anshan-rsj-2020.html');
    // a blank cell is only a wider gap: what is read agrees with the page, the rest is `?`
    for (const [k, v] of await cellsOf('tools/seed004-anshan-rsj-2020.browser.layout.txt')) if (v !== '?' && k.startsWith('t')) assert.equal(v, html.get(k), k);
  });
});

describe('pandoc\'s Markdown of a web page', () => {
  it('is read as text, not as HTML, though it keeps the page\'s <div> as raw HTML', () => {
    assert.equal(sniff(readFixture('tools/seed001-wuzhong-mzj-2021.gfm.md')), 'text');
    assert.equal(sniff(new TextEncoder().encode('<div class="article">\n<p>段落</p>\n<table><tr><td>1</td></tr></table>\n</div>')), 'html', 'a page with cells is HTML');
  });

  it('reads every cell as the page reads, spans flattened to padding cells', async () => {
    await sameCells('tools/seed001-wuzhong-mzj-2021.gfm.md', 'native/seed001-wuzhong-mzj-2021.html');
    await sameCells('tools/seed003-shuangyashan-swj-2020.gfm.md', 'native/seed003-shuangyashan-swj-2020.html');
  });
});
