/**
 * Table 三 (收到和处理政府信息公开申请情况): where it is, its edition from the （六）其他处理 rows,
 * and its rows. Each row is found by its label in template order and its values solved into
 * the seven columns under the row identity (I2: 总计 = the six applicant columns); in a PDF the
 * numbers are first placed under their column headers by position. Rows the row identity leaves
 * ambiguous are then narrowed by the column identities (I1, I3), only as far as the table stays
 * consistent. A printed total is kept as printed.
 */
import { identities, t3RowKeys } from '../schema/keys.ts';
import { T3_COLUMNS, T3_EDITION_2021_SIGNAL, T3_ROWS, type Edition } from '../schema/editions.ts';
import { doubtRows, refineByColumns, type Equation } from '../solve/columns.ts';
import { solveRow, type Reading, type RowIdentity, type SolveResult } from '../solve/solver.ts';
import { compact } from '../read/normalize.ts';
import type { TableInfo } from '../types.ts';
import { alignRow, columnCentres } from './columns.ts';
import { emptyTable, labelLike, missingRows, noteExtra, rowRange, unplacedNote, type Span, type TableContext } from './context.ts';
import { cellsOf, confirmOcr, doubtPlacement, findRows, markPlacement, pinReadings, placeOrphans, solveHit, type RowHit, type RowSpec } from './rows.ts';
import type { Heading } from './sections.ts';

const ROW_ID: RowIdentity[] = [{ total: 6, parts: [0, 1, 2, 3, 4, 5] }];

/**
 * Table 三's tokens: from its first row (本年新收 or 上年结转, after section 二's heading) to
 * section 四's heading or table 四's first header word. Null when there is no such row.
 */
export function locateTable3(ctx: TableContext, headings: Heading[], firstTok: (row: number) => number): Span | null {
  const h2 = headings.find((h) => h.number === 2);
  const { tokens } = ctx;
  let from = -1;
  for (let i = h2 ? firstTok(h2.row) : 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && !t.header && labelLike(t) && (t.text.includes('本年新收') || t.text.includes('上年结转'))) { from = i; break; }
  }
  if (from < 0) return null;
  const row = tokens[from]!.row;
  const later = headings.find((h) => h.number >= 4 && h.row > row);
  let to = later ? firstTok(later.row) : tokens.length;
  for (let i = from + 1; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && t.text.length <= 24 && t.text.startsWith('行政复议')) { to = i; break; }
  }
  return { from, to };
}

/** The edition from the （六） rows: three sub-rows in 2021, one row in 2019. */
export function table3Edition(ctx: TableContext, span: Span, fallback: Edition | null, evidence: string[]): Edition {
  let other = false;
  for (let i = span.from; i < span.to; i++) {
    const t = ctx.tokens[i]!;
    if (t.kind !== 'text') continue;
    if (T3_EDITION_2021_SIGNAL.test(t.text)) {
      evidence.push('table 三: （六）其他处理 has the 2021 sub-rows');
      return '2021';
    }
    other ||= t.text.includes('其他处理');
  }
  if (other) {
    evidence.push('table 三: （六）其他处理 is one row (2019)');
    return '2019';
  }
  const edition = fallback ?? '2019';
  evidence.push(`table 三: no （六） row seen; taken as ${edition}`);
  return edition;
}

const SPECS = new Map<Edition, Array<RowSpec & { keys: string[] }>>();

/** Table 三's rows as findRows takes them, made once an edition. */
function rowSpecs(edition: Edition): Array<RowSpec & { keys: string[] }> {
  let specs = SPECS.get(edition);
  if (!specs) {
    specs = T3_ROWS[edition].map((r) => ({
      id: r.id, slots: 7, ids: ROW_ID, distinctive: r.distinctive, official: compact(r.label),
      accept: (t) => labelLike(t) && r.match.test(t.text), keys: t3RowKeys(r.id),
    }));
    SPECS.set(edition, specs);
  }
  return specs;
}

/**
 * Read the rows of table 三. `headerFrom` is where its column headers may start (after table
 * 二's last value), for locating the columns of a PDF page and the table's first source row.
 */
