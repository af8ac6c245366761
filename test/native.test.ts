/**
 * Native formats: the seeds written as HTML (GBK and UTF-8), DOCX, XLSX and PDF must give the
 * cells their text forms give; real published PDFs and the official template read correctly.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { strToU8, zlibSync } from 'fflate';
import { check } from '../src/check/engine.ts';
import { extract } from '../src/extract/extract.ts';
import { parseAsync, readDocument, sniff } from '../src/index.ts';
import { readHtml } from '../src/read/html.ts';
import { pdfjsFixes, repairWorker } from '../src/read/pdfjs-fixes.ts';
import { encodeGbk } from '../src/render/encode.ts';
import { reportHtml } from '../src/render/html.ts';
import { SEEDS, parseFixture, readFixture, values } from './helpers.ts';

const NATIVE = readdirSync(new URL('./fixtures/native/', import.meta.url)).sort();
const textForm = (base: string) => Object.values(SEEDS).find((s) => s.startsWith(base))!;

describe('native fixtures give the cells of their text forms', () => {
  for (const file of NATIVE) {
    it(file, async () => {
      const base = file.replace(/\.[a-z]+$/, '');
      const text = parseFixture(textForm(base));
      const native = await parseAsync(readFixture(`native/${file}`), { name: file });
      assert.equal(native.source.format, file.split('.').pop());
      assert.equal(native.meta.edition, text.meta.edition);
      assert.equal(native.meta.year, text.meta.year);
      let determined = 0;
      for (const [key, cell] of Object.entries(text.cells)) {
        const got = native.cells[key];
        if (cell.status === 'ambiguous') {
          // the writers print an undetermined cell as blank: the native value is one of the candidates or blank
          assert.ok(got === undefined || got.value === null || cell.candidates!.includes(got.value), `${key}: ${got?.value} not among ${cell.candidates}`);
          continue;
        }
        determined++;
        assert.equal(got?.value, cell.value, `${key}: ${file} gives ${got?.value}, the text form ${cell.value}`);
      }
      assert.ok(determined > 0);
      // every number points back into the native file
      const t3 = Object.values(native.cells).find((c) => c.key.startsWith('t3.') && c.position !== null);
      assert.ok(t3?.position?.origin, `${file}: no origin`);
    });
  }
});

describe('real published files', () => {
  it('reads the Huai\'an city 2024 PDF completely: labels wrapped over three lines, numbers in the millions', async () => {
    const r = await parseAsync(readFixture('corpus/huaian-city-gov-2024.pdf'));
    assert.equal(r.source.format, 'pdf');
    assert.equal(r.meta.year, 2024);
    assert.equal(r.meta.agency, '淮安市人民政府');
    assert.deepEqual(values(r, 't3.new.'), { commercial: '53', legal: '61', natural: '3001', other_org: '4', research: '0', social: '0', total: '3119' });
    assert.equal(r.cells['t2.punishment.decisions']?.value, '3985758');
    assert.equal(r.cells['t2.fees.amount']?.value, '96171.6');
    assert.deepEqual(values(r, 't3.other.no_correction.'), { commercial: '3', legal: '1', natural: '67', other_org: '0', research: '0', social: '0', total: '71' });
    assert.equal(r.cells['t3.results_total.total']?.value, '3050');
    assert.equal(r.cells['t4.review.total']?.value, '351');
    const pos = r.cells['t3.new.natural']!.position!;
    assert.equal(pos.page, 4);
    assert.ok(pos.origin?.box && pos.origin.box[0] > 250 && pos.origin.box[0] < 280, `box ${pos.origin?.box}`);
    assert.deepEqual(check(r).map((f) => f.ruleId), []);
  });

  it('finds the real defect of the Hongze district 2023 PDF: table 四 totals printed as 0', async () => {
    const r = await parseAsync(readFixture('corpus/hongze-district-gov-2023.pdf'));
    assert.equal(r.meta.year, 2023);
    assert.equal(r.meta.bodyKind, 'government');
    assert.equal(r.cells['t2.fees.amount']?.value, '7730.28');
    // a typo in the published label (其他法律行政止公开) still finds its row
    assert.equal(r.cells['t3.denied.law.total']?.value, '0');
    const found = check(r);
    assert.deepEqual(found.map((f) => f.ruleId), ['t4-total']);
    assert.equal(found[0]!.instances?.length, 2);
    assert.equal(found[0]!.positions[0]!.page, 4);
    // the page number “- 3 -” in the footer is not text of the report
    assert.ok(!r.sections.some((s) => /- \d+ -/.test(s.text)));
  });

  it('reads the Hongze district 2024 PDF\'s ruled table: a row that keeps the template\'s empty sub-item column reads by the table\'s value columns', async () => {
    const r = await parseAsync(readFixture('corpus/hongze-district-gov-2024.pdf'));
    // （六）其他处理 as one row, with the empty cell of the sub-item labels column beside it
    const row = (id: string) => ['natural', 'commercial', 'research', 'social', 'legal', 'other_org', 'total'].map((c) => r.cells[`t3.${id}.${c}`]?.status === 'ambiguous' ? '?' : r.cells[`t3.${id}.${c}`]?.value);
    assert.deepEqual(row('other'), ['0', '0', '0', '0', '0', '0', '0']);
    assert.deepEqual(row('results_total'), ['95', '0', '0', '0', '0', '0', '95']);
    assert.ok(!Object.values(r.cells).some((c) => c.status === 'ambiguous'), 'no cell in doubt');
  });

  for (const ext of ['docx', 'doc'] as const) {
    it(`reads the official blank template ${ext.toUpperCase()}: every table, every row, no numbers`, async () => {
      const doc = await readDocument(readFixture(`corpus/official-template-2021-blank.${ext}`));
      assert.equal(doc.format, ext);
      assert.deepEqual(doc.tables!.map((t) => `${t.rows}x${t.cols}`), ['14x4', '28x10', '4x15']);
      // the merged header: 申请人情况 spans the seven columns, 自然人 two rows
      const head = doc.tables![1]!.cells.find((c) => c.text === '申请人情况')!;
      assert.equal(head.colSpan, 7);
      assert.equal(doc.tables![1]!.cells.find((c) => c.text === '自然人')!.rowSpan, 2);
      const r = extract(doc, { partial: true });
      assert.equal(r.meta.edition, '2021');
      assert.deepEqual(r.tables.t3.missingRows, []);
      assert.ok(Object.values(r.cells).every((c) => c.value === null));
    });
  }
});

describe('HTML pages', () => {
  const page = (body: string, head = '') => `<!DOCTYPE html><html><head>${head}<title>某县民政局2021年政府信息公开工作年度报告_某县人民政府</title></head><body>${body}</body></html>`;
  const report = readFixture('native/seed001-wuzhong-mzj-2021.html').toString('utf8');

  it('detects GBK with no declaration by sniffing, and GBK declared as gb2312', () => {
    const html = page('<div class="article"><p>一、总体情况</p><p>本机关全年主动公开政府信息。</p></div>');
    assert.match(readHtml(encodeGbk(html)).encoding, /^gb18030 \(sniffed\)/);
    const declared = readHtml(encodeGbk(html.replace('<head>', '<head><meta http-equiv="Content-Type" content="text/html; charset=gb2312">')));
    assert.match(declared.encoding, /declared gb2312/);
    assert.match(declared.text, /本机关全年主动公开政府信息/);
  });

  it('trusts the bytes over a wrong declaration (UTF-8 page declaring GBK)', () => {
    const html = page('<p>一、总体情况</p><p>本机关全年主动公开政府信息。</p>', '<meta charset="gbk">');
    const d = readHtml(new TextEncoder().encode(html));
    assert.match(d.encoding, /^utf-8/);
    assert.match(d.text, /本机关全年主动公开/);
  });

  it('leaves out navigation, footers and related links, keeps the article and the page date', () => {
    const html = page(`<div class="nav"><a href="/">首页</a><a href="/x">政务公开</a></div>
      <div class="wrap"><div class="info">发布时间：2022-01-20</div><div class="related"><a href="/y">2020年政府信息公开工作年度报告</a></div>
      <div class="con"><h1>某县民政局2021年政府信息公开工作年度报告</h1><p>一、总体情况</p><p>二、主动公开政府信息情况</p></div></div>
      <div class="footer">版权所有：某县人民政府 网站标识码</div>`);
    const d = readHtml(new TextEncoder().encode(html));
    assert.doesNotMatch(d.text, /首页|版权所有|2020年政府信息公开/);
    assert.match(d.text, /发布时间：2022-01-20/);
    assert.match(d.text, /一、总体情况\n二、主动公开/);
  });

  it('builds grids from rowspan/colspan, reads <br> inside a cell and &nbsp; as blank', () => {
    const html = page(`<table><tr><td rowspan="2">三、本年度<br>办理结果</td><td>（一）予以公开</td><td>1</td><td>&nbsp;</td></tr>
      <tr><td>（二）部分公开</td><td>2</td><td>0</td></tr></table>`);
    const d = readHtml(new TextEncoder().encode(html));
    const t = d.tables![0]!;
    assert.deepEqual(t.cells.map((c) => [c.r, c.c, c.rowSpan, c.text]), [
      [0, 0, 2, '三、本年度办理结果'], [0, 1, 1, '（一）予以公开'], [0, 2, 1, '1'], [0, 3, 1, ''],
      [1, 1, 1, '（二）部分公开'], [1, 2, 1, '2'], [1, 3, 1, '0'],
    ]);
    // the origin is the cell's text in the HTML
    const one = t.cells[2]!;
    assert.equal(html.slice(one.origin!.offset!, one.origin!.offset! + one.origin!.length!), '1');
  });

  it('reads a report inside a layout table (tables nested in table cells)', async () => {
    const inner = /<div class="article">([\s\S]*)<\/div>\s*<\/body>/.exec(report)![1]!;
    const html = report.replace(inner, `<table width="100%"><tr><td class="left"><a href="/">栏目</a></td><td>${inner}</td></tr></table>`);
    const r = await parseAsync(new TextEncoder().encode(html));
    const plain = await parseAsync(new TextEncoder().encode(report));
    assert.deepEqual(values(r, 't3.'), values(plain, 't3.'));
  });

  it('escapes report text when writing HTML (injected <script> stays text)', () => {
    const r = parseFixture(SEEDS.tabs);
    r.meta.title = '<script>alert(1)</script>';
    assert.doesNotMatch(reportHtml(r), /<script>/);
  });
});

describe('format sniffing', () => {
  it('trusts the bytes, not the name', () => {
    assert.equal(sniff(readFixture('native/seed000-shangqiu-mzj-2020.docx')), 'docx');
    assert.equal(sniff(readFixture('native/seed000-shangqiu-mzj-2020.xlsx')), 'xlsx');
    assert.equal(sniff(readFixture('native/seed000-shangqiu-mzj-2020.pdf')), 'pdf');
    assert.equal(sniff(readFixture('native/seed001-wuzhong-mzj-2021.html')), 'html');
    assert.equal(sniff(readFixture(SEEDS.pipes)), 'text');
  });
  it('an HTML page after any whitespace, a no-break space too, is HTML; a tag after text is not', () => {
    const bytes = (s: string) => new TextEncoder().encode(s);
    assert.equal(sniff(bytes(' \r\n\t\f<!DOCTYPE html><p>x</p>')), 'html');
    assert.equal(sniff(new Uint8Array([0xa0, ...bytes('<html><p>x</p></html>')])), 'html');
    assert.equal(sniff(bytes('<!-- saved --> <table><tr><td>1</td></tr></table>')), 'html');
    assert.equal(sniff(bytes('报告 <html><p>x</p>')), 'text');
    assert.equal(sniff(new Uint8Array([0xff, 0xfe, ...[...'<html>'].flatMap((c) => [c.charCodeAt(0), 0])])), 'html');
  });
});

describe('pdfjs, mended as it loads (src/read/pdfjs-fixes.ts)', () => {
  const workerPath = fileURLToPath(import.meta.resolve('pdfjs-dist/legacy/build/pdf.worker.mjs'));
  const published = readFileSync(workerPath, 'utf8');

  it('the installed pdfjs holds the text of every repair exactly once (an upgrade that changes it fails here)', () => {
    const r = repairWorker(published);
    assert.deepEqual(r.missed, []);
    assert.ok(r.applied.length > 0);
    assert.notEqual(r.source, published);
  });

  it('a repair whose text is missing or doubled is left out, and the module is left as published', () => {
    const r = repairWorker('export const x = 1;');
    assert.equal(r.source, 'export const x = 1;');
    assert.deepEqual(r.applied, []);
    const twice = repairWorker(published + published);
    assert.equal(twice.source.length, published.length * 2);
    assert.ok(twice.missed.length > 0);
    // a repair of two edits whose second text is gone is not made half: its first is left too
    const half = repairWorker(published.replace('      return new ToUnicodeMap(toUnicode);', '      return new ToUnicodeMap(toUnicode );'));
    assert.deepEqual(half.missed, ["a composite font's code-to-Unicode map made once a thread for each built-in CMap, and copied for each font (a font amends its own)"]);
    assert.ok(!half.source.includes('gongkaiToUnicode'));
    assert.ok(half.source.includes('gongkaiBuiltInCMaps'));
  });

  it('reading a PDF loads the mended worker', async () => {
    const doc = await readDocument(new Uint8Array(readFixture('native/seed000-shangqiu-mzj-2020.pdf')), 'seed000.pdf');
    assert.equal(doc.format, 'pdf');
    const status = pdfjsFixes();
    assert.equal(status.loaded, true);
    assert.deepEqual(status.missed, []);
  });

  it('a PDF reads the same whichever PDFs the thread read before it (the built-in CMaps and code maps are made once a thread)', async () => {
    const names = ['corpus/huaian-city-gov-2024.pdf', 'corpus/hongze-district-gov-2023.pdf', 'corpus/hongze-district-gov-2024.pdf',
      ...readdirSync(new URL('./fixtures/native/', import.meta.url)).filter((f) => f.endsWith('.pdf')).map((f) => `native/${f}`)];
    const read = (n: string) => readDocument(new Uint8Array(readFixture(n)), n);
    const first = new Map<string, unknown>();
    for (const n of names) first.set(n, await read(n));
    // again, in the other order: each after different ones
    for (const n of [...names].reverse()) assert.deepEqual(await read(n), first.get(n), n);
    assert.equal(pdfjsFixes().missed.length, 0);
  });

  it('a Flate stream inflates to the same bytes by Node\'s zlib as through a DecompressionStream, and a broken one falls back the same way', async () => {
    /** The method `asyncGetBytesFromDecompressionStream` of the module's text, on a stream of `bytes`. */
    const methodOf = (source: string) => {
      const start = source.indexOf('  async asyncGetBytesFromDecompressionStream(name) {');
      const end = source.indexOf('\n  }\n', start) + 4;
      const Holder = new Function(`return class { ${source.slice(start, end)} }`)() as new () => { stream: unknown; asyncGetBytesFromDecompressionStream(name: string): Promise<{ decompressed: Uint8Array | null; compressed: Uint8Array }> };
      return async (bytes: Uint8Array) => {
        const h = new Holder();
        h.stream = { reset() {}, isAsync: false, getBytes: () => bytes };
        const r = await h.asyncGetBytesFromDecompressionStream('deflate');
        return { decompressed: r.decompressed && [...r.decompressed], compressed: [...r.compressed] };
      };
    };
    const published = methodOf(readFileSync(workerPath, 'utf8'));
    const mended = methodOf(repairWorker(readFileSync(workerPath, 'utf8')).source);
    const data = zlibSync(strToU8(`BT /F1 12 Tf ${'(政府信息公开) Tj 0 -14 Td '.repeat(300)} ET`));
    const cases = { whole: data, truncated: data.subarray(0, data.length >> 1), 'trailing junk': Uint8Array.from([...data, 1, 2, 3]), 'not deflate': strToU8('hello, world') };
    for (const [what, bytes] of Object.entries(cases)) assert.deepEqual(await mended(bytes), await published(bytes), what);
    assert.ok((await mended(data)).decompressed !== null);
  });

  it('a PDF whose font fails to load reads the same with the font remembered as failed as with pdfjs as published', () => {
    // the descendant font of seed000's only font, cut so that it never ends (a string opened and
    // not closed, as the fuzzer made of a real report's ToUnicode): each of the three pages uses it
    const pdf = Buffer.from(readFixture('native/seed000-shangqiu-mzj-2020.pdf'));
    const broken = '/CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >>';
    const at = pdf.indexOf(broken);
    assert.ok(at > 0);
    pdf.write('('.repeat(broken.length), at, 'latin1');
    const dir = mkdtempSync(join(tmpdir(), 'gongkai-pdfjs-'));
    try {
      writeFileSync(join(dir, 'broken.pdf'), pdf);
      const src = (p: string) => JSON.stringify(fileURLToPath(new URL(`../src/${p}`, import.meta.url)));
      // pdfjs's worker module imported before our reader: the module hook never sees it, so it runs as published
      const read = (published: boolean) => execFileSync(process.execPath, ['--input-type=module', '-e', `
        ${published ? `await import(${JSON.stringify(workerPath)});` : ''}
        const { readDocument } = await import(${src('index.ts')});
        const { pdfjsFixes } = await import(${src('read/pdfjs-fixes.ts')});
        const { readFileSync } = await import('node:fs');
        let out;
        try { out = await readDocument(new Uint8Array(readFileSync(${JSON.stringify(join(dir, 'broken.pdf'))})), 'broken.pdf'); } catch (e) { out = String(e?.message); }
        process.stdout.write(JSON.stringify({ mended: pdfjsFixes().applied.length, out }));
      `], { encoding: 'utf8' });
      const published = JSON.parse(read(true));
      const mended = JSON.parse(read(false));
      assert.equal(published.mended, 0);
      assert.ok(mended.mended > 0);
      assert.deepEqual(mended.out, published.out);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the mended CharCodeMap answers as the published one does, for codes near and far, 16-bit and wider', () => {
    const classOf = (source: string) => {
      const start = source.indexOf('class CharCodeMap {');
      const end = source.indexOf('\n}\n', start) + 2;
      return new Function('REVERSE_MAP_FACTOR', `${source.slice(start, end)}; return CharCodeMap;`)(32) as new () => {
        set(code: number, value: unknown): void; get(code: number): unknown; has(code: number): boolean; size: number;
        forEach(cb: (code: number, value: unknown) => void): void; charCodeOf(value: unknown): number; clone(): unknown;
      };
    };
    const Old = classOf(published);
    const New = classOf(repairWorker(published).source);
    // a built-in CMap's shape: a few ASCII codes, then codes far apart (UCS-2), rewrites, wider codes
    const codes = [0x20, 0x21, 0x7e, 0x3000, 0x4e00, 0x4e01, 0x9fa5, 0x21, 0xffe5, 0x10000, 0x8140, 0x4e00, 0x2, 0xffff, 0x12345];
    let seed = 7;
    for (let i = 0; i < 2000; i++) { seed = (seed * 1103515245 + 12345) % 2 ** 31; codes.push(seed % 3 === 0 ? seed % 0x20000 : seed % 0x10000); }
    const a = new Old();
    const b = new New();
    codes.forEach((c, i) => { a.set(c, `v${i % 97}`); b.set(c, `v${i % 97}`); });
    const list = (m: InstanceType<typeof Old>) => { const out: Array<[number, unknown]> = []; m.forEach((c, v) => out.push([c, v])); return out; };
    assert.equal(b.size, a.size);
    assert.deepEqual(list(b), list(a));
    for (const c of [...codes, 0, 1, 0x5000, 0x1ffff, 0x7fffffff]) {
      assert.equal(b.get(c), a.get(c));
      assert.equal(b.has(c), a.has(c));
    }
    for (let v = 0; v < 97; v++) assert.equal(b.charCodeOf(`v${v}`), a.charCodeOf(`v${v}`));
    assert.deepEqual(list(b.clone() as typeof b), list(a.clone() as typeof a));
  });
});
