/**
 * Source rows → a flat stream of tokens: text, numbers (or digit runs that may hold several
 * squashed cells), blank cells and not-applicable marks, each with its source position.
 */
import { compact, normalize, rawIndex, skipSpace, skipSpaceBack, trim } from '../read/normalize.ts';
import type { Position, SourceCell, SourceDocument } from '../types.ts';
import { MAX_NUMERIC_TAIL, MAX_ROW_CELLS } from '../read/limits.ts';
import { ReadError } from '../read/text.ts';

export type TokenKind = 'text' | 'value' | 'blank' | 'na';

export interface Token {
  kind: TokenKind;
  /** text: compact form (NFKC, no whitespace). value: the number text, separators kept. */
  text: string;
  raw: string;
  pos: Position;
  /** Index of the source row. */
  row: number;
  /** Index of this token in the stream. */
  index: number;
  /** Cell boundaries were explicit: a value is one cell, a blank is a real blank cell. */
  delimited: boolean;
  /** value: may hold several squashed cells. */
  multi?: boolean;
  /** From a table grid of a structured source: every cell of the row is there, blanks included. */
  grid?: boolean;
  /** grid: the column of the table the cell starts in. */
  gridCol?: number;
  /** From a table's header row: a column name, never a row label. */
  header?: boolean;
  unit?: '元' | '万元';
  /** A blank placed from the page's layout (column alignment), or a number read through OCR's letters: why. */
  how?: string;
  /** A number OCR printed with letters for digits (`1O5`): read as digits, to be confirmed by the identities. */
  ocr?: boolean;
}

