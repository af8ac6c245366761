/**
 * Identities across rows (table 三's columns: I1 and I3) narrow the readings of rows that the
 * row identities alone leave ambiguous. Arc consistency over row readings: a reading of a row
 * survives an identity if the other rows have readings that complete it. An identity that no
 * combination of readings satisfies is the publisher's error: it narrows nothing.
 */
import { slotNumber, type Reading } from './solver.ts';

export interface Term { row: string; slot: number; sign: 1 | -1 }
/** sum(sign × cell) = 0 */
export type Equation = Term[];

/** Values are compared as integers in millionths: exact for counts and for money to 6 places. */
const key = (n: number) => Math.round(n * 1e6);

/** The distinct values (as keys, signed) one term takes under the readings of its row. */
function termKeys(readings: Reading[], t: Term): number[] {
  if (readings.length === 1) return [t.sign * key(slotNumber(readings[0]![t.slot]!))];
  const set = new Set<number>();
  for (const r of readings) set.add(t.sign * key(slotNumber(r[t.slot]!)));
  return [...set];
}

/**
 * a ⊕ b: every sum of one element of each. Null past the cap, or when the pairs to try are more
 * than the work bound: give up (the cells stay as the rows left them) rather than blow up.
 */
function plus(a: Set<number>, b: Set<number> | number[], cap = 50_000, work = 2_000_000): Set<number> | null {
  const bSize = Array.isArray(b) ? b.length : b.size;
  if (a.size * bSize > work) return null;
  const out = new Set<number>();
  for (const x of a) for (const y of b) out.add(x + y);
  return out.size > cap ? null : out;
}

function sumSet(lists: number[][]): Set<number> | null {
  let acc: Set<number> | null = new Set([0]);
  for (const l of lists) { acc = plus(acc, l); if (!acc) return null; }
  return acc;
}

/**
 * The terms of an equation, as the lists of values they take: those that take one value add up
 * to a constant (they narrow nothing, and never make the sums more nor give up on them), and
 * the sums need to be made over the others only, `multi` (their places in `lists`).
 */
function splitConstant(lists: number[][]): { constant: number; multi: number[] } {
  let constant = 0;
  const multi: number[] = [];
  for (let i = 0; i < lists.length; i++) {
    if (lists[i]!.length === 1) constant += lists[i]![0]!;
    else multi.push(i);
  }
  return { constant, multi };
}

/** Can some choice of readings satisfy `eq`? (null: unknown — a row is missing, or too many sums) */
function satisfiable(rows: Map<string, Reading[]>, eq: Equation): boolean | null {
  if (eq.some((t) => !rows.get(t.row)?.length)) return null;
  const lists = eq.map((t) => termKeys(rows.get(t.row)!, t));
  const { constant, multi } = splitConstant(lists);
  const all = sumSet(multi.map((i) => lists[i]!));
  return all ? all.has(-constant) : null;
}

/**
 * Narrow `rows` (row id → readings) in place by `equations`, only as far as the narrowing stays
 * consistent: arc consistency checks one identity at a time, so when the table as a whole has
 * no consistent reading (the publisher broke an identity somewhere), narrowing by one identity
 * can push another into contradiction — and pick a wrong reading. Then the narrowing is undone,
 * family by family, rather than guessed. Returns the identities no reading satisfies.
 */
export function refineByColumns(rows: Map<string, Reading[]>, families: Equation[][]): Equation[] {
  const all = families.flat();
  const before = new Map(rows);
  const okBefore = all.filter((eq) => satisfiable(rows, eq) === true);
  const consistent = () => okBefore.every((eq) => satisfiable(rows, eq) !== false);
  narrow(rows, all);
  if (!consistent()) {
    for (const [k, v] of before) rows.set(k, v);
    for (const fam of families) {
      const saved = new Map(rows);
      narrow(rows, fam);
      if (!consistent()) for (const [k, v] of saved) rows.set(k, v);
    }
  }
  return all.filter((eq) => satisfiable(rows, eq) === false);
}

