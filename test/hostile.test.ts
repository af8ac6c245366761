/**
 * Hostile and broken files: every reader is bounded, and each failure is a clear ReadError for
 * that file (never a hang, an out-of-memory or a stack trace).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import CFB from 'cfb';
import { deflateSync, strToU8, zipSync } from 'fflate';
import { check } from '../src/check/engine.ts';
import { parseAsync, readDocument, ReadError } from '../src/index.ts';
import { reportDocx } from '../src/render/docx.ts';
import { pdfFromPages } from '../src/render/pdf.ts';
import { inflatePart } from '../src/read/zip.ts';
import { SEEDS, parseFixture, readFixture } from './helpers.ts';

const docx = () => reportDocx(parseFixture(SEEDS.tabs));

/** Rewrite the uncompressed size the central directory declares for `name`. */
function declareSize(zip: Uint8Array, name: string, size: number): Uint8Array {
  const out = zip.slice();
  const view = new DataView(out.buffer);
  for (let i = 0; i < out.length - 46; i++) {
    if (view.getUint32(i, true) !== 0x02014b50) continue;
    const len = view.getUint16(i + 28, true);
    if (new TextDecoder().decode(out.subarray(i + 46, i + 46 + len)) === name) {
      view.setUint32(i + 24, size, true);
      return out;
    }
  }
  throw new Error(`${name} not in zip`);
}

function wordWith(documentXml: string): Uint8Array {
  return zipSync({ '[Content_Types].xml': strToU8('<Types/>'), 'word/document.xml': strToU8(documentXml) });
}

async function rejects(bytes: Uint8Array, code: string, message: RegExp, opts = {}): Promise<void> {
  await assert.rejects(readDocument(bytes, 'x', opts), (e: unknown) => {
    assert.ok(e instanceof ReadError, `not a ReadError: ${(e as Error).stack}`);
    assert.equal(e.code, code);
    assert.match(e.message, message);
    return true;
  });
}

describe('hostile containers', () => {
  it('refuses a zip bomb by its declared size before inflating it', async () => {
    await rejects(declareSize(docx(), 'word/document.xml', 0x7fffffff), 'limit', /inflates to 2048 MB; the limit is 64 MB \(a zip bomb\?\)/);
  });

  it('a part that inflates past its declared size is refused, by name', async () => {
    await rejects(declareSize(docx(), 'word/document.xml', 200), 'corrupt', /part word\/document\.xml of the ZIP container inflates past the 200 bytes its directory declares/);
  });

  it('a part inflates the same by Node\'s zlib and by fflate (a browser\'s way); past its declared size, zlib refuses it and fflate cuts it there', () => {
    const xml = strToU8(`<a>${'某县民政局 2021 '.repeat(200)}</a>`);
    const data = deflateSync(xml);
    assert.deepEqual(new Uint8Array(inflatePart(data, xml.length, true)), xml);
    assert.deepEqual(inflatePart(data, xml.length, false), xml);
    assert.throws(() => inflatePart(data, 200, true), { code: 'ERR_BUFFER_TOO_LARGE' });
    assert.deepEqual(inflatePart(data, 200, false), xml.subarray(0, 200));
  });

  it('reads a ZIP64 container and one whose parts are stored, as it reads the deflated original', async () => {
    const original = await readDocument(readFixture('native/seed000-shangqiu-mzj-2020.xlsx'), 'x');
    // made with Info-ZIP: `zip -fz` (ZIP64 end records and extra fields) and `zip -0` (stored)
    for (const f of ['zip/seed000-zip64.xlsx', 'zip/seed000-stored.xlsx']) {
      const doc = await readDocument(readFixture(f), 'x');
      assert.equal(doc.text, original.text, f);
      assert.deepEqual(doc.rows, original.rows, f);
    }
  });

  it('a part encrypted, compressed in a way Office never uses, or not where the directory says: each a clear error', async () => {
    /** The docx with each central directory entry of word/document.xml patched at `at` (u16). */
    const patched = (at: number, value: number) => {
      const out = docx().slice();
      const view = new DataView(out.buffer);
      for (let i = out.length - 46; i >= 0; i--) {
        if (view.getUint32(i, true) !== 0x02014b50) continue;
        const len = view.getUint16(i + 28, true);
        if (new TextDecoder().decode(out.subarray(i + 46, i + 46 + len)) === 'word/document.xml') view.setUint16(i + at, value, true);
      }
      return out;
    };
    await rejects(patched(8, 1), 'corrupt', /part word\/document\.xml of the ZIP container is encrypted/);
    await rejects(patched(10, 14), 'corrupt', /compressed by method 14, which Office files do not use/);
    await rejects(patched(42, 0xfff0), 'corrupt', /not a readable ZIP container \(part word\/document\.xml is not where the directory says\)/);
  });

  it('refuses an entity bomb (a DOCTYPE in an Office part)', async () => {
    const lol = '<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]><w:document xmlns:w="x"><w:body><w:p><w:r><w:t>&lol2;</w:t></w:r></w:p></w:body></w:document>';
    await rejects(wordWith(lol), 'corrupt', /DOCTYPE/);
  });

  it('refuses XML nested deeper than the limit', async () => {
    const deep = `<w:document xmlns:w="x"><w:body>${'<w:p>'.repeat(300)}${'</w:p>'.repeat(300)}</w:body></w:document>`;
    await rejects(wordWith(deep), 'limit', /nests elements more than 256 deep/);
  });

  it('a truncated DOCX is a clear error', async () => {
    const d = docx();
    await rejects(d.subarray(0, d.length >> 1), 'corrupt', /not a readable ZIP container.*truncated/);
  });

  it('a ZIP that is no Office file, an image, an Office binary that is neither Word nor Excel: each says what it is', async () => {
    await rejects(zipSync({ 'a.txt': strToU8('hello') }), 'unsupported-format', /neither DOCX nor XLSX/);
    const ole = CFB.utils.cfb_new();
    CFB.utils.cfb_add(ole, 'PowerPoint Document', new Uint8Array(512));
    await rejects(Uint8Array.from(CFB.write(ole, { type: 'array' }) as number[]), 'unsupported-format', /neither Word nor Excel/);
    await rejects(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'unsupported-format', /PNG image: scanned pages need OCR/);
  });
});

