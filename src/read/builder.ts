/**
 * Builds a SourceDocument from the blocks a structured reader finds: paragraphs and table
 * grids. Every reader (HTML, Word, PDF, spreadsheets) goes through here, so the extractor sees
 * the same model whatever the format.
 *
 * The document's `text` is a plain rendering: one line per paragraph and one line per table
 * row, cells separated by tabs. Positions (`offset`, `line`, `column`) point into that text;
 * each cell's `origin` points back into the original file.
 */
import type { GridCell, Origin, SourceCell, SourceDocument, SourceFormat, SourceRow, SourceTable } from '../types.ts';

/** A grid cell before placement: the reader gives text, spans and origin in reading order. */
export interface CellInput {
  text: string;
  rowSpan?: number;
  colSpan?: number;
  origin?: Origin;
}

/** Spans beyond these are hostile or broken markup; they are clamped (HTML caps colspan at 1000). */
const MAX_COLSPAN = 1000;
const MAX_ROWSPAN = 10000;

/** CJK characters and full-width forms: no space is written between two of them. */
export const CJK = /[\u3000-\u9fff\uff00-\uffef]/;

/** Whitespace a join would change: any but a space, or two spaces in a row. */
const SPACE_RUN = /[^\S ]| {2}/;

/**
 * Join the pieces of one cell or paragraph (text runs, lines broken by <br> or by a narrow
 * column): nothing between two CJK characters (a label wrapped mid-word), a space otherwise.
 */
export function joinPieces(pieces: string[]): string {
  let out = '';
  for (const raw of pieces) {
    // (only text with whitespace other than single spaces changes: the rest is not copied)
    const p = (SPACE_RUN.test(raw) ? raw.replace(/[\s\u00a0]+/g, ' ') : raw).trim();
    if (p === '') continue;
    if (out !== '' && !(CJK.test(out[out.length - 1]!) && CJK.test(p[0]!))) out += ' ';
    out += p;
  }
  return out;
}

const LINE_BREAKING = /[\t\r\n\u00a0]/;
/** Keep one line per block: tabs and line breaks inside a cell become spaces (text with none is not copied). */
const flat = (s: string) => (LINE_BREAKING.test(s) ? s.replace(/[\t\r\n\u00a0]+/g, ' ') : s);

export class DocumentBuilder {
  /** The text's lines so far (joined once, at the end), and their length with a newline after each. */
  private readonly lines: string[] = [];
  private length = 0;
  private lineNo = 1;
  private readonly rows: SourceRow[] = [];
  private readonly tables: SourceTable[] = [];

  /** A paragraph of text: one row with one cell. Blank paragraphs are dropped. */
  paragraph(text: string, origin?: Origin): void {
    this.push([origin ? { text, origin } : { text }], false);
  }

  /**
   * A line of text found as separate pieces (a PDF line: words far apart are in different
   * cells of a table). Not delimited: a blank cell leaves no piece, so blanks are unknown.
   */
  line(pieces: ReadonlyArray<{ text: string; origin?: Origin }>): void {
    this.push(pieces, false);
  }

  /**
   * One row of the document and one line of its text. In a table row the cells are
   * tab-separated and a blank cell is a real cell; outside tables, empty pieces are nothing.
   */
  private push(pieces: ReadonlyArray<{ text: string; origin?: Origin; c?: number }>, table: boolean): void {
    const cells: SourceCell[] = [];
    let lineText = '';
    const at = this.length;
    for (const p of pieces) {
      const t = flat(p.text).trim();
      if (t === '' && !table) continue;
      if (cells.length > 0) lineText += table ? '\t' : ' ';
      const cell: SourceCell = { raw: t, offset: at + lineText.length, line: this.lineNo, column: lineText.length + 1 };
      if (p.origin) cell.origin = p.origin;
      if (table && p.c !== undefined) cell.gridCol = p.c;
      cells.push(cell);
      lineText += t;
    }
    if (cells.length === 0) return;
    const row: SourceRow = { cells, line: this.lineNo, delimited: table };
    if (table) row.grid = true;
    this.rows.push(row);
    this.lines.push(lineText);
    this.length += lineText.length + 1;
    this.lineNo++;
  }

  /**
   * A table given as rows of cells in reading order (as in HTML or Word). Cells covered by an
   * earlier row's rowspan are skipped when placing, as a browser does. A merged cell appears
   * once: in the row where it starts.
   */
  table(input: CellInput[][]): void {
    const occupied: boolean[][] = [];
    const cells: GridCell[] = [];
    let cols = 0;
    input.forEach((row, r) => {
      occupied[r] ??= [];
      let c = 0;
      for (const cell of row) {
        while (occupied[r]![c]) c++;
        const colSpan = Math.min(Math.max(1, cell.colSpan ?? 1), MAX_COLSPAN);
        const rowSpan = Math.min(Math.max(1, cell.rowSpan ?? 1), MAX_ROWSPAN, input.length - r);
        for (let dr = 0; dr < rowSpan; dr++) {
          const line = (occupied[r + dr] ??= []);
          for (let dc = 0; dc < colSpan; dc++) line[c + dc] = true;
        }
        cells.push(cell.origin ? { r, c, rowSpan, colSpan, text: cell.text, origin: cell.origin } : { r, c, rowSpan, colSpan, text: cell.text });
        c += colSpan;
      }
      cols = Math.max(cols, c);
    });
    this.grid(cells, input.length, cols);
  }

  /** A table whose cells are already placed (spreadsheets, PDF). */
  grid(cells: GridCell[], rows: number, cols: number): void {
    if (cells.length === 0) return;
    const first = this.rows.length;
    // row by row, each left to right (a stable sort, so cells at one place keep their order);
    // cells placed in reading order, as a table of rows gives them, need no sorting
    let ordered = true;
    for (let i = 1; i < cells.length && ordered; i++) ordered = cells[i - 1]!.r < cells[i]!.r || (cells[i - 1]!.r === cells[i]!.r && cells[i - 1]!.c <= cells[i]!.c);
    const list = ordered ? cells : [...cells].sort((a, b) => a.r - b.r || a.c - b.c);
    for (let i = 0; i < list.length;) {
      let j = i + 1;
      while (j < list.length && list[j]!.r === list[i]!.r) j++;
      this.push(list.slice(i, j), true);
      i = j;
    }
    this.tables.push({ row: first, rows, cols, cells });
  }

  get empty(): boolean {
    return this.rows.length === 0;
  }

  finish(base: { name: string; encoding: string; bytes: number; format: SourceFormat }, extra: Partial<SourceDocument> = {}): SourceDocument {
    return { ...base, text: this.lines.length ? `${this.lines.join('\n')}\n` : '', rows: this.rows, tables: this.tables, ...extra };
  }
}
