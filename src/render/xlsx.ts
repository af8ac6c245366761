/**
 * XLSX workbooks, as people open them in Excel, WPS and LibreOffice: a report's tables laid out
 * like the official template (merged header cells), and the plain sheets of `export`. Numbers are
 * numbers, dates are dates (shown yyyy-mm-dd), every column is as wide as what it holds (so body
 * names, dates and rule lists are not cut off), header rows are bold, wrapped and frozen.
 */
import { strToU8, zipSync } from 'fflate';
import type { Report } from '../types.ts';
import { wide, width } from '../format/text.ts';
import { escapeHtml as esc } from './html.ts';
import { layoutTables, type LayoutTable } from './layout.ts';
import { colName } from '../read/xlsx.ts';

/** A date cell: an ISO day (YYYY-MM-DD), written as a date serial with a date format. */
export interface XlsxDate { date: string }
export type XlsxValue = string | number | null | XlsxDate;

/** Cell styles (cellXfs in styles.xml): 0 plain, 1 a date, 2 a header (bold, wrapped, centred). */
const STYLE = { plain: 0, date: 1, header: 2 } as const;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The spreadsheet serial of an ISO day (days since 1899-12-30), or null if it is not one. */
export function dateSerial(day: string): number | null {
  const m = ISO_DAY.exec(day);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(t);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return t / 86_400_000 + 25_569;
}

/** Widest a column grows (characters), and the most a wrapped header asks of it. */
const MAX_WIDTH = 60;
const HEADER_WIDTH = 16;

/**
 * Column widths from the content: the widest value of each column (CJK counts double), a header
 * cell counting at most HEADER_WIDTH (it wraps), cells merged across columns not counted.
 */
class ColumnWidths {
  private readonly widths: number[] = [];
  private readonly spanned: Set<string>;
  /** The last row a spanning cell starts on: rows below it are not looked up (an export's 100,000 reports' rows are below its header's). */
  private readonly lastSpanned: number;
  private readonly headerRows: number;
  constructor(merges: SheetOptions['merges'] = [], headerRows = 0) {
    const spanning = merges.filter(([, c0, , c1]) => c1 > c0);
    this.spanned = new Set(spanning.map(([r0, c0]) => `${r0},${c0}`));
    this.lastSpanned = Math.max(-1, ...spanning.map(([r0]) => r0));
    this.headerRows = headerRows;
  }

  /** A value `w` wide at row `r` (counted from 0, header rows included), column `c`. */
  note(r: number, c: number, w: number): void {
    if (r <= this.lastSpanned && this.spanned.has(`${r},${c}`)) return;
    const cap = r < this.headerRows ? HEADER_WIDTH : MAX_WIDTH;
    const capped = w < cap ? w : cap;
    if (!(this.widths[c]! >= capped)) this.widths[c] = capped;
  }

  /** Each column's width in characters. */
  get columns(): number[] {
    return Array.from(this.widths, (w) => Math.max(6, (w ?? 0) + 2));
  }
}

export interface SheetOptions {
  /** Merged ranges [r0, c0, r1, c1]. */
  merges?: ReadonlyArray<readonly [number, number, number, number]>;
  /** Header rows at the top: bold and wrapped, and kept in view when scrolling. */
  headerRows?: number;
  /** Keep the header rows in view (default true). */
  freeze?: boolean;
}

/** A sheet's XML before its rows: its frozen header and its columns' widths. */
export function sheetStart(widths: readonly number[], headerRows: number, freeze = true): string {
  const pane = headerRows > 0 && freeze ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRows}" topLeftCell="A${headerRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` : '';
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${pane}${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`;
}

const UTF8 = new TextEncoder();
const ascii = (s: string): Uint8Array => UTF8.encode(s);
const ROW_OPEN = ascii('<row r="');
const ROW_CLOSE = ascii('</row>');
const NUMBER_OPEN = ascii('"><v>');
const HEADER_NUMBER_OPEN = ascii(`" s="${STYLE.header}"><v>`);
const DATE_OPEN = ascii(`" s="${STYLE.date}"><v>`);
const NUMBER_CLOSE = ascii('</v></c>');
const TEXT_OPEN = ascii('" t="inlineStr"><is><t>');
const HEADER_TEXT_OPEN = ascii(`" s="${STYLE.header}" t="inlineStr"><is><t>`);
const TEXT_CLOSE = ascii('</t></is></c>');
const HEADER_BLANK = ascii(`" s="${STYLE.header}"/>`);
const SHARED_OPEN = ascii('" t="s"><v>');
/** `<c r="AB` for column AB: each column's, made when first asked for. */
const CELL_OPEN: Uint8Array[] = [];
const cellOpen = (c: number): Uint8Array => (CELL_OPEN[c] ??= ascii(`<c r="${colName(c)}`));

