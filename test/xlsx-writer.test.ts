/**
 * The XLSX export's writer: a sheet's rows written as XML bytes (`SheetRows`), short texts shared
 * (`SharedStrings`), and the workbook made of sheets whose rows are compressed in pieces apart and
 * whose starts are compressed last (`WorkbookStream`): checked against what the XML must say, and
 * the ZIP against its own CRCs and zlib's.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { crc32, inflateRawSync } from 'node:zlib';
import { strFromU8, unzipSync } from 'fflate';
import { SharedStrings, SheetRows, type XlsxValue } from '../src/render/xlsx.ts';
import { readXlsx } from '../src/read/xlsx.ts';
import { crc32Combine, PIECE, WorkbookStream, WorkbookTooLarge } from '../src/store/workbook-stream.ts';

/** Rows through `SheetRows` (pieces of `size` bytes), as XML text, and the columns' widths. */
function written(rows: ReadonlyArray<ReadonlyArray<XlsxValue>>, opts: { headerRows?: number; merges?: Array<[number, number, number, number]>; shared?: SharedStrings; size?: number } = {}) {
  const pieces: Uint8Array[] = [];
  const sheet = new SheetRows((p) => pieces.push(p.slice()), { ...opts, buffer: opts.size ? () => new Uint8Array(opts.size!) : undefined });
  rows.forEach((row, r) => sheet.row(row, r));
  sheet.flush();
  return { xml: Buffer.concat(pieces).toString('utf8'), widths: sheet.columns, pieces: pieces.length };
}

/** Every entry of a ZIP from its central directory: name, CRC-32 and size as recorded, and its bytes inflated. */
function entries(zip: Uint8Array): Array<{ name: string; crc: number; size: number; data: Buffer }> {
  const b = Buffer.from(zip);
  const end = b.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  const count = b.readUInt16LE(end + 10);
  let at = b.readUInt32LE(end + 16);
  const out = [];
  for (let i = 0; i < count; i++) {
    const [crc, packed, size, nameLength, extra, comment, local] = [b.readUInt32LE(at + 16), b.readUInt32LE(at + 20), b.readUInt32LE(at + 24), b.readUInt16LE(at + 28), b.readUInt16LE(at + 30), b.readUInt16LE(at + 32), b.readUInt32LE(at + 42)];
    const name = b.toString('utf8', at + 46, at + 46 + nameLength);
    const from = local + 30 + b.readUInt16LE(local + 26) + b.readUInt16LE(local + 28);
    out.push({ name, crc, size, data: inflateRawSync(b.subarray(from, from + packed)) });
    at += 46 + nameLength + extra + comment;
  }
  return out;
}

describe('crc32Combine', () => {
  it('gives the CRC-32 of two byte runs one after the other, as zlib computes it over both', () => {
    for (const [a, b] of [[0, 0], [0, 7], [5, 0], [1, 1], [100, 3], [3, 100_000], [70_000, 1 << 20], [17, 65_537]]) {
      const x = randomBytes(a!);
      const y = randomBytes(b!);
      assert.equal(crc32Combine(crc32(x), crc32(y), y.length), crc32(Buffer.concat([x, y])), `${a} + ${b} bytes`);
    }
  });
});

