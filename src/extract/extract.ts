/**
 * The extractor: SourceDocument → Report. Finds the sections and the three tables and hands
 * each table to its reader (`table2.ts`, `table3.ts`, `table4.ts`): rows anchored on the
 * template's labels (`rows.ts`), squashed and short rows solved with the identities
 * (`../solve/`). Every printed number is kept as printed.
 */
import { gazetteer } from '../schema/divisions.ts';
import { T3_ROWS, type Edition } from '../schema/editions.ts';
import type { Report, SourceDocument } from '../types.ts';
import { CellTable, emptyTable, lastItem, type Span, type TableContext } from './context.ts';
import { resolveBody } from './body.ts';
import { extractMeta } from './meta.ts';
import { findHeadings, findOutline, headLines, sectionsOf, type Heading, type HeadLine } from './sections.ts';
import { readTable2, table2Edition } from './table2.ts';
import { locateTable3, readTable3, table3Edition } from './table3.ts';
import { readTable4 } from './table4.ts';
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

export interface ExtractOptions {
  /** Read a fragment (a report cut off before or inside table 三) instead of refusing it; a note says so. */
  partial?: boolean;
  /** Values a reviewer picked for cells: the solver keeps only readings that agree (see `pinReadings`). */
  pins?: Record<string, string | null>;
}

/**
 * Build what reading reports needs once and keeps: the gazetteer of divisions (3 MB allocated,
 * 8 ms). `parse` calls this before it reads a report's bytes, and `extract` before it makes
 * anything of a document, so that the gazetteer is not built in the middle of the first report.
 *
 * Built there, its allocation made the engine collect the young space while that report's rows,
 * tokens and cells were all alive. From such collections V8 learns that objects made where those
 * are made live long, and in some runs it then made them in the old space for the rest of the
 * process (allocation-site pretenuring): every later report cost 4–6 % more, in full collections
 * of what it left behind. README, *After 8247a9f*.
 */
export function prepare(): void {
  gazetteer();
}

export function extract(doc: SourceDocument, opts: ExtractOptions = {}): Report {
  prepare();
  if (doc.scanned) return scannedReport(doc);
  const tokens = tokenize(doc);
  const lines = headLines(doc);
  const headings = findHeadings(doc, lines);
  // firstTok(r): the first token on source row r or after it (asked of a few heading rows)
  const firstTok = (row: number) => firstTokenAt(tokens, row);
  const ctx: TableContext = { tokens, cells: new CellTable(), notes: [], tableRows: [], ...(opts.pins ? { pins: opts.pins } : {}) };
  const evidence: string[] = [];
  const h2 = headings.find((h) => h.number === 2);
  const t3Span = locateTable3(ctx, headings, firstTok);

  if (!t3Span) {
    // a page cut off before table 三 is still a report when its title or headings say so
    const message = 'not an annual report: no table 三 found (收到和处理政府信息公开申请情况: no row 本年新收/上年结转)';
    if (!looksLikeReport(doc, headings)) throw new ParseError('no-table-3', message);
    // headings after section 三 mean the tables were left out, not cut off
    const cut = headings.some((h) => h.number >= 4) ? null : headings[headings.length - 1] ?? { title: '' };
    const truncated = cut && `report is cut off before table 三${cut.title ? ` (the last heading is “${cut.title}”)` : ''}: the tables that follow are missing`;
    if (!opts.partial) throw new ParseError(truncated ? 'truncated' : 'no-table-3', truncated ? `${truncated} (--partial reads what is there)` : message);
    if (truncated) ctx.notes.push({ code: 'truncated', message: truncated });
    const span: Span = { from: h2 ? firstTok(h2.row) : 0, to: tokens.length };
    const edition = table2Edition(ctx, span, evidence);
    const t2 = edition ? readTable2(ctx, span, edition).table : emptyTable();
    return assemble(doc, ctx, lines, headings, { t2, t3: emptyTable(), t4: emptyTable() }, edition, evidence, h2?.row ?? doc.rows.length);
  }

  // ---- editions, from the layout: table 二's column headers, table 三's （六） rows
  const t2Span: Span = { from: h2 && firstTok(h2.row) < t3Span.from ? firstTok(h2.row) : 0, to: t3Span.from };
  const t2Edition = table2Edition(ctx, t2Span, evidence);
  const t3Edition = table3Edition(ctx, t3Span, t2Edition, evidence);

  const { table: t2, hits: t2Hits } = readTable2(ctx, t2Span, t2Edition ?? t3Edition);
  const { table: t3, hits: t3Hits } = readTable3(ctx, t3Span, t3Edition, Math.max(t2Span.from, lastItem(t2Hits) + 1));
  const h5 = headings.find((h) => h.number >= 5 && firstTok(h.row) >= t3Span.to);
  const t4 = readTable4(ctx, { from: t3Span.to, to: h5 ? firstTok(h5.row) : tokens.length }, t3Edition);

  // ---- a report cut off inside table 三
  const t3Row = tokens[t3Span.from]!.row;
  const rows = T3_ROWS[t3Edition];
  if (!t3Hits.some((h) => rows[h.spec]!.id === 'carry_next') && !headings.some((h) => h.number >= 4 && h.row > t3Row) && !t4.found) {
    const last = t3Hits[t3Hits.length - 1];
    const message = `report is cut off: table 三 ends ${last ? `after row ${rows[last.spec]!.label}` : 'at its header'}; its later rows, table 四 and sections 四–六 are missing`;
    if (!opts.partial) throw new ParseError('truncated', message);
    ctx.notes.push({ code: 'truncated', message });
  }

  if (t2.found && t2Edition && t2Edition !== t3Edition) {
    ctx.notes.push({ code: 'edition-mixed', message: `table 二 uses the ${t2Edition} layout and table 三 the ${t3Edition} layout` });
  }
  const edition: Edition = t2.found && t2Edition ? t2Edition : t3Edition;
  return assemble(doc, ctx, lines, headings, { t2, t3, t4 }, edition, evidence, h2?.row ?? t3Row);
}