const NUMBER_UNIT = /^([-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(万元|元|件|个|项|条)?$/;
const NA = /^(?:[/\\]|[-–—~]{1,3}|无|不适用|\*)$/;
/** A not-applicable mark: three characters at most (most cells are longer, and are passed by their length). */
const isNa = (c: string) => c.length <= 3 && NA.test(c);
/** A numeric tail at the end of a line: ` 3001 53 0` or `100001` glued to a label. */
const TAIL = /((?:[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)?)(?:(?:[ \t\u3000\u00a0]+|(?=[-+]))[-+]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?:万元|元)?)*)[ \t\u3000\u00a0]*$/;
/** A numeric tail ends in a digit or a unit: a line ending in `-1-` (a page number) has none, and is not searched. */
const TAIL_END = /[\d元][ \t\u3000\u00a0]*$/;

/**
 * What a source cell gives every token read from it: the line it stands on, the row's grid and
 * header marks, the cell's origin in the original file. Tokens are made whole with them, in one
 * shape, rather than given them one property at a time afterwards.
 */
interface CellMarks { row: number; line: number; lineStart: number; grid: true | undefined; gridCol: number | undefined; header: true | undefined; origin: SourceCell['origin'] }

function position(offset: number, length: number, m: CellMarks): Position {
  const line = m.line;
  const column = offset - m.lineStart + 1;
  const origin = m.origin;
  if (!origin) return { offset, length, line, column };
  return origin.page === undefined ? { offset, length, line, column, origin } : { offset, length, line, column, origin, page: origin.page };
}

/**
 * A token: a table grid's or a header row's with those marks among its fields from the start
 * (one shape for all of them), a line of text's with only its own.
 */
function token(kind: TokenKind, text: string, raw: string, pos: Position, delimited: boolean, multi: boolean | undefined, m: CellMarks): Token {
  return m.grid || m.header
    ? { kind, text, raw, pos, row: m.row, index: 0, delimited, multi, grid: m.grid, gridCol: m.gridCol, header: m.header }
    : { kind, text, raw, pos, row: m.row, index: 0, delimited, multi };
}

/**
 * A number as OCR leaves it: letters that look like digits in a cell that is otherwise digits
 * (`1O5`, `2l`, `O3`): two to twelve characters, each a digit or one of OoIl|, at least one real
 * digit (so that a word, `I`, `O`, is never a number) and at least one letter.
 * (`/^(?=[^\d]*\d)(?=.*[OoIl|])[\dOoIl|]{2,12}$/`, by a loop that stops at a label's first character.)
 */
function ocrNumber(c: string): boolean {
  if (c.length < 2 || c.length > 12) return false;
  let digit = false;
  let letter = false;
  for (let i = 0; i < c.length; i++) {
    const k = c.charCodeAt(i);
    if (k >= 48 && k <= 57) digit = true;
    else if (k === 79 || k === 111 || k === 73 || k === 108 || k === 124) letter = true;
    else return false;
  }
  return digit && letter;
}
const OCR_DIGITS: Record<string, string> = { O: '0', o: '0', I: '1', l: '1', '|': '1' };

function ocrToken(c: string, raw: string, pos: Position, delimited: boolean, marks: CellMarks): Token {
  const digits = c.replace(/[OoIl|]/g, (ch) => OCR_DIGITS[ch]!);
  const t = valueToken(NUMBER_UNIT.exec(digits)!, raw, pos, delimited, false, marks);
  t.how = `read “${raw}” as ${digits}: OCR prints O for 0 and l or I for 1`;
  t.ocr = true;
  return t;
}

/** A number token from NUMBER_UNIT's match of its text. */
function valueToken(m: RegExpExecArray, raw: string, pos: Position, delimited: boolean, multi: boolean, marks: CellMarks): Token {
  const number = m[1]!;
  const t = token('value', number.charCodeAt(0) === 43 ? number.slice(1) : number, raw, pos, delimited, multi, marks);
  if (m[2] === '元' || m[2] === '万元') t.unit = m[2];
  return t;
}

/** NUMBER_UNIT's first character: a sign or a digit (a label, which starts with neither, is passed without the pattern). */
const numberStart = (c: string) => { const k = c.charCodeAt(0); return (k >= 48 && k <= 57) || k === 43 || k === 45; };

/** Only ASCII digits, at most 15 of them (NUMBER_UNIT reads such a cell as itself, with no unit). */
function digitsOnly(s: string): boolean {
  if (s.length > 15) return false;
  for (let i = 0; i < s.length; i++) {
    const k = s.charCodeAt(i);
    if (k < 48 || k > 57) return false;
  }
  return true;
}

/** A token into the stream, given its index there. */
function emit(out: Token[], t: Token): void {
  t.index = out.length;
  out.push(t);
}

/** Tokens of one delimited cell (a real cell: one value, a blank, a mark, or text). */
function cellTokens(cellRaw: string, offset: number, marks: CellMarks, out: Token[]): void {
  // the cell without the white space at its ends (`trim`), found by its ends' places
  const lead = skipSpace(cellRaw);
  const end = skipSpaceBack(cellRaw, lead);
  const pos = position(offset + lead, end - lead, marks);
  if (lead === end) { emit(out, token('blank', '', cellRaw, pos, true, undefined, marks)); return; }
  const trimmed = lead === 0 && end === cellRaw.length ? cellRaw : cellRaw.slice(lead, end);
  // a cell of ASCII digits (most of a table's cells) is its own number: no normalising, no pattern
  if (digitsOnly(trimmed)) { emit(out, token('value', trimmed, trimmed, pos, true, false, marks)); return; }
  const c = compact(trimmed);
  const m = numberStart(c) ? NUMBER_UNIT.exec(c) : null;
  if (m) { emit(out, valueToken(m, trimmed, pos, true, false, marks)); return; }
  if (ocrNumber(c)) { emit(out, ocrToken(c, trimmed, pos, true, marks)); return; }
  emit(out, token(isNa(c) ? 'na' : 'text', c, trimmed, pos, true, undefined, marks));
}

/** Characters a numeric tail can hold (after NFKC), scanned backwards from the line's end: digits, `,.-+元万`, spaces, their full-width forms. */
const tailChar = (k: number) =>
  (k >= 48 && k <= 57) || k === 44 || k === 46 || k === 45 || k === 43 || k === 0x5143 || k === 0x4e07 || k === 32 || k === 9 || k === 0x3000 || k === 0xa0 ||
  (k >= 0xff10 && k <= 0xff19) || k === 0xff0c || k === 0xff0e || k === 0xff0d || k === 0xff0b;

/** Where a numeric tail could start: a cheap backward scan, so long sentences cost one pass. */
function tailStart(raw: string): number {
  let i = raw.length;
  while (i > 0 && tailChar(raw.charCodeAt(i - 1))) i--;
  return i;
}

/** Sentences longer than this are never labels: they are kept as raw text, not compacted. */
const LONG = 96;

/** Tokens of an undelimited line: leading text, then whitespace-separated numbers/runs. */
function lineTokens(raw: string, offset: number, marks: CellMarks, out: Token[]): void {
  const from = tailStart(raw);
  if (from === raw.length || !/[\d\uff10-\uff19]/.test(raw.slice(from))) {
    const s = skipSpace(raw);
    const text = trim(raw);
    if (text === '') return;
    const c = text.length > LONG ? text : compact(text);
    const pos = position(offset + s, text.length, marks);
    // a line that is one OCR-garbled number (one cell per line)
    if (ocrNumber(c)) { emit(out, ocrToken(c, text, pos, false, marks)); return; }
    emit(out, token(isNa(c) ? 'na' : 'text', c, text, pos, false, undefined, marks));
    return;
  }
  // a line ending in megabytes of digits is no table row: refused before any regex runs over it
  if (raw.length - from > MAX_NUMERIC_TAIL) throw new ReadError('limit', `line ${marks.line} ends in ${raw.length - from} characters of numbers; one row may hold ${MAX_NUMERIC_TAIL}`);
  const n = normalize(raw);
  const t = n.text;
  // the tail regex runs only on the short stretch the scan allows
  const base = n.map ? n.map.findIndex((r) => r >= from) : from;
  // (one number after another, separated by spaces or a sign: each reading of the tail is one match,
  // so a line that ends in no number costs one pass, not a search over every split of its digits)
  const m = TAIL_END.test(t) ? TAIL.exec(t.slice(Math.max(0, base))) : null;
  // The numbers must end the line: `2021年1月28日` has no tail.
  const headEnd = m ? m.index + Math.max(0, base) : t.length;
  const head = t.slice(0, headEnd);
  if (head.trim() !== '') {
    const c = head.length > LONG ? head.trim() : compact(head);
    const s = rawIndex(n, skipSpace(head));
    const e = rawIndex(n, skipSpaceBack(head));
    const pos = position(offset + s, e - s, marks);
    emit(out, token(isNa(c) ? 'na' : 'text', c, raw.slice(s, e), pos, false, undefined, marks));
  }
  if (!m) return;
  // a sign inside a run starts a new cell: `13-310` is 13 then -310 (squashed, with a 增/减 column)
  const re = /[-+]?[^\s+-]+|[-+]/g;
  const tail = m[1]!;
  let count = 0;
  for (let w = re.exec(tail); w; w = re.exec(tail)) {
    if (++count > MAX_ROW_CELLS) throw new ReadError('limit', `line ${marks.line} holds more than ${MAX_ROW_CELLS} numbers; a report's widest row has 15`);
    const s = rawIndex(n, headEnd + w.index);
    const e = rawIndex(n, headEnd + w.index + w[0].length);
    const pos = position(offset + s, e - s, marks);
    const c = w[0];
    const v = NUMBER_UNIT.exec(c);
    if (v) emit(out, valueToken(v, raw.slice(s, e), pos, false, true, marks));
    else emit(out, token('text', compact(c), raw.slice(s, e), pos, false, undefined, marks));
  }
}

export function tokenize(doc: SourceDocument): Token[] {
  const out: Token[] = [];
  // one for the whole document, set for each cell: tokens copy what they take from it
  const marks: CellMarks = { row: 0, line: 0, lineStart: 0, grid: undefined, gridCol: undefined, header: undefined, origin: undefined };
  for (let i = 0; i < doc.rows.length; i++) {
    const r = doc.rows[i]!;
    if (r.furniture) continue;
    if (r.cells.length > MAX_ROW_CELLS) throw new ReadError('limit', `line ${r.line} has ${r.cells.length} cells; a report's widest row has 15, and one row may hold ${MAX_ROW_CELLS}`);
    const lineStart = r.cells[0]!.offset - (r.cells[0]!.column - 1);
    for (const c of r.cells) {
      marks.row = i;
      marks.line = c.line;
      marks.lineStart = lineStart;
      marks.grid = r.grid ? true : undefined;
      marks.gridCol = r.grid ? c.gridCol : undefined;
      marks.header = r.header ? true : undefined;
      marks.origin = c.origin;
      // An undelimited row is a line of text; a PDF line comes as several pieces (split where
      // the words are far apart), each read like a line of its own.
      if (r.delimited) cellTokens(c.raw, c.offset, marks, out);
      else lineTokens(c.raw, c.offset, marks, out);
    }
  }
  return out;
}

