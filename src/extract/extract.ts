/**
 * The extractor: SourceDocument → Report. Finds the sections and the three tables, reads every
 * row anchored on the template's labels, solves squashed and short rows with the identities,
 * and keeps every printed number as printed.
 */
import { identities, t2Keys, t3Key, t3Keys, t4Key, t4Keys } from '../schema/keys.ts';
import {
  T2_HEADER_SIGNALS, T2_LABEL_VARIANTS, T2_ROWS, T3_COLUMNS, T3_EDITION_2021_SIGNAL, T3_ROWS, T4_COLUMNS, T4_GROUPS, T4_HEADER,
  type Edition,
} from '../schema/editions.ts';
import { refineByColumns, type Equation } from '../solve/columns.ts';
import type { Reading, RowIdentity } from '../solve/solver.ts';
import type { Cell, Note, Report, SourceDocument, TableInfo } from '../types.ts';
import { extractMeta } from './meta.ts';
import { alignRow, columnCentres } from './columns.ts';
import { cellsOf, findRows, solveHit, type RowHit, type RowSpec } from './rows.ts';
import { findHeadings, findOutline, sectionsOf } from './sections.ts';
import { tokenize, type Token } from './tokens.ts';

/** The source is not a readable annual report; `message` says what is missing. */
export class ParseError extends Error {
  readonly code: string;
  constructor(code: string, message: string) {
    super(message);
    this.name = 'ParseError';
    this.code = code;
  }
}

