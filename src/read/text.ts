/**
 * The text reader: bytes (or a string) → SourceDocument.
 *
 * It decodes, splits lines, and splits each line into cells where the line has explicit cell
 * boundaries (`|` pipes, Markdown tables, tabs). A line with no delimiter is one cell; the
 * extractor decides whether it holds a label and numbers. The forms' own marks are read here:
 * a Markdown heading's `#`s are not part of its text, a Markdown table's header row (the row
 * above `|---|`) is marked as a header, and a run-on line (a whole report on one line) is
 * broken back into its rows (`runon.ts`).
 */
import type { SourceCell, SourceDocument, SourceRow } from '../types.ts';
import { skipSpace } from './normalize.ts';
import { isRunOn, runOnBreaks } from './runon.ts';

/**
 * What a library said about a damaged file, fit for the user: its own message, or — when it
 * tripped over the damage with a JavaScript error (a TypeError, a RangeError) — the words
 * `its structure is broken`, never the engine's text.
 */
export function libraryReason(e: unknown): string {
  if (e instanceof TypeError || e instanceof RangeError || e instanceof ReferenceError || e instanceof SyntaxError) return 'its structure is broken';
  return String((e as Error)?.message ?? e).slice(0, 200);
}

/** A source that cannot be read as a report at all; `message` names the reason. */
export class ReadError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ReadError';
    this.code = code;
  }
}

const SIGNATURES: Array<[number[], string]> = [
  [[0x25, 0x50, 0x44, 0x46], 'a PDF file'],
  [[0x50, 0x4b, 0x03, 0x04], 'a ZIP container (DOCX/XLSX/WPS)'],
  [[0xd0, 0xcf, 0x11, 0xe0], 'an OLE compound file (DOC/XLS/WPS)'],
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image'],
  [[0xff, 0xd8, 0xff], 'a JPEG image'],
  [[0x1f, 0x8b], 'a gzip archive'],
];

function startsWith(bytes: Uint8Array, sig: number[]): boolean {
  return sig.every((b, i) => bytes[i] === b);
}

// made once: a decoder keeps no state between whole (non-streaming) calls
const UTF8 = new TextDecoder('utf-8');
const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

/** Decode report bytes: BOM, then strict UTF-8, then GB18030 (a superset of GBK/GB2312). */
export function decode(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes.length === 0) throw new ReadError('empty', 'empty file');
  for (const [sig, what] of SIGNATURES) {
    if (startsWith(bytes, sig)) throw new ReadError('unsupported-format', `${what}, not text (readDocument reads every supported format)`);
  }
  if (startsWith(bytes, [0xef, 0xbb, 0xbf])) return { text: UTF8.decode(bytes.subarray(3)), encoding: 'utf-8' };
  if (startsWith(bytes, [0xff, 0xfe])) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le' };
  if (startsWith(bytes, [0xfe, 0xff])) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be' };
  let utf8: string | null = null;
  try {
    utf8 = STRICT_UTF8.decode(bytes);
  } catch {
    // not UTF-8: GB18030 below, once the bytes are known to be text
  }
  // UTF-8 text with no control byte (but tab, line feed, vertical tab, form feed, carriage
  // return) in its first 8192 bytes is no binary data: the bytes are counted only otherwise
  if (utf8 === null || controlIn(bytes, utf8)) binaryCheck(bytes);
  return utf8 !== null ? { text: utf8, encoding: 'utf-8' } : { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gb18030' };
}

const CONTROL = /[\x00-\x08\x0e-\x1f]/;
const CONTROL_BYTES = [0, 1, 2, 3, 4, 5, 6, 7, 8, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31];
interface ByteSearch { from(buffer: ArrayBufferLike, offset: number, length: number): { indexOf(byte: number): number } }
/** Node's byte buffers, whose search for a byte is the C library's; a browser has none. */
const NODE_BUFFER: ByteSearch | undefined = globalThis.Buffer;

/**
 * A control byte (but tab, line feed, vertical tab, form feed, carriage return) in the first
 * 8192 bytes of UTF-8 `bytes`, decoded as `text`: each is searched for through the bytes by
 * Node's search, which costs a third less than a pattern over the text; without Node, the
 * pattern runs over the text's first 8192 characters, which hold the first 8192 bytes.
 */
export function controlIn(bytes: Uint8Array, text: string, search: ByteSearch | null = NODE_BUFFER ?? null): boolean {
  if (!search) return CONTROL.test(text.slice(0, 8192));
  const head = search.from(bytes.buffer, bytes.byteOffset, Math.min(bytes.length, 8192));
  for (const b of CONTROL_BYTES) if (head.indexOf(b) >= 0) return true;
  return false;
}

/** Refuse binary data: a NUL byte, or more than one control byte in twenty, in the first 8 kB. */
function binaryCheck(bytes: Uint8Array): void {
  const head = bytes.subarray(0, 8192);
  let control = 0;
  for (let i = 0; i < head.length; i++) {
    const b = head[i]!;
    if (b >= 0x20) continue;
    if (b === 0) throw new ReadError('binary', 'binary data (NUL bytes), not text');
    if (b < 0x09 || b > 0x0d) control++;
  }
  if (control > head.length / 20) throw new ReadError('binary', 'binary data (control bytes), not text');
}