/**
 * The width of text whose characters go into XML as they are (`width` of it), or -1 for text that
 * needs escaping: a markup character, or one XML forbids (a lone surrogate among them).
 */
function plainWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x1100) {
      if (c < 0x20 ? c !== 0x09 && c !== 0x0a && c !== 0x0d : c === 0x26 || c === 0x3c || c === 0x3e || c === 0x22 || c === 0x27) return -1;
      w++;
    } else if (c >= 0xd800 && c <= 0xdfff) {
      const d = c <= 0xdbff && i + 1 < s.length ? s.charCodeAt(i + 1) : 0;
      if (d < 0xdc00 || d > 0xdfff) return -1;
      w++;
      i++;
    } else if (c >= 0xfffe) return -1;
    else w += wide(c) ? 2 : 1;
  }
  return w;
}

/** A text cell's value as it goes into the XML (escaped, UTF-8) and its width. */
interface Text { bytes: Uint8Array; width: number }
/** The texts kept (a body's name, a rule id: the same few recur row after row); longer texts are seldom the same twice. */
const KEPT_TEXT = 48;
const KEPT_TEXTS = 10_000;

/** Text as XML's character data: escaped (and what XML forbids mapped or dropped), with its width. */
function xmlText(v: string): Text {
  const plain = plainWidth(v);
  return plain >= 0 ? { bytes: UTF8.encode(v), width: plain } : { bytes: UTF8.encode(esc(v)), width: width(v) };
}

/**
 * A workbook's shared strings (`xl/sharedStrings.xml`): a text that recurs is written once there
 * and its cells give its number, as Excel writes them. The export shares short texts (a body's
 * name, its region, a rule id, a severity: nine in ten of its text cells, a third of its XML when
 * inline) and writes long ones (a finding's message) inline, where they are seldom the same twice.
 * At most `limit` texts are kept: past them a text goes inline, and memory stays bounded.
 */
export class SharedStrings {
  /** Each text's number, in the order they came (a Map's order: the part's). */
  private readonly at = new Map<string, number>();
  /** Each text's width, by number. */
  private readonly widths: number[] = [];
  private readonly limit: number;
  /** Cells that give a shared text. */
  private count = 0;
  constructor(limit = 1_000_000) {
    this.limit = limit;
  }

  /** The number of `v` (made when first asked for), or -1 for a text written inline. */
  index(v: string): number {
    let i = this.at.get(v);
    if (i === undefined) {
      if (v.length > KEPT_TEXT || this.widths.length >= this.limit) return -1;
      i = this.widths.length;
      this.at.set(v, i);
      const plain = plainWidth(v);
      this.widths.push(plain >= 0 ? plain : width(v));
    }
    this.count++;
    return i;
  }

  /** Text number `i` (what `index` gave: -1 for none) given again. */
  again(i: number): number {
    if (i >= 0) this.count++;
    return i;
  }

  /** The width of text number `i`. */
  width(i: number): number {
    return this.widths[i]!;
  }

  /** Whether any text was shared (a workbook without has no such part). */
  get used(): boolean {
    return this.count > 0;
  }

  /** The part's XML (the texts are encoded here, not as they come: memory holds each text once). */
  xml(): Uint8Array {
    const parts: string[] = [`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="${this.count}" uniqueCount="${this.widths.length}">`];
    for (const v of this.at.keys()) {
      // (a text that begins or ends with a space keeps it)
      parts.push(`${/^\s|\s$/.test(v) ? '<si><t xml:space="preserve">' : '<si><t>'}${plainWidth(v) >= 0 ? v : esc(v)}</t></si>`);
    }
    parts.push('</sst>');
    return UTF8.encode(parts.join(''));
  }
}

/**
 * A sheet's rows as XML bytes, written as they come into pieces handed to `out` as each fills: the
 * XML `rows`' cells would make as strings (a cell is its column's `<c r="AB` made once, its row's
 * digits made once a row, and its value), without making the strings and then encoding them
 * (two thirds of the XLSX export's time was so). The columns are sized as the rows go by
 * (`widths`), for the sheet's start, which comes before its rows and is made when they are done.
 */
