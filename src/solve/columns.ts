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

const key = (n: number) => Math.round(n * 1e6);

/** Values of one term under each reading of its row. */
function termValues(readings: Reading[], t: Term): number[] {
  return readings.map((r) => t.sign * slotNumber(r[t.slot]!));
}

/** The set of sums reachable by picking one value per list (bounded). */
function sumSet(lists: number[][], cap = 50_000): Set<number> | null {
  let acc = new Set<number>([0]);
  for (const l of lists) {
    const vals = new Set(l.map(key));
    const next = new Set<number>();
    for (const a of acc) for (const v of vals) next.add(a + v);
    if (next.size > cap) return null;
    acc = next;
  }
  return acc;
}

/** Can some choice of readings satisfy `eq`? (null: unknown — a row is missing, or too many sums) */
function satisfiable(rows: Map<string, Reading[]>, eq: Equation): boolean | null {
  if (eq.some((t) => !rows.get(t.row)?.length)) return null;
  const all = sumSet(eq.map((t) => termValues(rows.get(t.row)!, t)));
  return all ? all.has(0) : null;
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
  const broken = new Set<Equation>();
  for (let round = 0, changed = true; changed && round < 8; round++) {
    changed = false;
    for (const eq of equations) {
      if (broken.has(eq) || eq.some((t) => !rows.get(t.row)?.length)) continue;
      if (eq.every((t) => rows.get(t.row)!.length === 1)) {
        const total = eq.reduce((s, t) => s + key(termValues(rows.get(t.row)!, t)[0]!), 0);
        if (total !== 0) broken.add(eq);
        continue;
      }
      const lists = eq.map((t) => termValues(rows.get(t.row)!, t));
      const all = sumSet(lists);
      if (!all) continue;
      if (!all.has(0)) { broken.add(eq); continue; }
      eq.forEach((t, i) => {
        const readings = rows.get(t.row)!;
        if (readings.length < 2) return;
        const others = sumSet(lists.filter((_, j) => j !== i));
        if (!others) return;
        const kept = readings.filter((_, r) => others.has(-key(lists[i]![r]!)));
        if (kept.length > 0 && kept.length < readings.length) {
          rows.set(t.row, kept);
          lists[i] = termValues(kept, t);
          changed = true;
        }
      });
    }
  }
}
