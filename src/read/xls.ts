/**
 * The XLS reader (Excel 97-2003 and WPS's .et, both BIFF8 inside a compound file): every
 * worksheet as a grid, merged ranges (MERGEDCELLS) kept as spans, like the XLSX reader.
 *
 * Read: text cells (shared strings and inline labels), numbers (NUMBER, RK, MULRK), formula
 * results as last saved, booleans and styled empty cells. Lost: formatting, so a number shows
 * as stored (0.5 formatted as 50% reads 0.5), charts and pictures; BIFF5 files (Excel 95) and
 * password-protected workbooks are refused. Origins: the stream, sheet and A1 reference.
 */
import type { GridCell, SourceDocument } from '../types.ts';
import { DocumentBuilder } from './builder.ts';
import { readOle, u16, u32 } from './ole.ts';
import { ReadError, libraryReason } from './text.ts';
import { cellRef, MAX_SHEET_CELLS, numberText, placeSheet, slot } from './xlsx.ts';

const R = {
  BOF: 0x0809, EOF: 0x000a, FILEPASS: 0x002f, BOUNDSHEET: 0x0085, SST: 0x00fc, CONTINUE: 0x003c,
  LABELSST: 0x00fd, LABEL: 0x0204, RSTRING: 0x00d6, NUMBER: 0x0203, RK: 0x027e, MULRK: 0x00bd,
  FORMULA: 0x0006, STRING: 0x0207, BOOLERR: 0x0205, BLANK: 0x0201, MULBLANK: 0x00be, MERGEDCELLS: 0x00e5,
} as const;

interface Rec { type: number; at: number; data: Uint8Array }

const f64 = (b: Uint8Array, i: number) => new DataView(b.buffer, b.byteOffset + i, 8).getFloat64(0, true);

/** The records of a BIFF stream from `from`, up to the end of the stream. */
function* records(s: Uint8Array, from = 0): Generator<Rec> {
  let i = from;
  while (i + 4 <= s.length) {
    const type = u16(s, i);
    const len = u16(s, i + 2);
    if (i + 4 + len > s.length) throw new ReadError('corrupt', `a truncated XLS record at byte ${i}`);
    yield { type, at: i, data: s.subarray(i + 4, i + 4 + len) };
    i += 4 + len;
  }
}

/** An RK number: a 30-bit integer or the top of a double, maybe divided by 100. */
function rk(v: number): number {
  let n: number;
  if (v & 2) n = v >> 2;
  else {
    const buf = new DataView(new ArrayBuffer(8));
    buf.setUint32(4, v & 0xfffffffc, true);
    n = buf.getFloat64(0, true);
  }
  return v & 1 ? n / 100 : n;
}

const numText = (n: number) => numberText(String(n));

/**
 * Reads strings that may run across record boundaries (SST + CONTINUE): where characters
 * continue in the next record, a new flags byte says whether they are 8- or 16-bit.
 */
class Strings {
  private rec = 0;
  private i = 0;
  private readonly parts: Uint8Array[];
  constructor(parts: Uint8Array[]) { this.parts = parts; }

  private get cur(): Uint8Array { return this.parts[this.rec] ?? new Uint8Array(0); }

  private next(): boolean {
    if (this.rec >= this.parts.length - 1) return false;
    this.rec++;
    this.i = 0;
    return true;
  }

  private bytes(n: number): number[] {
    const out: number[] = [];
    while (out.length < n) {
      if (this.i >= this.cur.length && !this.next()) throw new ReadError('corrupt', 'a truncated shared-string table in an XLS');
      out.push(this.cur[this.i++]!);
    }
    return out;
  }

  private uint(n: number): number { return this.bytes(n).reduce((v, x, k) => v + x * 2 ** (8 * k), 0); }

  /** XLUnicodeRichExtendedString. */
  read(): string {
    const cch = this.uint(2);
    let flags = this.uint(1);
    const runs = flags & 0x08 ? this.uint(2) : 0;
    const ext = flags & 0x04 ? this.uint(4) : 0;
    let s = '';
    for (let k = 0; k < cch;) {
      if (this.i >= this.cur.length) {
        if (!this.next()) throw new ReadError('corrupt', 'a truncated shared-string table in an XLS');
        flags = this.uint(1);
      }
      const wide = flags & 1;
      const room = Math.floor((this.cur.length - this.i) / (wide ? 2 : 1));
      const take = Math.min(room, cch - k);
      for (let j = 0; j < take; j++) {
        s += String.fromCharCode(wide ? u16(this.cur, this.i) : this.cur[this.i]!);
        this.i += wide ? 2 : 1;
      }
      k += take;
      if (take === 0 && wide && this.cur.length - this.i === 1) throw new ReadError('corrupt', 'a broken string in an XLS');
    }
    this.skip(runs * 4 + ext);
    return s;
  }

  private skip(n: number): void {
    let left = n;
    while (left > 0) {
      const here = Math.min(left, this.cur.length - this.i);
      this.i += here;
      left -= here;
      if (left > 0 && !this.next()) return;
    }
  }
}

/** XLUnicodeString (2-byte count) or ShortXLUnicodeString (1-byte count) inside one record. */
function unicodeString(d: Uint8Array, at: number, countBytes: 1 | 2): string {
  const cch = countBytes === 1 ? d[at]! : u16(d, at);
  const flags = d[at + countBytes]!;
  let i = at + countBytes + 1;
  if (flags & 0x08) i += 2;
  if (flags & 0x04) i += 4;
  let s = '';
  for (let k = 0; k < cch && i < d.length; k++) {
    s += String.fromCharCode(flags & 1 ? u16(d, i) : d[i]!);
    i += flags & 1 ? 2 : 1;
  }
  return s;
}

