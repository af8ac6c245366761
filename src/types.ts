/**
 * The data types of gongkai, defined once: the document a reader produces, the report the
 * extractor produces, and the pieces they are made of.
 */
import type { Edition } from './schema/editions.ts';

// ------------------------------------------------------------------ read: bytes → document

/**
 * Where something is in the source. `offset`/`length` count UTF-16 code units in the decoded
 * text of the source; `line` and `column` are 1-based. Readers of paged formats add `page`.
 */
export interface Position {
  offset: number;
  length: number;
  line: number;
  column: number;
  page?: number;
  /** For sources that are not plain text: where the cell is in the original file. */
  origin?: Origin;
}

/**
 * A place in an original file that is not plain text. `offset`/`length` count characters of
 * the decoded markup (HTML) or of the XML part named by `part` (DOCX, XLSX); `page` and `box`
 * (x, y from the top, width, height, in points) place PDF text; `sheet`/`ref` (A1) place a
 * spreadsheet cell; `index` counts paragraphs or table cells for binary Word files.
 */
export interface Origin {
  offset?: number;
  length?: number;
  part?: string;
  page?: number;
  box?: [number, number, number, number];
  sheet?: string;
  ref?: string;
  index?: number;
}

/** One cell of the source as its reader saw it: raw text and where it starts. */
export interface SourceCell {
  raw: string;
  offset: number;
  line: number;
  column: number;
  origin?: Origin;
  /** A table grid's cell: the grid column it starts in. */
  gridCol?: number;
}

/**
 * A row of the source: a line of text, or a row of a table grid. `delimited` rows had explicit
 * cell boundaries (pipes, tabs, real table cells), so a blank cell in them is a real blank cell.
 */
export interface SourceRow {
  cells: SourceCell[];
  line: number;
  delimited: boolean;
  /** A row of a table grid (HTML, Word, spreadsheet): spans are resolved, so blanks are real cells in place. */
  grid?: boolean;
  /** A table's header row (a Markdown row above `|---|`): column names, never a data row's label. */
  header?: boolean;
  /** Page furniture inside the text (a page footer `— 3 —`, the running title repeated): not content. */
  furniture?: boolean;
}

export interface SourceDocument {
  name: string;
  /** The decoded text (for text sources, the whole file). */
  text: string;
  encoding: string;
  bytes: number;
  format: SourceFormat;
  rows: SourceRow[];
  /** The table grids of a structured source, merged cells kept (none for text sources). */
  tables?: SourceTable[];
  /** Pages, for paged sources (PDF). */
  pages?: number;
  /** A PDF with no text layer: a scan, which this version cannot read. */
  scanned?: boolean;
  /** What the reader could not keep from this format (e.g. merged cells in a .doc). */
  lost?: string[];
}

/**
 * The formats gongkai reads, as sniffed from the bytes (never from the file name). WPS Office's
 * .wps and .et files are Word and Excel binary files inside, and read as `doc` and `xls`.
 */
export type SourceFormat = 'text' | 'html' | 'docx' | 'doc' | 'pdf' | 'xlsx' | 'xls';

/** A grid cell of a structured table; merged cells appear once, with their spans. */
export interface GridCell {
  r: number;
  c: number;
  rowSpan: number;
  colSpan: number;
  text: string;
  origin?: Origin;
}

/** A table grid as the source laid it out. `row` is the index in `rows` of its first row. */
export interface SourceTable {
  row: number;
  rows: number;
  cols: number;
  cells: GridCell[];
}

// ------------------------------------------------------------------ extract: document → report

/** What the source shows in a cell. A blank is never a zero. */
export type Shown = 'number' | 'zero' | 'blank' | 'na' | 'text';

/**
 * read: taken from one cell of the source as printed.
 * inferred: determined by the solver (a squashed run split, a blank placed) — `how` says how.
 * ambiguous: several readings remain — `candidates` lists the values they give (null = blank).
 */
export type CellStatus = 'read' | 'inferred' | 'ambiguous';

export interface Cell {
  key: string;
  /** Canonical decimal (ASCII digits, no separators, `-` sign, money in 万元); null unless a number. */
  value: string | null;
  shown: Shown;
  status: CellStatus;
  /** The source text this cell came from (for a split run, the whole run). */
  raw: string;
  position: Position | null;
  how?: string;
  candidates?: Array<string | null>;
  /** The unit the source stated for money, when it stated one. */
  unit?: '元' | '万元';
  /**
   * How the cell's row was found when not by its own label: `near-label` (a label that differs
   * from the template's by a character or two, as OCR leaves it) or `order` (no label: only the
   * template's row order places it). Such cells are `inferred`, or `ambiguous` when the
   * identities do not confirm the placement.
   */
  placed?: 'near-label' | 'order';
  /**
   * The number was printed with letters for digits (`1O5`, as OCR leaves it) and read as
   * digits: `inferred` where an identity confirms it, else `ambiguous` with the reading.
   */
  ocr?: boolean;
}