/** A cell of a table row, not a sentence: short, no sentence punctuation. */
const labelLike = (t: Token) => t.text.length <= 64 && !/[。;；]/.test(t.text);
const NUMBERING = /^[(（]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?/;
const stripNumbering = (s: string) => s.replace(NUMBERING, '').replace(/[:：]$/, '');
const T3_TOP = /本年新收|上年结转/;
const T4_START = /^行政复议/;

const T3_ROW_ID: RowIdentity[] = [{ total: 6, parts: [0, 1, 2, 3, 4, 5] }];
const T4_IDS: RowIdentity[] = [0, 1, 2].map((g) => ({ total: g * 5 + 4, parts: [0, 1, 2, 3].map((c) => g * 5 + c) }));

interface Span { from: number; to: number }

export interface ExtractOptions {
  /** Read a fragment (a report cut off inside table 三) instead of refusing it; a note says so. */
  partial?: boolean;
}

export function extract(doc: SourceDocument, opts: ExtractOptions = {}): Report {
  if (doc.scanned) return scannedReport(doc);
  const tokens = tokenize(doc);
  const headings = findHeadings(doc);
  const firstTok: number[] = new Array(doc.rows.length + 1).fill(tokens.length);
  for (let i = tokens.length - 1; i >= 0; i--) firstTok[tokens[i]!.row] = i;
  for (let r = doc.rows.length - 1; r >= 0; r--) firstTok[r] = Math.min(firstTok[r]!, firstTok[r + 1]!);
  const headingAt = (n: number) => headings.find((h) => h.number === n);
  const notes: Note[] = [];
  const cells: Record<string, Cell> = {};
  const tableRowRanges: Array<[number, number]> = [];

  // ---- table 三 anchors the rest
  const h2 = headingAt(2);
  const searchFrom = h2 ? firstTok[h2.row]! : 0;
  let t3Start = -1;
  for (let i = searchFrom; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && !t.header && labelLike(t) && T3_TOP.test(t.text)) { t3Start = i; break; }
  }
  if (t3Start < 0) throw new ParseError('no-table-3', 'not an annual report: no table 三 found (收到和处理政府信息公开申请情况: no row 本年新收/上年结转)');
  const t3Row = tokens[t3Start]!.row;
  const laterHeading = headings.find((h) => h.number >= 4 && h.row > t3Row);
  let t3End = laterHeading ? firstTok[laterHeading.row]! : tokens.length;
  for (let i = t3Start + 1; i < t3End; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && t.text.length <= 24 && T4_START.test(t.text)) { t3End = i; break; }
  }

  // ---- editions, from the layout
  const evidence: string[] = [];

  const t2Span: Span = { from: h2 && firstTok[h2.row]! < t3Start ? firstTok[h2.row]! : 0, to: t3Start };
  const votes = { '2019': [] as string[], '2021': [] as string[] };
  for (let i = t2Span.from; i < t2Span.to; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'text' || !labelLike(t)) continue;
    for (const s of T2_HEADER_SIGNALS) if (s.match.test(t.text)) votes[s.edition].push(s.official);
    for (const v of T2_LABEL_VARIANTS) {
      if (v.variant.test(t.text)) {
        notes.push(labelVariant(t, v.official));
      }
    }
  }
  let t2Edition: Edition | null = null;
  if (votes['2021'].length !== votes['2019'].length) {
    t2Edition = votes['2021'].length > votes['2019'].length ? '2021' : '2019';
    evidence.push(`table 二: ${[...new Set(votes[t2Edition])].join('、')} (${t2Edition})`);
  }

  const t3Text = tokens.slice(t3Start, t3End).filter((t) => t.kind === 'text');
  let t3Edition: Edition;
  if (t3Text.some((t) => T3_EDITION_2021_SIGNAL.test(t.text))) {
    t3Edition = '2021';
    evidence.push('table 三: （六）其他处理 has the 2021 sub-rows');
  } else if (t3Text.some((t) => /其他处理/.test(t.text))) {
    t3Edition = '2019';
    evidence.push('table 三: （六）其他处理 is one row (2019)');
  } else {
    t3Edition = t2Edition ?? '2019';
    evidence.push(`table 三: no （六） row seen; taken as ${t3Edition}`);
  }

  // ---- table 二
  const t2 = emptyTable();
  const t2Ed = t2Edition ?? t3Edition;
  const t2Rows = T2_ROWS[t2Ed];
  const t2Specs: RowSpec[] = t2Rows.map((r) => ({
    id: r.id, slots: r.columns.length, ids: [], distinctive: true,
    accept: (t) => labelLike(t) && r.match.test(stripNumbering(t.text)),
  }));
  const t2Hits = findRows(tokens, t2Span.from, t2Span.to, t2Specs);
  if (t2Hits.length > 0) {
    t2.found = true;
    t2.edition = t2Ed;
    t2.position = t2Hits[0]!.label.pos;
    for (const hit of t2Hits) {
      const spec = t2Specs[hit.spec]!;
      const row = t2Rows[hit.spec]!;
      const money = row.columns.map((c) => !!c.money);
      const { src, result } = solveHit(hit, spec, money);
      const keys = row.columns.map((c) => `t2.${row.id}.${c.id}`);
      for (const c of cellsOf(src, result, result.readings, { keys, money })) cells[c.key] = c;
      t2.rows.push({ id: row.id, label: hit.label.raw.trim(), position: hit.label.pos });
      if (t2Ed === '2021' && row.id === 'normative' && !/行政规范性文件/.test(hit.label.text)) {
        notes.push(labelVariant(hit.label, row.label));
      }
      noteExtra(hit, src.pieces.length, spec.slots, keys, notes);
    }
    t2.missingRows = t2Rows.filter((_, i) => !t2Hits.some((h) => h.spec === i)).map((r) => r.id);
    tableRowRanges.push(rowRange(t2Hits, tokens, t2Span.from, /^第二十条/));
  }

  // ---- table 三
  const t3 = emptyTable();
  const t3Rows = T3_ROWS[t3Edition];
  const t3Specs: RowSpec[] = t3Rows.map((r) => ({
    id: r.id, slots: 7, ids: T3_ROW_ID, distinctive: r.distinctive,
    accept: (t) => labelLike(t) && r.match.test(t.text),
  }));
  const t3Hits = findRows(tokens, t3Start, t3End, t3Specs);
  t3.found = true;
  t3.edition = t3Edition;
  t3.position = tokens[t3Start]!.pos;
  // a PDF row: numbers placed under their column headers where the page makes that clear
  const t3Labels = T3_COLUMNS.map((c) => c.label);
  const centres = columnCentres(t3Hits, tokens.slice(Math.max(t2Span.from, t3Start - 80), t3Start), t3Labels);
  if (centres) for (const hit of t3Hits) if (!hit.label.grid) alignRow(hit, centres, t3Labels);
  const solved = new Map<string, ReturnType<typeof solveHit>>();
  const readings = new Map<string, Reading[]>();
  for (const hit of t3Hits) {
    const id = t3Rows[hit.spec]!.id;
    const s = solveHit(hit, t3Specs[hit.spec]!);
    solved.set(id, s);
    if (!s.result.overflow) readings.set(id, s.result.readings);
    t3.rows.push({ id, label: hit.label.raw.trim(), position: hit.label.pos });
    noteExtra(hit, s.src.pieces.length, 7, T3_COLUMNS.map((c) => t3Key(id, c.id)), notes);
  }
  const slotOf = new Map(T3_COLUMNS.map((c, i) => [c.id, i]));
  const family = (rule: string): Equation[] => identities(t3Edition).filter((e) => e.rule === rule).map((e) => [
    ...e.lhs.map((k) => term(k, 1)), ...e.rhs.map((k) => term(k, -1)),
  ]);
  function term(key: string, sign: 1 | -1) {
    const [, row, col] = /^t3\.(.+)\.([a-z_]+)$/.exec(key)!;
    return { row: row!, slot: slotOf.get(col!)!, sign };
  }
  if ([...readings.values()].some((r) => r.length > 1)) refineByColumns(readings, [family('I1'), family('I3')]);
  for (const hit of t3Hits) {
    const id = t3Rows[hit.spec]!.id;
    const s = solved.get(id)!;
    const narrowed = readings.get(id) ?? s.result.readings;
    const result = narrowed.length < s.result.readings.length ? { ...s.result, structural: Math.max(2, s.result.structural) } : s.result;
    for (const c of cellsOf(s.src, result, narrowed, { keys: T3_COLUMNS.map((col) => t3Key(id, col.id)) })) cells[c.key] = c;
  }
  t3.missingRows = t3Rows.filter((_, i) => !t3Hits.some((h) => h.spec === i)).map((r) => r.id);
  tableRowRanges.push(rowRange(t3Hits, tokens, Math.max(t2Span.from, lastItem(t2Hits) + 1), /勾稽关系|申请人情况/));

  // ---- table 四
  const t4 = emptyTable();
  const h5 = headings.find((h) => h.number >= 5 && firstTok[h.row]! >= t3End);
  const t4Hit = findTable4(tokens, t3End, h5 ? firstTok[h5.row]! : tokens.length);
  if (t4Hit) {
    // a grid row of 15 cells under the header rows (DOCX, XLSX, HTML): its blanks are in place
    const row = t4Hit.items[0]?.row;
    if (t4Hit.items.length === 15 && t4Hit.items.every((t) => t.grid === true && t.row === row)) t4Hit.aligned = true;
    const spec: RowSpec = { id: 't4', slots: 15, ids: T4_IDS, distinctive: true, accept: () => false };
    const { src, result } = solveHit(t4Hit, spec);
    const keys = T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => t4Key(g.id, c.id)));
    if (src.pieces.length > 0) {
      t4.found = true;
      t4.edition = t3Edition;
      t4.position = t4Hit.label.pos;
      t4.rows.push({ id: 'values', label: t4Hit.label.raw.trim(), position: t4Hit.label.pos });
      for (const c of cellsOf(src, result, result.readings, { keys })) cells[c.key] = c;
      noteExtra(t4Hit, src.pieces.length, 15, keys, notes);
      tableRowRanges.push(rowRange([t4Hit], tokens, t3End, T4_HEADER));
    }
  }

  // ---- a report cut off inside table 三
  if (!t3Hits.some((h) => t3Rows[h.spec]!.id === 'carry_next') && !laterHeading && !t4.found) {
    const last = t3Hits[t3Hits.length - 1];
    const message = `report is cut off: table 三 ends ${last ? `after row ${t3Rows[last.spec]!.label}` : 'at its header'}; its later rows, table 四 and sections 四–六 are missing`;
    if (!opts.partial) throw new ParseError('truncated', message);
    notes.push({ code: 'truncated', message });
  }

  const headRows = headings[0]?.row ?? (h2?.row ?? tokens[t3Start]!.row);
  const { titleRow, ...meta } = extractMeta(doc, headRows);
  const edition: Edition = t2.found && t2Edition ? t2Edition : t3Edition;
  if (t2.found && t2Edition && t2Edition !== t3Edition) {
    notes.push({ code: 'edition-mixed', message: `table 二 uses the ${t2Edition} layout and table 三 the ${t3Edition} layout` });
  }
  const inTable = (row: number) => tableRowRanges.some(([a, b]) => row >= a && row <= b);
  return {
    schema: 'gongkai/report@1',
    source: { name: doc.name, format: doc.format, encoding: doc.encoding, bytes: doc.bytes },
    meta: { ...meta, edition, editionEvidence: evidence },
    sections: sectionsOf(doc, headings, inTable, titleRow),
    outline: findOutline(doc),
    tables: { t2, t3, t4 },
    cells: sortKeys(cells),
    notes,
  };
}