export function readTable3(ctx: TableContext, span: Span, edition: Edition, headerFrom: number): { table: TableInfo; hits: RowHit[] } {
  const { tokens } = ctx;
  const table = emptyTable();
  const rows = T3_ROWS[edition];
  const specs = rowSpecs(edition);
  const { hits, unplaced } = placeOrphans(findRows(tokens, span.from, span.to, specs), specs.length, 7);
  for (const o of unplaced) ctx.notes.push(unplacedNote(o));
  table.found = true;
  table.edition = edition;
  table.position = tokens[span.from]!.pos;

  // a grid row with blank cells in the label columns (a report that kept the template's column
  // of sub-item labels for a row without sub-items): the table's value columns say which are its values
  dropLabelColumnBlanks(hits);

  // a PDF row: numbers placed under their column headers where the page makes that clear
  const labels = T3_COLUMNS.map((c) => c.label);
  // (a source with no geometry, which places its numbers by text alone, has no columns to find)
  const geometry = hits.some((h) => h.label.pos.origin?.box !== undefined || h.items.some((t) => t.pos.origin?.box !== undefined));
  const centres = geometry ? columnCentres(hits, tokens.slice(Math.max(headerFrom, span.from - 80), span.from), labels) : null;
  if (centres) for (const hit of hits) if (!hit.label.grid) alignRow(hit, centres, labels);

  const solvedHits: Array<ReturnType<typeof solveHit>> = [];
  let pinnedRows: Set<string> | null = null;
  for (const hit of hits) {
    const { id, keys } = specs[hit.spec]!;
    const s = solveHit(hit, specs[hit.spec]!);
    // a reviewer's picks narrow the row first, and through the column identities the others
    if (ctx.pins) {
      const pinned = pinReadings(s.result.readings, keys, ctx.pins, ctx.notes);
      if (pinned !== s.result.readings) { s.result = withReadings(s.result, pinned, s.result.structural); (pinnedRows ??= new Set()).add(id); }
    }
    solvedHits.push(s);
    table.rows.push({ id, label: hit.label.raw.trim(), position: hit.label.pos });
    noteExtra(hit, s.src.tokens.length, 7, keys, ctx.notes);
  }
  /** A row its row identity read (a split, a placed blank), which no reviewer pinned. */
  const byIdentity = (id: string, s: ReturnType<typeof solveHit>) =>
    !pinnedRows?.has(id) && !s.result.identityBroken && !s.result.overflow && s.result.structural !== 1;
  // rows that read one way each, as printed (the usual table): nothing for the column identities
  // to narrow or doubt, and the readings are not gathered by row for them
  let readings: Map<string, Reading[]> | null = null;
  let doubted: Set<string> | null = null;
  if (solvedHits.some((s, h) => (!s.result.printed && !s.result.overflow && s.result.readings.length > 1) || byIdentity(specs[hits[h]!.spec]!.id, s))) {
    const solved = new Map(hits.map((hit, h) => [specs[hit.spec]!.id, solvedHits[h]!]));
    readings = new Map();
    for (const [id, s] of solved) if (!s.result.overflow) readings.set(id, s.result.readings);
    const broken = refineByColumns(readings, [columnEquations(edition, 'I1'), columnEquations(edition, 'I3')]);
    // Column identities that fail under every reading: perhaps a row's own identity is the one
    // the publisher broke, and the split that made it hold (107 as 1|0|7) was a repair, not a reading.
    if (broken.length > 0) {
      doubted = new Set(doubtRows(readings, broken, (id) => {
        const s = solved.get(id)!;
        if (!byIdentity(id, s)) return null;
        const loose = solveRow(s.src.pieces, 7, []);
        return loose.overflow ? null : loose.readings;
      }));
    }
  }
  for (let h = 0; h < hits.length; h++) {
    const hit = hits[h]!;
    const { id, keys } = specs[hit.spec]!;
    const s = solvedHits[h]!;
    // (a row's readings as the column identities left them; none gathered, its own)
    const narrowed = readings?.get(id);
    const result = narrowed && narrowed.length !== s.result.readings.length ? withReadings(s.result, narrowed, Math.max(2, s.result.structural)) : s.result;
    const cells = cellsOf(s.src, result, narrowed, { keys });
    if (doubted?.has(id)) {
      for (const c of cells) {
        if (c.status === 'ambiguous') c.how = `the row identity (总计 = 自然人 + … + 其他) holds only under some readings of “${c.raw}”, the column identities (I1, I3) only under others: one of them the publisher broke, and the source does not say which; ${c.how}`;
      }
    }
    markPlacement(cells, hit, rows[hit.spec]!.label);
    if (hit.placed && s.result.identityBroken) for (const c of cells) doubtPlacement(c, 'the row identity (总计 = 自然人 + … + 其他)');
    confirmOcr(cells, !s.result.identityBroken, 'the row identity (总计 = 自然人 + … + 其他) fails with it');
    ctx.cells.setRow(keys, cells);
  }
  if (hits.some((h) => h.placed)) confirmPlacements(ctx, edition);
  table.missingRows = missingRows(rows, hits);
  ctx.tableRows.push(rowRange(hits, tokens, headerFrom, /勾稽关系|申请人情况/));
  return { table, hits };
}