/** The report: metadata, sections (without the tables' rows), the tables and their cells. */
function assemble(doc: SourceDocument, ctx: TableContext, lines: HeadLine[], headings: Heading[], tables: Report['tables'], edition: Edition | null, evidence: string[], fallbackHead: number): Report {
  const { titleRow, ...meta } = extractMeta(doc, headings[0]?.row ?? fallbackHead);
  const t = doc.rows[titleRow]?.cells[0];
  // the title names the agency: its place is where a division note points
  const at = t ? { offset: t.offset, length: t.raw.length, line: t.line, column: t.column, ...(t.origin ? { origin: t.origin, ...(t.origin.page !== undefined ? { page: t.origin.page } : {}) } : {}) } : null;
  const body = resolveBody(meta.agency, doc.text, at);
  // the source rows the tables occupy (a range for each table)
  const inTable = (row: number) => {
    // (a loop, not `some` with a function made at each call: asked once for every source row)
    for (let i = 0; i < ctx.tableRows.length; i++) if (row >= ctx.tableRows[i]![0] && row <= ctx.tableRows[i]![1]) return true;
    return false;
  };
  return {
    schema: 'gongkai/report@1',
    source: { name: doc.name, format: doc.format, encoding: doc.encoding, bytes: doc.bytes },
    meta: {
      title: meta.title, agency: meta.agency, region: body.region, level: body.level, division: body.division, divisionCandidates: body.divisionCandidates,
      bodyKind: body.bodyKind, year: meta.year, published: meta.published, publishedFrom: meta.publishedFrom, index: meta.index, edition, editionEvidence: evidence,
    },
    sections: sectionsOf(doc, headings, inTable, titleRow),
    outline: findOutline(doc, lines),
    tables,
    cells: ctx.cells.sorted(),
    notes: [...body.notes, ...ctx.notes],
  };
}

/** The index of the first token on source row `row` or after it (tokens.length if none): tokens are in row order. */
function firstTokenAt(tokens: Token[], row: number): number {
  let lo = 0;
  let hi = tokens.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (tokens[mid]!.row < row) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A report's title (with its year) or two of its section headings. */
function looksLikeReport(doc: SourceDocument, headings: Heading[]): boolean {
  return headings.length >= 2 || extractMeta(doc, headings[0]?.row ?? Math.min(doc.rows.length, 12)).year !== null;
}

/**
 * A scan (a PDF with no text layer) is not a parse failure: the report is empty, and a note
 * says why, so that the checker can report it and a batch can count it.
 */
function scannedReport(doc: SourceDocument): Report {
  const meta = { title: null, agency: null, region: null, level: null, division: null, divisionCandidates: [], bodyKind: null, year: null, published: null, publishedFrom: null, index: null, edition: null, editionEvidence: [] };
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