/**
 * A scan (a PDF with no text layer) is not a parse failure: the report is empty, and a note
 * says why, so that the checker can report it and a batch can count it.
 */
function scannedReport(doc: SourceDocument): Report {
  const meta = { title: null, agency: null, region: null, level: null, bodyKind: null, year: null, published: null, publishedFrom: null, index: null, edition: null, editionEvidence: [] };
  return {
    schema: 'gongkai/report@1',
    source: { name: doc.name, format: doc.format, encoding: doc.encoding, bytes: doc.bytes },
    meta,
    sections: [],
    outline: [],
    tables: { t2: emptyTable(), t3: emptyTable(), t4: emptyTable() },
    cells: {},
    notes: [{ code: 'no-text-layer', message: `scanned document, no text layer (${doc.pages ?? 0} pages of images): it needs OCR, which this version does not do` }],
  };
}

function labelVariant(t: Token, official: string): Note {
  const printed = t.raw.trim();
  return { code: 'label-variant', message: `“${printed}” printed for the template's “${official}”`, position: t.pos, printed, official };
}

function emptyTable(): TableInfo {
  return { found: false, edition: null, position: null, rows: [], missingRows: [] };
}

/** Every key of both editions in byte order, computed once: reports list cells in this order. */
const KEY_ORDER = [...new Set([...t2Keys('2019'), ...t2Keys('2021'), ...t3Keys('2019'), ...t3Keys('2021'), ...t4Keys()])].sort();