function narrow(rows: Map<string, Reading[]>, equations: Equation[]): void {
  for (let round = 0, changed = true; changed && round < 8; round++) {
    changed = false;
    for (const eq of equations) {
      if (eq.some((t) => !rows.get(t.row)?.length)) continue;
      if (eq.every((t) => rows.get(t.row)!.length === 1)) continue;
      const lists = eq.map((t) => termKeys(rows.get(t.row)!, t));
      const { constant, multi } = splitConstant(lists);
      // prefix[k] = sums of the terms multi[0..k), suffix[k] = sums of the terms multi[k..)
      const m = multi.length;
      const prefix: Array<Set<number> | null> = [new Set([0])];
      for (let k = 0; k < m; k++) prefix.push(prefix[k] ? plus(prefix[k]!, lists[multi[k]!]!) : null);
      const suffix: Array<Set<number> | null> = new Array(m + 1);
      suffix[m] = new Set([0]);
      for (let k = m - 1; k >= 0; k--) suffix[k] = suffix[k + 1] ? plus(suffix[k + 1]!, lists[multi[k]!]!) : null;
      if (!prefix[m]?.has(-constant)) continue; // unknown, or the publisher's error
      for (let k = 0; k < m; k++) {
        const t = eq[multi[k]!]!;
        const readings = rows.get(t.row)!;
        const before = prefix[k];
        const after = suffix[k + 1];
        if (readings.length < 2 || !before || !after) continue;
        const wanted = plus(before, after);
        if (!wanted) continue;
        const kept = readings.filter((r) => wanted.has(-t.sign * key(slotNumber(r[t.slot]!)) - constant));
        if (kept.length > 0 && kept.length < readings.length) {
          rows.set(t.row, kept);
          changed = true;
        }
      }
    }
  }
}

/**
 * A row the row identity read one way (splitting a run, placing a blank) can be the row whose
 * identity the publisher broke: then the split that makes it hold is a repair, not a reading
 * (`107 36 2 147`, whose parts add up to 145, read as 1|0|7|36|2|1|47), and the column
 * identities through the row fail instead. When the failing column identities all pass through
 * one row (the table's 总计 row: I1 and I3 both hold it) — they localise the fault — the readings
 * its row identity refused join its readings if they bring every failing identity through it
 * at least as close to holding, and one closer, than its own readings do. The cells on which the
 * two disagree are then `?`: the source does not say which identity the publisher broke.
 * `others(row)` gives a row's readings without its row identity (null: the row is not in
 * doubt — it reads one way, or a reviewer pinned it). Returns the rows put in doubt.
 */
export function doubtRows(rows: Map<string, Reading[]>, broken: Equation[], others: (row: string) => Reading[] | null): string[] {
  const sets = broken.map((eq) => new Set(eq.map((t) => t.row)));
  const shared = [...sets[0] ?? []].filter((row) => sets.every((s) => s.has(row)));
  if (shared.length === 0 || sets.some((s) => s.size <= shared.length)) return [];
  const doubted: string[] = [];
  for (const row of shared) {
    const own = rows.get(row);
    if (!own?.length) continue;
    // for each failing identity: the sums its other terms can take, sorted, and this row's term
    const parts = broken.map((eq) => {
      const rest = sumSet(eq.filter((t) => t.row !== row).map((t) => termKeys(rows.get(t.row) ?? [], t)));
      return rest ? { sums: Float64Array.from(rest).sort(), terms: eq.filter((t) => t.row === row) } : null;
    });
    if (parts.some((p) => p === null || p.sums.length === 0)) continue;
    /** How far each failing identity is from holding under one reading of the row. */
    const gaps = (r: Reading) => parts.map((p) => nearest(p!.sums, -p!.terms.reduce((n, t) => n + t.sign * key(slotNumber(r[t.slot]!)), 0)));
    const ownGaps = own.map(gaps).reduce((a, b) => a.map((x, i) => Math.min(x, b[i]!)));
    const alt = others(row);
    if (!alt?.length) continue;
    const closer = alt.filter((r) => {
      const g = gaps(r);
      return g.every((x, i) => x <= ownGaps[i]!) && g.some((x, i) => x < ownGaps[i]!);
    });
    if (closer.length === 0) continue;
    rows.set(row, [...own, ...closer]);
    doubted.push(row);
  }
  return doubted;
}

/** The distance from `x` to the nearest of `sorted`. */
function nearest(sorted: Float64Array, x: number): number {
  let lo = 0;
  let hi = sorted.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! < x) lo = mid + 1; else hi = mid;
  }
  return Math.min(Math.abs(sorted[lo]! - x), lo > 0 ? Math.abs(sorted[lo - 1]! - x) : Infinity);
}