describe('SheetRows', () => {
  it('writes numbers, dates, text and blanks as a sheet\'s XML, header rows styled, and sizes the columns', () => {
    const { xml, widths } = written([
      ['机关 agency', null, 12, ''],
      ['淮安市民政局', { date: '2021-01-28' }, -3, 1.5, { date: '2021-02-30' }, 'a <b> & "c" \'d\'\u0001\u000b', '\ud83d\ude00 \ud800x'],
      [null, 0, '?', 123_456_789_012],
    ], { headerRows: 1 });
    assert.equal(xml, [
      '<row r="1"><c r="A1" s="2" t="inlineStr"><is><t>机关 agency</t></is></c><c r="B1" s="2"/><c r="C1" s="2"><v>12</v></c><c r="D1" s="2"/></row>',
      '<row r="2"><c r="A2" t="inlineStr"><is><t>淮安市民政局</t></is></c><c r="B2" s="1"><v>44224</v></c><c r="C2"><v>-3</v></c><c r="D2"><v>1.5</v></c>',
      '<c r="E2" t="inlineStr"><is><t>2021-02-30</t></is></c><c r="F2" t="inlineStr"><is><t>a &lt;b&gt; &amp; &quot;c&quot; &#39;d&#39;\n</t></is></c>',
      '<c r="G2" t="inlineStr"><is><t>\ud83d\ude00 x</t></is></c></row>',
      '<row r="3"><c r="B3"><v>0</v></c><c r="C3" t="inlineStr"><is><t>?</t></is></c><c r="D3"><v>123456789012</v></c></row>',
    ].join(''));
    // CJK counts double, a header cell at most 16, a column at least 6 (and 2 more than its widest)
    assert.deepEqual(widths, [14, 12, 6, 14, 12, 19, 6]);
  });

  it('writes a stored number\'s text as Number() of it would be written, and anything else as that number', () => {
    for (const v of ['0', '7', '12345', '007', '1.50', '-3', '1e3', '123456789012345678', ' 5', '']) {
      const sheet = (write: (s: SheetRows) => void) => {
        const pieces: Uint8Array[] = [];
        const s = new SheetRows((p) => pieces.push(p.slice()));
        s.begin(0);
        write(s);
        s.end();
        s.flush();
        return [Buffer.concat(pieces).toString(), s.columns] as const;
      };
      assert.deepEqual(sheet((s) => s.numberText(3, v)), sheet((s) => s.number(3, Number(v))), JSON.stringify(v));
    }
  });

  it('goes on in a new piece when one fills, a value never cut, and a value larger than a piece whole', () => {
    const rows = Array.from({ length: 300 }, (_, r) => [`第${r}行`, r * 1000, 'x'.repeat(r % 7 === 0 ? 5000 : 10)]);
    const small = written(rows, { size: 4096 });
    assert.ok(small.pieces > 10, `${small.pieces} pieces`);
    assert.equal(small.xml, written(rows, { size: 1 << 20 }).xml);
  });

  it('shares the texts of rows below the header (the same text, the same number), and writes long ones inline', () => {
    const shared = new SharedStrings();
    const long = '说明'.repeat(30);
    const { xml } = written([['机关 agency', '规则 rule'], ['甲局', 't3-balance', long], ['甲局', ' 乙 ', 't3-balance']], { headerRows: 1, shared });
    assert.match(xml, /<c r="A1" s="2" t="inlineStr"><is><t>机关 agency<\/t><\/is><\/c>/, 'the header inline');
    assert.match(xml, /<c r="A2" t="s"><v>0<\/v><\/c><c r="B2" t="s"><v>1<\/v><\/c><c r="C2" t="inlineStr"><is><t>说明说明/);
    assert.match(xml, /<c r="A3" t="s"><v>0<\/v><\/c><c r="B3" t="s"><v>2<\/v><\/c><c r="C3" t="s"><v>1<\/v><\/c>/);
    assert.equal(strFromU8(shared.xml()), '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="5" uniqueCount="3"><si><t>甲局</t></si><si><t>t3-balance</t></si><si><t xml:space="preserve"> 乙 </t></si></sst>');
    // past its limit, a new text goes inline; the texts it holds are still shared
    const full = new SharedStrings(1);
    const past = written([['甲局', '乙局', '甲局']], { shared: full }).xml;
    assert.equal(past, '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>乙局</t></is></c><c r="C1" t="s"><v>0</v></c></row>');
  });
});