function sortKeys(cells: Record<string, Cell>): Record<string, Cell> {
  const out: Record<string, Cell> = {};
  for (const k of KEY_ORDER) if (cells[k]) out[k] = cells[k];
  return out;
}

function lastItem(hits: RowHit[]): number {
  const last = hits[hits.length - 1];
  if (!last) return -1;
  return (last.items[last.items.length - 1] ?? last.label).index;
}

/** Source rows a table occupies, from its first header row (if any) to its last value. */
function rowRange(hits: RowHit[], tokens: Token[], from: number, header: RegExp): [number, number] {
  const first = hits[0]!.label;
  let start = first.row;
  for (let i = from; i < first.index; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && labelLike(t) && header.test(t.text)) { start = t.row; break; }
  }
  let end = first.row;
  for (const h of hits) for (const t of [h.label, ...h.items]) end = Math.max(end, t.row);
  return [start, end];
}

/** Table 四: the header words, then one row of 15 numbers (or three rows of five). */
function findTable4(tokens: Token[], from: number, to: number): RowHit | null {
  let label: Token | null = null;
  const items: Token[] = [];
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    const header = t.kind === 'text' && t.text.length <= 30 && T4_HEADER.test(t.text);
    if (!label) { if (header) label = t; continue; }
    if (t.kind === 'text') {
      if (header) continue;
      if (items.some((v) => v.kind !== 'blank')) break;
      continue;
    }
    items.push(t);
  }
  return label ? { spec: 0, label, items } : null;
}

function noteExtra(hit: RowHit, pieces: number, slots: number, keys: string[], notes: Note[]): void {
  if (pieces > slots) {
    notes.push({
      code: 'extra-values', keys, position: hit.label.pos,
      message: `row “${hit.label.raw.trim()}” has ${pieces} values for ${slots} cells`,
    });
  }
}