/** Read every worksheet of an XLS workbook. */
export function readXls(bytes: Uint8Array, name = '<input>'): SourceDocument {
  let stream: Uint8Array;
  let part: string;
  try {
    const ole = readOle(bytes);
    // read once: a stream is read from the file when it is asked for
    part = 'Workbook';
    let found = ole.stream(part);
    if (!found) found = ole.stream((part = 'Book'));
    if (!found) throw new ReadError('corrupt', 'an Excel binary file with no Workbook stream');
    stream = found;
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError('corrupt', `a damaged Excel binary file (${libraryReason(e)})`);
  }
  const sheets: Array<{ name: string; at: number }> = [];
  let sst: string[] = [];
  const globals = records(stream);
  const first = globals.next();
  if (first.done || first.value.type !== R.BOF) throw new ReadError('corrupt', 'an Excel binary file whose Workbook stream does not begin with BOF');
  if (u16(first.value.data, 0) !== 0x0600) throw new ReadError('unsupported-format', 'an Excel 5/95 workbook (BIFF5), which this version does not read; save it as XLSX');
  let sstParts: Uint8Array[] | null = null;
  for (const rec of globals) {
    if (rec.type === R.CONTINUE && sstParts) { sstParts.push(rec.data); continue; }
    if (sstParts) { sst = readSst(sstParts); sstParts = null; }
    if (rec.type === R.EOF) break;
    if (rec.type === R.FILEPASS) throw new ReadError('encrypted', 'a password-protected Excel workbook');
    if (rec.type === R.SST) sstParts = [rec.data];
    else if (rec.type === R.BOUNDSHEET && rec.data[5] === 0) sheets.push({ at: u32(rec.data, 0), name: unicodeString(rec.data, 6, 1) });
  }
  const b = new DocumentBuilder();
  for (const s of sheets) readSheet(stream, s, part, sst, b);
  if (b.empty) throw new ReadError('empty', 'a workbook with no text');
  return b.finish({ name, encoding: 'utf-16le', bytes: bytes.length, format: 'xls' });
}

function readSst(parts: Uint8Array[]): string[] {
  const total = u32(parts[0]!, 4);
  const reader = new Strings([parts[0]!.subarray(8), ...parts.slice(1)]);
  const out: string[] = [];
  // the count comes from the file: trust it only as far as the records go
  for (let k = 0; k < total; k++) {
    try { out.push(reader.read()); } catch (e) { if (k === 0) throw e; break; }
  }
  return out;
}

function readSheet(stream: Uint8Array, sheet: { name: string; at: number }, part: string, sst: string[], b: DocumentBuilder): void {
  if (sheet.at >= stream.length) throw new ReadError('corrupt', `sheet ${sheet.name} points past the end of the workbook`);
  const cells = new Map<number, GridCell>();
  const merges: Array<[number, number, number, number]> = [];
  const at = { part, sheet: sheet.name };
  const put = (r: number, c: number, text: string) => {
    if (cells.size >= MAX_SHEET_CELLS) throw new ReadError('limit', `sheet ${sheet.name} has more than ${MAX_SHEET_CELLS} cells`);
    cells.set(slot(r, c), { r, c, rowSpan: 1, colSpan: 1, text, origin: { ...at, ref: cellRef(r, c) } });
  };
  let pendingString: [number, number] | null = null; // a FORMULA whose text is in the next STRING
  let depth = 0;
  for (const rec of records(stream, sheet.at)) {
    const d = rec.data;
    switch (rec.type) {
      case R.BOF: depth++; break; // an embedded chart has its own BOF…EOF
      case R.EOF: depth--; break;
      case R.LABELSST: put(u16(d, 0), u16(d, 2), sst[u32(d, 6)] ?? ''); break;
      case R.LABEL: case R.RSTRING: put(u16(d, 0), u16(d, 2), unicodeString(d, 6, 2)); break;
      case R.NUMBER: put(u16(d, 0), u16(d, 2), numText(f64(d, 6))); break;
      case R.RK: put(u16(d, 0), u16(d, 2), numText(rk(u32(d, 6)))); break;
      case R.MULRK: {
        const r = u16(d, 0);
        const c0 = u16(d, 2);
        for (let k = 0; 4 + k * 6 + 6 <= d.length - 2; k++) put(r, c0 + k, numText(rk(u32(d, 4 + k * 6 + 2))));
        break;
      }
      case R.BLANK: put(u16(d, 0), u16(d, 2), ''); break;
      case R.MULBLANK: {
        const r = u16(d, 0);
        const c0 = u16(d, 2);
        for (let k = 0; 4 + k * 2 + 2 <= d.length - 2; k++) put(r, c0 + k, '');
        break;
      }
      case R.BOOLERR: put(u16(d, 0), u16(d, 2), d[7] ? '' : d[6] ? 'TRUE' : 'FALSE'); break;
      case R.FORMULA: {
        const r = u16(d, 0);
        const c = u16(d, 2);
        if (u16(d, 12) !== 0xffff) put(r, c, numText(f64(d, 6)));
        else if (d[6] === 0) { put(r, c, ''); pendingString = [r, c]; } else put(r, c, d[6] === 1 ? (d[8] ? 'TRUE' : 'FALSE') : '');
        break;
      }
      case R.STRING:
        if (pendingString) put(pendingString[0], pendingString[1], unicodeString(d, 0, 2));
        pendingString = null;
        break;
      case R.MERGEDCELLS:
        for (let k = 0, n = u16(d, 0); k < n && 2 + k * 8 + 8 <= d.length; k++) {
          const o = 2 + k * 8;
          merges.push([u16(d, o), u16(d, o + 4), u16(d, o + 2), u16(d, o + 6)]);
        }
        break;
      default: break;
    }
    if (depth === 0) break;
  }
  placeSheet(cells, merges, at, b);
}