/**
 * A row's result with other readings (a reviewer's picks, the column identities' narrowing): made
 * field by field, as a printed row's result keeps its reading on its class, not among its fields.
 */
function withReadings(r: SolveResult, readings: Reading[], structural: number): SolveResult {
  return { readings, identityBroken: r.identityBroken, overflow: r.overflow, structural };
}

/**
 * The grid columns table 三's values stand in, from its grid rows that hold exactly seven cells
 * after their label (all of them agreeing); a grid row with more cells, the extra ones blank and
 * outside those columns, keeps only its cells in them. Anything less clear is left as it was
 * (and its cells stay `?` when seven do not fit).
 */
function dropLabelColumnBlanks(hits: RowHit[]): void {
  const own = (h: RowHit) => h.items.length > 0 && h.items.every((t) => t.grid === true && t.row === h.label.row && t.gridCol !== undefined);
  const full = hits.filter((h) => own(h) && h.items.length === 7);
  if (full.length < 2) return;
  const first = full[0]!.items;
  if (full.some((h) => h.items.some((t, k) => t.gridCol !== first[k]!.gridCol))) return;
  // (every grid row of seven cells its label's only: nothing to drop, the usual table)
  if (!hits.some((h) => own(h) && h.items.length > 7)) return;
  const cols = new Set(first.map((t) => t.gridCol!));
  for (const h of hits) {
    if (!own(h) || h.items.length <= 7) continue;
    const kept = h.items.filter((t) => cols.has(t.gridCol!));
    if (kept.length === 7 && h.items.every((t) => cols.has(t.gridCol!) || t.kind === 'blank')) h.items = kept;
  }
}

/**
 * A row found without its label stands only if the column identities (I1, I3) hold with it
 * there: where one that the certain cells determine fails, its placed cells are put in doubt.
 */
function confirmPlacements(ctx: TableContext, edition: Edition): void {
  const num = (k: string) => Number(ctx.cells.get(k)!.value ?? 0);
  for (const id of identities(edition)) {
    if (id.rule !== 'I1' && id.rule !== 'I3') continue;
    const keys = [...id.lhs, ...id.rhs];
    const cells = keys.map((k) => ctx.cells.get(k));
    if (!cells.some((c) => c?.placed) || cells.some((c) => !c || c.status === 'ambiguous')) continue;
    const lhs = id.lhs.reduce((a, k) => a + num(k), 0);
    const rhs = id.rhs.reduce((a, k) => a + num(k), 0);
    if (Math.abs(lhs - rhs) > 1e-9) for (const c of cells) if (c!.placed) doubtPlacement(c!, `${id.rule} (${id.statement})`);
  }
}

const SLOT = new Map(T3_COLUMNS.map((c, i) => [c.id, i]));

const EQUATIONS = new Map<string, Equation[]>();

/** A family of column identities as equations over (row, slot) terms: lhs − rhs = 0 (made once per edition). */
function columnEquations(edition: Edition, rule: 'I1' | 'I3'): Equation[] {
  const key = `${edition}.${rule}`;
  let eqs = EQUATIONS.get(key);
  if (!eqs) EQUATIONS.set(key, (eqs = makeEquations(edition, rule)));
  return eqs;
}

function makeEquations(edition: Edition, rule: 'I1' | 'I3'): Equation[] {
  const term = (key: string, sign: 1 | -1) => {
    const [, row, col] = /^t3\.(.+)\.([a-z_]+)$/.exec(key)!;
    return { row: row!, slot: SLOT.get(col!)!, sign };
  };
  return identities(edition).filter((e) => e.rule === rule).map((e) => [...e.lhs.map((k) => term(k, 1)), ...e.rhs.map((k) => term(k, -1))]);
}
