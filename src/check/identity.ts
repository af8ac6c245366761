/**
 * Evaluating an identity on a report, honest about what the report does not determine.
 */
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS } from '../schema/editions.ts';
import { identities, type Identity, type IdentityRule } from '../schema/keys.ts';
import type { Cell, Position, Report } from '../types.ts';
import type { FindingInput } from './types.ts';
import { groupFinding } from './util.ts';

export interface Evaluation {
  lhs: number;
  rhs: number;
  /** The cells involved, lhs first. */
  cells: Cell[];
  /** Broken under every reading of ambiguous cells (rather than as read). */
  everyReading: boolean;
  blanks: string[];
}

const num = (v: string | null) => (v === null ? 0 : Number(v));
const close = (a: number, b: number) => Math.abs(a - b) < 1e-9;

/** Sums a side can take when some of its cells are ambiguous (blank counts 0). */
function sums(cells: Cell[]): Set<number> | null {
  let acc = new Set([0]);
  for (const c of cells) {
    const vals = c.status === 'ambiguous' ? (c.candidates ?? []).map(num) : [num(c.value)];
    if (vals.length === 0) return null;
    const next = new Set<number>();
    for (const a of acc) for (const v of vals) next.add(a + v);
    if (next.size > 10_000) return null;
    acc = next;
  }
  return acc;
}

/**
 * A broken identity, or null when it holds, when a cell is missing (missing-cell's business),
 * or when it holds under some reading of an ambiguous cell (ambiguous-cell's business: the
 * fault would be the reading's, not the publisher's).
 */
export function broken(report: Report, id: Identity): Evaluation | null {
  // one pass over the cells, with nothing made, for the common case: every cell there, none
  // ambiguous, and the identity holding (a report is checked against some hundred identities)
  const lhs = side(report.cells, id.lhs);
  if (lhs === null) return null;
  const rhs = side(report.cells, id.rhs);
  if (rhs === null) return null;
  const certain = lhs !== 'ambiguous' && rhs !== 'ambiguous';
  if (certain && close(lhs, rhs)) return null;
  const get = (k: string) => report.cells[k]!;
  const l = id.lhs.map(get);
  const r = id.rhs.map(get);
  const cells = [...l, ...r];
  const blanks = cells.filter((c) => c.value === null && c.status !== 'ambiguous').map((c) => c.key);
  if (certain) return { lhs, rhs, cells, everyReading: false, blanks };
  const a = sums(l);
  const b = sums(r);
  if (!a || !b || [...a].some((x) => [...b].some((y) => close(x, y)))) return null;
  return { lhs: Math.min(...a), rhs: Math.min(...b), cells, everyReading: true, blanks };
}

/**
 * The sum of one side's cells as read (blank counts 0), `ambiguous` when one of them is, or null
 * when the identity is not to be checked: a cell missing (missing-cell's business), text where a
 * number belongs, or a total left blank — a blank total is not a total of 0: the report printed
 * nothing there, and missing-cell says so (with what its parts add up to); no arithmetic is
 * claimed over it.
 */
function side(cells: Readonly<Record<string, Cell>>, keys: readonly string[]): number | 'ambiguous' | null {
  let sum = 0;
  let ambiguous = false;
  for (let i = 0; i < keys.length; i++) {
    const c = cells[keys[i]!];
    if (!c) return null;
    if (c.status === 'ambiguous') { ambiguous = true; continue; }
    if (c.shown === 'text') return null;
    if (c.value === null) { if (isTotalKey(c.key)) return null; } else sum += Number(c.value);
  }
  return ambiguous ? 'ambiguous' : sum;
}

/** A cell that is itself a total: table 三's 总计 column and （七）总计 row, table 四's 总计 columns. */
export const isTotalKey = (key: string): boolean =>
  // (`/^t[34]\..*\.total$/`, told by its ends: asked of every blank cell's key)
  ((key.startsWith('t3.') || key.startsWith('t4.')) && key.length >= 9 && key.endsWith('.total')) || key.startsWith('t3.results_total.');

const fmt = (n: number) => String(Math.round(n * 1e6) / 1e6);

/** Label of a cell key for messages and pages: 规章·本年制发件数, 一、本年新收…·自然人, 行政复议·结果维持. */
export function cellLabel(key: string): string {
  let label = labels.get(key);
  if (label === undefined) {
    label = labelOf(key);
    if (labels.size < 4096) labels.set(key, label);
  }
  return label;
}

/** Labels made so far: the template has some 400 keys, and messages name the same ones in every report (bounded, as a report read from JSON may carry any key). */
const labels = new Map<string, string>();