export class SheetRows {
  private readonly widths: ColumnWidths;
  private readonly headerRows: number;
  /** Where each piece goes as it fills (it may be changed between rows: the export's next sheet). */
  out: (piece: Uint8Array) => void;
  /** A new piece's buffer. */
  private readonly buffer: () => Uint8Array;
  /** Its size: a piece goes when a row ends within a kilobyte of it. */
  private readonly size: number;
  private buf: Uint8Array;
  private at = 0;
  /** The row being written: its number from 0, its digits (as `r="12"` writes them), a header row or not. */
  private r = 0;
  private readonly digits = new Uint8Array(16);
  /** Bytes of the pieces handed over. */
  private handed = 0;
  private nd = 0;
  private head = false;
  private readonly texts = new Map<string, Text>();
  /** The workbook's shared strings, for the texts of rows below the header's; null: every text inline. */
  private readonly shared: SharedStrings | null;
  /** Each column's last shared text and its number. */
  private readonly lastText: string[] = [];
  private readonly lastIndex: number[] = [];
  /** The last date's text and serial. */
  private lastDate = '';
  private lastSerial: number | null = null;
  /**
   * `merges` and `headerRows` as for `sheetStart`; `out` takes each piece as it fills (its buffer
   * is its own: a new piece is begun in another from `buffer`, 64 kB unless given).
   */
  constructor(out: (piece: Uint8Array) => void, opts: { merges?: SheetOptions['merges']; headerRows?: number; buffer?: () => Uint8Array; shared?: SharedStrings } = {}) {
    this.headerRows = opts.headerRows ?? 0;
    this.shared = opts.shared ?? null;
    this.widths = new ColumnWidths(opts.merges, this.headerRows);
    this.out = out;
    this.buffer = opts.buffer ?? (() => new Uint8Array(1 << 16));
    this.buf = this.buffer();
    this.size = this.buf.length;
  }

  /** Each column's width in characters, from the rows so far. */
  get columns(): number[] {
    return this.widths.columns;
  }

  /** Bytes written so far, pieces handed over and the one being written. */
  get written(): number {
    return this.handed + this.at;
  }

  /** Row `r` (counted from 0, header rows included): its cells follow, in column order, then `end`. */
  begin(r: number): void {
    this.r = r;
    this.head = r < this.headerRows;
    let n = r + 1;
    this.nd = 0;
    do { this.digits[this.nd++] = 0x30 + (n % 10); n = Math.floor(n / 10); } while (n > 0);
    this.room(32);
    this.put(ROW_OPEN);
    for (let i = this.nd - 1; i >= 0; i--) this.buf[this.at++] = this.digits[i]!;
    this.buf[this.at++] = 0x22;
    this.buf[this.at++] = 0x3e;
  }

  /** The row's end. */
  end(): void {
    this.room(8);
    this.put(ROW_CLOSE);
    if (this.at >= this.size - 1024) this.flush();
  }

  /** A whole row: `begin`, each value, `end`. */
  row(values: ReadonlyArray<XlsxValue>, r: number): void {
    this.begin(r);
    for (let c = 0; c < values.length; c++) this.cell(c, values[c]!);
    this.end();
  }

  /** Column `c`'s value: a number, a date, text, or nothing (null, ''). */
  cell(c: number, v: XlsxValue): void {
    if (typeof v === 'number') this.number(c, v);
    else if (v === null || v === '') {
      if (v === '') this.widths.note(this.r, c, 0);
      if (this.head) { this.ref(c, 40); this.put(HEADER_BLANK); }
    } else if (typeof v === 'object') {
      if (v.date !== this.lastDate) { this.lastDate = v.date; this.lastSerial = dateSerial(v.date); }
      const serial = this.lastSerial;
      if (serial === null) this.text(c, v.date);
      else {
        this.widths.note(this.r, c, width(v.date));
        this.ref(c, 48);
        this.put(DATE_OPEN);
        this.integer(serial);
        this.put(NUMBER_CLOSE);
      }
    } else this.text(c, v);
  }

  /** Column `c`'s number. */
  number(c: number, v: number): void {
    this.ref(c, 64);
    this.put(this.head ? HEADER_NUMBER_OPEN : NUMBER_OPEN);
    const from = this.at;
    if (Number.isSafeInteger(v)) this.integer(v);
    else { const t = String(v); for (let i = 0; i < t.length; i++) this.buf[this.at++] = t.charCodeAt(i); }
    this.widths.note(this.r, c, this.at - from);
    this.put(NUMBER_CLOSE);
  }