const MD_SEPARATOR = /^\s*\|?\s*:?-{3,}:?\s*(?:\|\s*:?-{3,}:?\s*)*\|?\s*$/;

/**
 * A Markdown table's rule line (`|---|:--:|`): the line text[start, end), which holds a pipe. The
 * pattern runs only where the first character after white space (the pattern's `\s`) could
 * start one (a pipe, colon or dash): a table row of a pipe form is passed by one look at its
 * first character.
 */
function isMdSeparator(text: string, start: number, end: number): boolean {
  const c = text.charCodeAt(skipSpace(text, start, end));
  return (c === 0x7c || c === 0x3a || c === 0x2d) && MD_SEPARATOR.test(text.slice(start, end));
}

/** `## 四、…`: a Markdown (ATX) heading's marks. */
const MD_HEADING = /^\s{0,3}#{1,6}[ \t]+/;
const hashNear = (line: string) => line.charCodeAt(0) === 0x23 || line.charCodeAt(1) === 0x23 || line.charCodeAt(2) === 0x23 || line.charCodeAt(3) === 0x23;

/**
 * Where the next `ch` of text at or after `from` stands; text.length when there is none. The
 * next sixteen characters are looked at first: a cell's delimiter is mostly that near, and the
 * engine's search costs a call into its runtime.
 */
function nextOf(text: string, ch: string, from: number): number {
  const c = ch.charCodeAt(0);
  const near = Math.min(text.length, from + 16);
  for (let i = from; i < near; i++) if (text.charCodeAt(i) === c) return i;
  const k = near < text.length ? text.indexOf(ch, near) : -1;
  return k < 0 ? text.length : k;
}

/** A line with no delimiter: one cell (after a Markdown heading's marks), or a run-on line's rows. */
function plainLine(line: string, lineNo: number, lineStart: number, rows: SourceRow[]): void {
  if (isRunOn(line)) {
    const cuts = [0, ...runOnBreaks(line), line.length];
    for (let k = 0; k + 1 < cuts.length; k++) {
      const raw = line.slice(cuts[k], cuts[k + 1]);
      if (raw.trim() !== '') rows.push({ cells: [{ raw, offset: lineStart + cuts[k]!, line: lineNo, column: cuts[k]! + 1 }], line: lineNo, delimited: false });
    }
    return;
  }
  // (a heading's first # is one of the line's first four characters)
  const mark = hashNear(line) ? MD_HEADING.exec(line)?.[0].length ?? 0 : 0;
  rows.push({ cells: [{ raw: mark ? line.slice(mark) : line, offset: lineStart + mark, line: lineNo, column: mark + 1 }], line: lineNo, delimited: false });
}

/**
 * The line text[start, end) cut at each `ch` (a pipe or a tab), `at` the first of them; returns
 * where the next `ch` after the line stands (text.length if none), so that the text is searched
 * for each delimiter once, forwards, and the line itself is never copied out.
 */
function delimitedLine(text: string, start: number, end: number, lineNo: number, ch: '|' | '\t', at: number, rows: SourceRow[]): number {
  // (a row of one cell, a line of one-cell-per-line text, is given an array of one: the first
  // cell waits until a second comes or the line ends)
  let first: SourceCell | null = null;
  let more: SourceCell[] | null = null;
  let from = start;
  for (;;) {
    const stop = at < end ? at : end;
    // `a | b |` ends a row with a pipe, and `| a | b |` (Markdown) starts one with a pipe too:
    // the empty pieces outside the outer pipes are not cells (the last piece is what follows
    // the last pipe: blank, it is one, and is not made)
    if (stop === end && ch === '|' && first !== null && skipSpace(text, from, end) === end) break;
    const cell: SourceCell = { raw: text.slice(from, stop), offset: from, line: lineNo, column: from - start + 1 };
    if (first === null) first = cell;
    else if (more === null) more = [first, cell];
    else more.push(cell);
    if (stop === end) break;
    from = at + 1;
    at = nextOf(text, ch, from);
  }
  const cells = more ?? [first!];
  // (the first piece is what precedes the first pipe: blank, it is one, when another piece holds more than white space)
  if (ch === '|' && cells.length > 1 && blank(cells[0]!) && cells.some((c) => !blank(c))) cells.shift();
  rows.push({ cells, line: lineNo, delimited: true });
  return at;
}

const blank = (c: SourceCell) => skipSpace(c.raw) === c.raw.length;

/** A number, alone in a cell: a header row never holds one. */
const NUMERIC_CELL = /^\s*[-+]?[\d,，.．０-９]+\s*(?:万?元)?\s*$/;

/** A page footer or header line: `— 3 —`, `- 12 -`, `第 3 页`, `第3页 共9页`. */
const PAGE_MARK = /^\s*(?:[-—–－]+\s*\d{1,3}\s*[-—–－]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?)\s*$/;
const HAN = /[\u4e00-\u9fff]/;