/** The file with one stream of its compound file rewritten. */
function patchStream(file: string, stream: string, patch: (s: Uint8Array) => Uint8Array): Uint8Array {
  const cfb = CFB.read(readFixture(file), { type: 'buffer' });
  const entry = CFB.find(cfb, stream)!;
  entry.content = patch(Uint8Array.from(entry.content as ArrayLike<number>)) as unknown as CFB.CFB$Blob;
  entry.size = entry.content.length;
  return Uint8Array.from(CFB.write(cfb, { type: 'array' }) as number[]);
}
const set16 = (s: Uint8Array, at: number, v: number) => { const o = s.slice(); o[at] = v & 0xff; o[at + 1] = v >> 8; return o; };

describe('hostile and broken Word and Excel binaries', () => {
  const DOC = 'native/seed001-wuzhong-mzj-2021.doc';
  const XLS = 'native/seed001-wuzhong-mzj-2021.xls';

  it('a Word binary with a broken FIB, an old version, a password or a piece table out of bounds', async () => {
    const ole = CFB.utils.cfb_new();
    CFB.utils.cfb_add(ole, 'WordDocument', new Uint8Array(512));
    await rejects(Uint8Array.from(CFB.write(ole, { type: 'array' }) as number[]), 'corrupt', /damaged Word binary file \(the document stream does not begin with a Word FIB\)/);
    await rejects(patchStream(DOC, 'WordDocument', (s) => set16(s, 2, 0x65)), 'unsupported-format', /Word 6\/95 document.*save it as DOCX/);
    await rejects(patchStream(DOC, 'WordDocument', (s) => set16(s, 0x0a, s[0x0a]! | (s[0x0b]! << 8) | 0x0100)), 'encrypted', /password-protected Word document/);
    // fcClx (FibRgFcLcb97 pair 33) pointed far past the table stream
    await rejects(patchStream(DOC, 'WordDocument', (s) => set16(set16(s, 0x1a2, 0xffff), 0x1a4, 0x7fff)), 'corrupt', /piece table lies outside the table stream/);
  });

  it('an Excel binary truncated, from Excel 95, with a password, or with a sheet past its end', async () => {
    await rejects(patchStream(XLS, 'Workbook', (s) => s.subarray(0, 301)), 'corrupt', /truncated XLS record/);
    await rejects(patchStream(XLS, 'Workbook', (s) => set16(s, 4, 0x0500)), 'unsupported-format', /Excel 5\/95 workbook \(BIFF5\).*save it as XLSX/);
    // a FILEPASS record right after the workbook's BOF
    await rejects(patchStream(XLS, 'Workbook', (s) => { const len = s[2]! | (s[3]! << 8); return Uint8Array.from([...s.subarray(0, 4 + len), 0x2f, 0, 0, 0, ...s.subarray(4 + len)]); }), 'encrypted', /password-protected Excel workbook/);
    // every BOUNDSHEET pointed past the end of the stream
    await rejects(patchStream(XLS, 'Workbook', (s) => {
      const o = s.slice();
      for (let i = 0; i + 4 < o.length;) {
        const type = o[i]! | (o[i + 1]! << 8);
        const len = o[i + 2]! | (o[i + 3]! << 8);
        if (type === 0x85) o.set([0xff, 0xff, 0xff, 0x0f], i + 4);
        if (type === 0x0a) break;
        i += 4 + len;
      }
      return o;
    }), 'corrupt', /points past the end of the workbook/);
  });
});

describe('hostile and broken PDFs', () => {
  const pdf = () => readFixture('native/seed001-wuzhong-mzj-2021.pdf');

  it('a corrupt PDF is a clear error', async () => {
    await rejects(new TextEncoder().encode('%PDF-1.7\n1 0 obj << /Type /Catalog /Pages 9 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF'), 'corrupt', /damaged PDF|cannot be read/);
  });

  it('stops at the page limit and at the time budget', async () => {
    await rejects(pdf(), 'limit', /pages; the limit is 1/, { pdf: { maxPages: 1 } });
    await rejects(pdf(), 'limit', /reading took more than/, { pdf: { budgetMs: -1 } });
  });

  it('a scan (no text layer) is a finding, not a failure', async () => {
    const scan = pdfFromPages([['0 0 0 rg 50 50 495 742 re f'], ['0 0 0 rg 50 50 495 742 re f']], false);
    const r = await parseAsync(scan, { name: 'scan.pdf' });
    assert.equal(r.source.format, 'pdf');
    assert.deepEqual(r.notes.map((n) => n.code), ['no-text-layer']);
    const found = check(r);
    assert.deepEqual(found.map((f) => [f.ruleId, f.severity]), [['scanned-document', 'error']]);
    assert.match(found[0]!.messageEn, /scanned document, no text layer/);
  });
});