function labelOf(key: string): string {
  const t2 = /^t2\.([a-z_]+)\.([a-z_]+)$/.exec(key);
  if (t2) {
    // a key names a row and column of one edition; the 2021 wording first where both have it
    for (const rows of [T2_ROWS['2021'], T2_ROWS['2019']]) {
      const row = rows.find((r) => r.id === t2[1]);
      const col = row?.columns.find((c) => c.id === t2[2]);
      if (row && col) return `${row.label}·${col.label}`;
    }
  }
  const t3 = /^t3\.(.+)\.([a-z_]+)$/.exec(key);
  if (t3) {
    const row = [...T3_ROWS['2021'], ...T3_ROWS['2019']].find((r) => r.id === t3[1]);
    const col = T3_COLUMNS.find((c) => c.id === t3[2]);
    return `${(row?.label ?? t3[1]!).replace(/（区分处理的.*）/, '')}·${col?.label ?? t3[2]}`;
  }
  const t4 = /^t4\.([a-z_]+)\.([a-z_]+)$/.exec(key);
  if (t4) return `${T4_GROUPS.find((g) => g.id === t4[1])?.label ?? t4[1]}·${T4_COLUMNS.find((c) => c.id === t4[2])?.label ?? t4[2]}`;
  return key;
}

/** A finding for a broken identity: expected vs printed, every cell involved, its positions. */
export function identityFinding(e: Evaluation, what: { zh: string; en: string; printedSide: 'lhs' | 'rhs'; lhsCount: number }): FindingInput {
  const printed = what.printedSide === 'lhs' ? e.lhs : e.rhs;
  const computed = what.printedSide === 'lhs' ? e.rhs : e.lhs;
  // the printed total's cells first: that is where the finding points
  const lhsCells = e.cells.slice(0, what.lhsCount);
  const rhsCells = e.cells.slice(what.lhsCount);
  const ordered = what.printedSide === 'lhs' ? [...lhsCells, ...rhsCells] : [...rhsCells, ...lhsCells];
  const reading = e.everyReading ? '（在所有可能读法下均不成立）' : '';
  const readingEn = e.everyReading ? ' (under every reading of its ambiguous cells)' : '';
  const blank = e.blanks.length ? `；空白格按 0 计：${e.blanks.map(cellLabel).join('、')}` : '';
  const blankEn = e.blanks.length ? `; blank cells counted as 0: ${e.blanks.join(', ')}` : '';
  return {
    message: `${what.zh}：印出 ${fmt(printed)}，应为 ${fmt(computed)}${reading}${blank}`,
    messageEn: `${what.en}: printed ${fmt(printed)}, expected ${fmt(computed)}${readingEn}${blankEn}`,
    keys: ordered.map((c) => c.key),
    positions: ordered.map((c) => c.position).filter((p): p is Position => p !== null),
    expected: fmt(computed),
    actual: fmt(printed),
    fault: 'publisher',
  };
}

/** What a family of identities checks, for the one finding that lists its broken instances. */
export interface FamilySummary { zh: string; en: string }

/**
 * Run one family of identities (I1…I4) over a report. The instances it breaks are one finding
 * (one defect seen in several columns or groups — a shifted row breaks a column identity in every
 * column), which names each place: 自然人 印出 1，应为 0；…
 */
export function checkIdentities(
  report: Report,
  rule: IdentityRule,
  emit: (f: FindingInput) => void,
  describe: (id: Identity, e: Evaluation) => { zh: string; en: string; printedSide: 'lhs' | 'rhs'; where?: { zh: string; en: string } },
  family?: FamilySummary,
): void {
  const ed = rule === 'I4' ? report.tables.t4.edition ?? report.tables.t3.edition : report.tables.t3.edition;
  if (!ed) return;
  const places: Array<{ f: FindingInput; where?: { zh: string; en: string } }> = [];
  for (const id of identities(ed)) {
    if (id.rule !== rule) continue;
    const e = broken(report, id);
    if (!e) continue;
    const d = describe(id, e);
    places.push({ f: identityFinding(e, { ...d, lhsCount: id.lhs.length }), ...(d.where ? { where: d.where } : {}) });
  }
  if (places.length === 0) return;
  if (places.length === 1 || !family || places.some((p) => !p.where)) { for (const p of places) emit(p.f); return; }
  const grouped = groupFinding(places.map((p) => p.f),
    `${family.zh}：${places.map((p) => `${p.where!.zh} 印出 ${p.f.actual}，应为 ${p.f.expected}`).join('；')}`,
    `${family.en}: ${places.map((p) => `${p.where!.en} printed ${p.f.actual}, expected ${p.f.expected}`).join('; ')}`);
  emit({ ...grouped, fault: 'publisher' });
}