  /**
   * Column `c`'s number, given as text (a stored cell's value): written as it is when it is an
   * integer's own text (what `number(Number(v))` would write), else as `number(Number(v))`.
   */
  numberText(c: number, v: string): void {
    const n = v.length;
    if (n === 0 || n > 15 || (n > 1 && v.charCodeAt(0) === 0x30)) { this.number(c, Number(v)); return; }
    // (room first, so that a text that is no integer's is taken back within the piece)
    this.room(cellOpen(c).length + this.nd + 32 + n);
    const begun = this.at;
    this.ref(c, 32 + n);
    this.put(this.head ? HEADER_NUMBER_OPEN : NUMBER_OPEN);
    const buf = this.buf;
    let at = this.at;
    for (let i = 0; i < n; i++) {
      const d = v.charCodeAt(i);
      if (d < 0x30 || d > 0x39) {
        // (not an integer's own text: what was begun is taken back)
        this.at = begun;
        this.number(c, Number(v));
        return;
      }
      buf[at++] = d;
    }
    this.at = at;
    this.widths.note(this.r, c, n);
    this.put(NUMBER_CLOSE);
  }

  /** Column `c`'s text (escaped; characters XML forbids mapped or dropped, as `escapeHtml` does). */
  text(c: number, v: string): void {
    const kept = v.length <= KEPT_TEXT;
    if (kept && this.shared !== null && !this.head) {
      // (a column often gives the same text row after row: a body's name over its findings)
      const i = this.lastText[c] === v ? this.shared.again(this.lastIndex[c]!) : this.shared.index(v);
      this.lastText[c] = v;
      this.lastIndex[c] = i;
      if (i >= 0) {
        this.widths.note(this.r, c, this.shared.width(i));
        this.ref(c, 48);
        this.put(SHARED_OPEN);
        this.integer(i);
        this.put(NUMBER_CLOSE);
        return;
      }
    }
    let t = kept ? this.texts.get(v) : undefined;
    if (t === undefined) {
      const plain = plainWidth(v);
      if (!kept && plain >= 0) {
        // (a long text, seldom the same twice: encoded straight into the piece)
        this.widths.note(this.r, c, plain);
        this.ref(c, 64 + 3 * v.length);
        this.put(this.head ? HEADER_TEXT_OPEN : TEXT_OPEN);
        this.at += UTF8.encodeInto(v, this.buf.subarray(this.at)).written;
        this.put(TEXT_CLOSE);
        return;
      }
      t = xmlText(v);
      if (kept) {
        if (this.texts.size >= KEPT_TEXTS) this.texts.clear();
        this.texts.set(v, t);
      }
    }
    this.widths.note(this.r, c, t.width);
    this.ref(c, 64 + t.bytes.length);
    this.put(this.head ? HEADER_TEXT_OPEN : TEXT_OPEN);
    this.put(t.bytes);
    this.put(TEXT_CLOSE);
  }

  /** XML written as it is (the sheet's end). */
  raw(xml: string): void {
    const bytes = UTF8.encode(xml);
    this.room(bytes.length);
    this.put(bytes);
  }

  /** Every byte written so far goes to `out`. */
  flush(): void {
    if (this.at === 0) return;
    const piece = this.buf.subarray(0, this.at);
    this.handed += this.at;
    this.buf = this.buffer();
    this.at = 0;
    this.out(piece);
  }

  /** `<c r="AB12` for column `c` of the row, with room for `more` bytes after it. */
  private ref(c: number, more: number): void {
    const open = cellOpen(c);
    this.room(open.length + this.nd + more);
    this.put(open);
    for (let i = this.nd - 1; i >= 0; i--) this.buf[this.at++] = this.digits[i]!;
  }

  private integer(v: number): void {
    if (v < 0) { this.buf[this.at++] = 0x2d; v = -v; }
    const from = this.at;
    const buf = this.buf;
    do { buf[this.at++] = 0x30 + (v % 10); v = Math.floor(v / 10); } while (v > 0);
    for (let i = from, j = this.at - 1; i < j; i++, j--) { const d = buf[i]!; buf[i] = buf[j]!; buf[j] = d; }
  }

  private put(bytes: Uint8Array): void {
    if (bytes.length < 32) for (let i = 0; i < bytes.length; i++) this.buf[this.at++] = bytes[i]!;
    else { this.buf.set(bytes, this.at); this.at += bytes.length; }
  }