/**
 * A browser's print header and footer: the date and time at the top left (then the page's
 * title), the page's address and `page/pages` at the bottom (`12/2/26, 3:53 PM   …`,
 * `2026/12/2 15:53   …`, `https://www.….gov.cn/…   1/4`).
 */
const BROWSER_HEADER = /^\s*\d{1,4}[/.-]\d{1,2}[/.-]\d{1,4}[,，]?\s*(?:[上下]午\s*)?\d{1,2}:\d{2}(?::\d{2})?\s*(?:[AaPp]\.?[Mm]\.?)?(?=\s{2}|\s*$)/;
const BROWSER_FOOTER = /^\s*(?:(?:https?|file):\/\/\S+|about:blank)(?:\s+\d{1,3}\s*\/\s*\d{1,3})?\s*$/;

/** A line that is a page's furniture wherever it stands: a page number, a browser's print header or footer. */
export function isPageFurniture(line: string): boolean {
  // each starts, after white space, with a dash, 第, a digit (the header's date) or a letter of https, file or about
  const c = line.charCodeAt(skipSpace(line));
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2d || c === 0x2014 || c === 0x2013 || c === 0xff0d || c === 0x7b2c || c === 0x68 || c === 0x66 || c === 0x61)) return false;
  return PAGE_MARK.test(line) || BROWSER_HEADER.test(line) || BROWSER_FOOTER.test(line);
}

/**
 * Page furniture in text that was laid out on pages: page-number lines, and the running title —
 * a repeat, later in the text, of one of its first lines (the title), exactly.
 */
function markFurniture(rows: SourceRow[]): void {
  const heads: string[] = [];
  for (let i = 0; i < rows.length && i < 6; i++) {
    const r = rows[i]!;
    if (r.delimited) continue;
    const t = r.cells[0]!.raw.trim();
    if (t.length >= 8 && HAN.test(t) && !BROWSER_HEADER.test(t) && !heads.includes(t)) heads.push(t);
  }
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.delimited || r.cells.length !== 1) continue;
    const t = r.cells[0]!.raw;
    // (a running title is one of the heads, eight characters or more)
    if (isPageFurniture(t) || (i >= 6 && heads.length > 0 && t.length >= 8 && isHead(t, heads))) r.furniture = true;
  }
}

/**
 * `heads.includes(line.trim())`, compared in place: a line is compared with a head only where
 * the head starts at its first character that is not white space (a paragraph is passed by one
 * look at that character, not hashed or copied).
 */
function isHead(line: string, heads: readonly string[]): boolean {
  const a = skipSpace(line);
  for (const h of heads) {
    if (line.length - a >= h.length && line.startsWith(h, a) && skipSpace(line, a + h.length) === line.length) return true;
  }
  return false;
}

/** Split decoded text into rows of cells, one row per line. */
export function textToRows(text: string): SourceRow[] {
  const rows: SourceRow[] = [];
  // lines end at \r\n, \n or \r; text with no \r is cut at each \n without a pattern
  const re = text.includes('\r') ? /\r\n|\n|\r/g : null;
  let start = 0;
  let lineNo = 1;
  // the next pipe and the next tab: a line holds one when the next stands before its end
  // (each is searched for forwards through the text, once for each one found)
  let pipeAt = -1;
  let tabAt = -1;
  for (;;) {
    let end: number;
    let next: number;
    if (re) {
      const m = re.exec(text);
      end = m ? m.index : text.length;
      next = m ? m.index + m[0].length : -1;
    } else {
      const k = text.indexOf('\n', start);
      end = k < 0 ? text.length : k;
      next = k < 0 ? -1 : k + 1;
    }
    if (end > start) {
      if (pipeAt < start) pipeAt = nextOf(text, '|', start);
      if (pipeAt < end) {
        if (isMdSeparator(text, start, end)) {
          // the row above a Markdown separator is the table's header, unless it holds numbers
          const prev = rows[rows.length - 1];
          if (prev?.delimited && prev.line === lineNo - 1 && !prev.cells.some((c) => NUMERIC_CELL.test(c.raw))) prev.header = true;
          pipeAt = nextOf(text, '|', end);
        } else pipeAt = delimitedLine(text, start, end, lineNo, '|', pipeAt, rows);
      } else {
        if (tabAt < start) tabAt = nextOf(text, '\t', start);
        if (tabAt < end) tabAt = delimitedLine(text, start, end, lineNo, '\t', tabAt, rows);
        else plainLine(text.slice(start, end), lineNo, start, rows);
      }
    }
    if (next < 0) break;
    start = next;
    lineNo++;
  }
  markFurniture(rows);
  return rows;
}

/** Read a text report (any of the flattened forms) into a SourceDocument. */
export function readText(input: Uint8Array | string, name = '<input>'): SourceDocument {
  const { text, encoding } = typeof input === 'string'
    ? { text: input.charCodeAt(0) === 0xfeff ? input.slice(1) : input, encoding: 'utf-16' }
    : decode(input);
  if (text.trim() === '') throw new ReadError('empty', 'no text (only whitespace)');
  const bytes = typeof input === 'string' ? new TextEncoder().encode(input).length : input.length;
  return { name, text, encoding, bytes, format: 'text', rows: textToRows(text) };
}