/**
 * A report's cells, in the cells object's order. Its some 200 keys make V8 keep the object as a
 * dictionary, where `Object.values` takes its slow path (22 µs a report, against 5 µs for the
 * keys and a look-up of each).
 */
export function cellList(cells: Readonly<Record<string, Cell>>): Cell[] {
  const keys = Object.keys(cells);
  const out = new Array<Cell>(keys.length);
  for (let i = 0; i < keys.length; i++) out[i] = cells[keys[i]!]!;
  return out;
}

export interface Section {
  /** 1–6; 0 is the preamble between the title and section 一. */
  number: number;
  /** The heading as written. */
  title: string;
  /** The narrative text of the section, tables left out: its lines joined by `\n`. */
  text: string;
  position: Position;
  /** Where each line of `text` starts in the source, in order. */
  lines: Position[];
}

/** A line that reads as a top-level heading (一、…), as printed, with the section it names. */
export interface OutlineEntry {
  /** The numeral printed (一 … 十). */
  numeral: string;
  /** The section its words name (1–6), or null. */
  topic: number | null;
  title: string;
  position: Position;
}

export type TableId = 't2' | 't3' | 't4';

export interface TableInfo {
  found: boolean;
  edition: Edition | null;
  position: Position | null;
  /** The rows recognised, in source order, with the label as written. */
  rows: Array<{ id: string; label: string; position: Position }>;
  /** Template rows not found in the source. */
  missingRows: string[];
}

/**
 * Whose report: a government's own (人民政府, 管委会; a township's or street's too), its general
 * office (政府办公室, 办公厅), or a department (局, 委员会, 中心 …). Only a government's own report is
 * due by 31 March; the others by 31 January (条例 第四十九、五十条).
 */
export type BodyKind = 'government' | 'office' | 'department';

/** A body's place in the gazetteer of administrative divisions. */
export interface DivisionRef {
  /** GB/T 2260 code (6 digits), or the statistical code of a township (9 digits). */
  code: string;
  name: string;
  /** From the province down: 江苏省淮安市洪泽区. */
  fullName: string;
  level: 'province' | 'city' | 'county' | 'township';
  /** The division names as the agency printed them. */
  printed: string;
  /**
   * How the printed name was matched: the name, a former name (洪泽县), a kept alias (平潭综合实验区),
   * the same name under another division word (a county since made a district), one slip of a
   * character (沐阳县), a clue in the text among several of the name, or a reviewer's correction.
   */
  via: 'name' | 'former' | 'alias' | 'stem' | 'variant' | 'clue' | 'correction';
  /** The body lies within this division, under a name the gazetteer does not have (a zone, a new district). */
  within?: true;
}
export type Level = 'national' | 'province' | 'city' | 'county' | 'township';

export interface Meta {
  title: string | null;
  agency: string | null;
  /** The administrative region named by the agency, e.g. 平凉市崆峒区. */
  region: string | null;
  level: Level | null;
  /** The body's division in the gazetteer, or null (unresolved, national, or no agency printed). */
  division: DivisionRef | null;
  /** The divisions the printed name fits when nothing in the text tells which: none picked. */
  divisionCandidates: Array<{ code: string; name: string }>;
  /** Whose report: a government's own (deadline 31 March) or a department's (31 January). */
  bodyKind: BodyKind | null;
  year: number | null;
  /** ISO date (YYYY-MM-DD) the page states, if any. */
  published: string | null;
  /** Where the date came from: the page's metadata, or the date under the report's signature. */
  publishedFrom: 'page' | 'signature' | null;
  index: string | null;
  edition: Edition | null;
  /** Why that edition: the layout signals seen. */
  editionEvidence: string[];
}

/** Something the reader noticed that a reviewer may want to see (not a rule finding). */
export interface Note {
  code: 'label-variant' | 'extra-values' | 'row-unsolved' | 'unplaced-values' | 'edition-mixed' | 'truncated' | 'money-unit' | 'no-text-layer' | 'pin-contradiction' | 'division-variant';
  message: string;
  keys?: string[];
  position?: Position;
  /** For label-variant and division-variant: the wording printed and the official one. */
  printed?: string;
  official?: string;
}

export interface Report {
  schema: 'gongkai/report@1';
  source: { name: string; format: string; encoding: string; bytes: number };
  meta: Meta;
  sections: Section[];
  /** Every top-level heading as printed, in source order (for section-order checks). */
  outline: OutlineEntry[];
  tables: Record<TableId, TableInfo>;
  /** Every cell the source has, keyed as cells v1 names them. */
  cells: Record<string, Cell>;
  notes: Note[];
}