  /** Room for `n` more bytes in the piece being written: else it goes, and a new one (big enough) is begun. */
  private room(n: number): void {
    if (this.at + n <= this.buf.length) return;
    this.flush();
    if (n > this.buf.length) this.buf = new Uint8Array(n);
  }
}

/** A sheet's XML after its rows: its merged ranges. */
export function sheetEnd(merges: SheetOptions['merges'] = []): string {
  const m = merges.length ? `<mergeCells count="${merges.length}">${merges.map(([r0, c0, r1, c1]) => `<mergeCell ref="${colName(c0)}${r0 + 1}:${colName(c1)}${r1 + 1}"/>`).join('')}</mergeCells>` : '';
  return `</sheetData>${m}</worksheet>`;
}

/** A sheet of rows: numbers as numbers, dates as dates, text inline; columns sized to the content. */
export function rowsSheetXml(rows: ReadonlyArray<ReadonlyArray<XlsxValue>>, opts: SheetOptions = {}): Uint8Array {
  const headerRows = opts.headerRows ?? 0;
  const pieces: Uint8Array[] = [];
  const sheet = new SheetRows((p) => pieces.push(p), { merges: opts.merges, headerRows });
  rows.forEach((row, r) => sheet.row(row, r));
  sheet.raw(sheetEnd(opts.merges));
  sheet.flush();
  return concat([UTF8.encode(sheetStart(sheet.columns, headerRows, opts.freeze !== false)), ...pieces]);
}

/** Byte arrays one after another. */
export function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
}

/** A table in the template's layout as rows: its title above, its merged cells as merges. */
function layoutSheetXml(t: LayoutTable, title: string): Uint8Array {
  const rows: XlsxValue[][] = [[title], ...Array.from({ length: t.rows }, () => new Array<XlsxValue>(t.cols).fill(null))];
  for (const c of t.cells) {
    rows[c.r + 1]![c.c] = c.text === '' ? null : c.key && /^-?\d+(?:\.\d+)?$/.test(c.text) ? Number(c.text) : c.text;
  }
  const merges = t.cells.filter((c) => c.rowSpan > 1 || c.colSpan > 1).map((c) => [c.r + 1, c.c, c.r + c.rowSpan, c.c + c.colSpan - 1] as const);
  const headerRows = 1 + Math.min(...t.cells.filter((c) => c.key).map((c) => c.r));
  return rowsSheetXml(rows, { merges, headerRows, freeze: false });
}

const SHEET_NAMES = { t2: '主动公开', t3: '依申请公开', t4: '复议诉讼' };

export function reportXlsx(report: Report): Uint8Array {
  const tables = layoutTables(report);
  const title = report.meta.title ?? report.source.name;
  return workbookXlsx(tables.map((t, i) => ({ name: SHEET_NAMES[t.id], xml: layoutSheetXml(t, i === 0 ? title : t.heading) })));
}

/** Every part of a workbook but its sheets' XML (and its shared strings'), by path: the workbook (its tabs in `order`), its relations, styles and content types. */
export function workbookParts(names: readonly string[], order: readonly number[] = names.map((_, i) => i), shared = false): Record<string, string> {
  // (sheet i is the part sheet{i+1}.xml; `order` is the order of the tabs)
  const list = order.map((i) => `<sheet name="${esc(names[i]!)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  const stylesRel = `<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`;
  // (with `shared`, the workbook has shared strings, xl/sharedStrings.xml, made apart)
  const sharedRel = shared ? `<Relationship Id="rId${names.length + 2}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>` : '';
  const sharedType = shared ? '<Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/>' : '';
  return {
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${list}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}${stylesRel}${sharedRel}</Relationships>`,
    'xl/styles.xml': STYLES,
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${sharedType}${names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
  };
}

/** The parts' time in the ZIP: fixed, so that the same workbook is the same bytes. */
export const MTIME = new Date('2020-01-01T00:00:00Z');

/** Sheets (name and worksheet XML) into an XLSX workbook. */
export function workbookXlsx(sheets: ReadonlyArray<{ name: string; xml: Uint8Array }>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((s, i) => { files[`xl/worksheets/sheet${i + 1}.xml`] = s.xml; });
  for (const [path, text] of Object.entries(workbookParts(sheets.map((s) => s.name)))) files[path] = strToU8(text);
  return zipSync(files, { level: 6, mtime: MTIME });
}