describe('WorkbookStream', () => {
  it('puts each sheet\'s start before its rows compressed in pieces apart, and the ZIP\'s CRCs are the bytes\'', async () => {
    const book = new WorkbookStream();
    const text = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => `<row r="${i + seed}"><c r="A${i}"><v>${(i * seed) % 97}</v></c></row>`).join(''));
    const rows = [Buffer.concat([text(40_000, 1), randomBytes(PIECE)]), text(3, 2), Buffer.alloc(0)];
    const ids = rows.map((_, i) => book.add(`表${i}`, i === 0 ? 4 : 5));
    for (const [i, r] of rows.entries()) {
      // in pieces as the export hands them over: whole buffers of PIECE bytes, the last part of one
      for (let at = 0; at < r.length; at += PIECE) {
        const piece = book.buffer();
        const part = r.subarray(at, at + PIECE);
        piece.set(part);
        await book.push(ids[i]!, piece.subarray(0, part.length));
      }
    }
    const starts = ids.map((i) => Buffer.from(`<?xml version="1.0"?><worksheet><sheetData><!-- ${i} -->`));
    const shared = new SharedStrings();
    shared.index('甲局');
    const zip = Buffer.concat(await book.end(starts, [2, 0, 1], shared.xml()));
    const all = entries(zip);
    for (const e of all) assert.equal(crc32(e.data), e.crc, `${e.name}: CRC`);
    for (const e of all) assert.equal(e.data.length, e.size, `${e.name}: size`);
    for (const i of ids) assert.ok(all.find((e) => e.name === `xl/worksheets/sheet${i + 1}.xml`)!.data.equals(Buffer.concat([starts[i]!, rows[i]!])), `sheet ${i}`);
    const files = unzipSync(zip);
    assert.match(strFromU8(files['xl/workbook.xml']!), /<sheet name="表2" sheetId="3" r:id="rId3"\/><sheet name="表0" sheetId="1"/);
    assert.match(strFromU8(files['xl/_rels/workbook.xml.rels']!), /Target="sharedStrings.xml"/);
    assert.match(strFromU8(files['[Content_Types].xml']!), /PartName="\/xl\/sharedStrings.xml"/);
    assert.match(strFromU8(files['xl/sharedStrings.xml']!), /<si><t>甲局<\/t><\/si>/);
  });

  it('refuses to make a file larger than a ZIP without ZIP64 holds (here a limit of 64 kB), by name, not a damaged file', async () => {
    const book = new WorkbookStream({ most: 1 << 16 });
    const i = book.add('表');
    const piece = book.buffer();
    piece.set(randomBytes(PIECE));
    await book.push(i, piece);
    await assert.rejects(book.end([Buffer.from('<worksheet><sheetData>')]), (e) => e instanceof WorkbookTooLarge && /larger than 4 GB .* export fewer reports/.test(e.message));
    // the same once the compressed bytes are counted before the next piece: refused as it is pushed
    const more = new WorkbookStream({ most: 1 << 16 });
    const j = more.add('表');
    for (let k = 0; k < 12; k++) {
      const p = more.buffer();
      p.set(randomBytes(PIECE));
      try {
        await more.push(j, p);
      } catch (e) {
        assert.ok(e instanceof WorkbookTooLarge, String(e));
        more.abort();
        return;
      }
    }
    assert.fail('twelve megabytes of random bytes were taken under a limit of 64 kB');
  });

  it('makes a workbook the reader reads back, its shared texts in their cells', async () => {
    const book = new WorkbookStream();
    const shared = new SharedStrings();
    const head: Uint8Array[] = [];
    const rows = new SheetRows((p) => head.push(p.slice()), { headerRows: 1, shared, buffer: () => book.buffer() });
    rows.row(['机关', '数量'], 0);
    rows.flush();
    const i = book.add('表');
    rows.out = (p) => void book.push(i, p);
    rows.row(['甲局', 3], 1);
    rows.row(['甲局', 4], 2);
    rows.raw('</sheetData></worksheet>');
    rows.flush();
    const start = Buffer.concat([Buffer.from('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'), ...head]);
    const doc = readXlsx(Buffer.concat(await book.end([start], undefined, shared.xml())), 'book.xlsx');
    const cells = doc.tables![0]!.cells.map((c) => c.text);
    assert.deepEqual(cells, ['机关', '数量', '甲局', '3', '甲局', '4']);
  });
});
