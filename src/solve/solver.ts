/**
 * Squashed and short rows, solved as constraints.
 *
 * A row of the source gives a sequence of pieces: numbers, blank cells, not-applicable marks,
 * and digit runs that may hold several cells squashed together (`272720`). The solver
 * enumerates every way to lay the pieces into the row's K slots — splitting runs with no
 * leading zeros, placing blank cells wherever the source could have lost one — and keeps the
 * readings under which the row's identities hold. It never picks among survivors: that is the
 * caller's business (a cell is known only when every survivor agrees on it).
 */

export type PieceKind = 'num' | 'run' | 'blank' | 'na' | 'text';

export interface Piece {
  kind: PieceKind;
  /** Normalised text: for num/run the number text (`100001`, `1498935.88`, `-1`). */
  text: string;
  /** True when nothing can hide between this piece and the previous one (adjacent delimited cells). */
  rigidBefore: boolean;
}

/** What one slot holds under one reading. */
export interface SlotValue {
  /** Canonical decimal, or null for blank / na / text. */
  value: string | null;
  kind: 'num' | 'blank' | 'na' | 'text';
  /** Index of the piece it came from (-1 for a placed blank). */
  piece: number;
  /** For a split run: the part of the piece's text this slot took. */
  start?: number;
  length?: number;
}

export type Reading = SlotValue[];

/** sum(slots in `parts`) = slot `total`, blank counted as 0. */
export interface RowIdentity {
  total: number;
  parts: number[];
}

export interface SolveResult {
  /** Readings that satisfy every row identity; if none do, every structural reading. */
  readings: Reading[];
  /** No reading satisfies the identities: the row as printed breaks one (a publisher's error). */
  identityBroken: boolean;
  /** The search was cut off; readings are incomplete and every cell must be treated as unknown. */
  overflow: boolean;
  /** Readings before identities were applied, counted up to 2: 1 means the row reads one way only. */
  structural: number;
}

export interface SolveOptions {
  /**
   * Slots that may hold a fraction (money). Counts are whole numbers, so a reading that gives a
   * count a fraction is dropped — unless no reading is left, when the row is read as printed.
   */
  fractional?: boolean[];
  maxReadings?: number;
  maxSteps?: number;
}

const INT = /^-?(?:0|[1-9]\d*)$/;

/**
 * The fewest cells a digit run can be split into: a `0` that starts a token is a token by
 * itself (no leading zeros), anything else can run to the end.
 */
export function minCells(run: string, from = 0): number {
  let n = 0;
  let i = from;
  while (i < run.length && run[i] === '0') { n++; i++; }
  return i < run.length ? n + 1 : n;
}

/** Canonical decimal of a number token: separators out, sign kept. */
export function canonical(text: string): string {
  let t = text.replace(/,/g, '');
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  if (t === '-0') t = '0';
  return t;
}

/** The numeric value of a slot for identity sums (blank, na, text: 0). */
export function slotNumber(s: SlotValue): number {
  return s.value === null ? 0 : Number(s.value);
}

/** Do the identities whose slots all lie below `upTo` hold? `lasts[i]` = last slot of ids[i]. */
function holds(reading: Array<SlotValue | undefined>, ids: RowIdentity[], lasts: number[], upTo: number): boolean {
  for (let i = 0; i < ids.length; i++) {
    const id = ids[i]!;
    if (lasts[i]! >= upTo) continue;
    let sum = 0;
    for (const p of id.parts) sum += slotNumber(reading[p]!);
    if (Math.abs(sum - slotNumber(reading[id.total]!)) > 1e-9) return false;
  }
  return true;
}

/**
 * Enumerate readings of `pieces` into `slots` slots. Leading and trailing slack is always
 * elastic; between pieces it is elastic unless the later piece is `rigidBefore`.
 */
/**
 * The search's bound: steps (a piece placed, or a run's token tried) over all the passes of one
 * row. Past it the row is `overflow`, and every cell of it `?` — so no row, however long its
 * digit runs, costs more than a few tens of milliseconds.
 */
export const MAX_STEPS = 150_000;

export function solveRow(pieces: Piece[], slots: number, ids: RowIdentity[], opts: SolveOptions = {}): SolveResult {
  const maxReadings = opts.maxReadings ?? 4096;
  const budget = { left: opts.maxSteps ?? MAX_STEPS };
  return solveWithin(pieces, slots, ids, opts, maxReadings, budget);
}

function solveWithin(pieces: Piece[], slots: number, ids: RowIdentity[], opts: SolveOptions, maxReadings: number, budget: { left: number }): SolveResult {
  const lasts = ids.map((id) => Math.max(id.total, ...id.parts));
  const run = (useIds: boolean, cap = maxReadings) => {
    const out: Reading[] = [];
    const cur: Array<SlotValue | undefined> = new Array(slots);
    let overflow = budget.left <= 0;
    // minimum slots the pieces from i on still need
    const need: number[] = new Array(pieces.length + 1).fill(0);
    for (let i = pieces.length - 1; i >= 0; i--) need[i] = need[i + 1]! + (pieces[i]!.kind === 'run' ? Math.max(1, minCells(pieces[i]!.text)) : 1);
    const blank = (): SlotValue => ({ value: null, kind: 'blank', piece: -1 });

    const fits = (slot: number, value: string) => !opts.fractional || !value.includes('.') || opts.fractional[slot] === true;
    const fillTo = (from: number, to: number) => { for (let s = from; s < to; s++) cur[s] = blank(); };
    const check = (upTo: number) => !useIds || holds(cur, ids, lasts, upTo);

    const emit = (slot: number) => {
      fillTo(slot, slots);
      if (useIds && !holds(cur, ids, lasts, slots + 1)) return;
      out.push(cur.map((v) => ({ ...v! })));
      if (out.length >= cap) overflow = true;
    };

    const place = (i: number, slot: number): void => {
      if (overflow) return;
      if (--budget.left < 0) { overflow = true; return; }
      if (i === pieces.length) { emit(slot); return; }
      const p = pieces[i]!;
      const last = i === 0 || !p.rigidBefore ? slots - need[i]! : slot;
      for (let s = slot; s <= last; s++) {
        fillTo(slot, s);
        if (!check(s)) break;
        if (p.kind === 'run') splitRun(i, 0, s);
        else {
          cur[s] = p.kind === 'num'
            ? { value: canonical(p.text), kind: 'num', piece: i }
            : { value: null, kind: p.kind === 'blank' ? 'blank' : p.kind, piece: i };
          if (check(s + 1)) place(i + 1, s + 1);
        }
        if (overflow) return;
      }
    };

    // Split run piece i from character `at`; this token goes to `slot`. A fraction stays whole
    // on the run's last token; no token has a leading zero.
    const splitRun = (i: number, at: number, slot: number): void => {
      const text = pieces[i]!.text;
      const dot = text.indexOf('.');
      const intEnd = dot < 0 ? text.length : dot;
      for (let end = at + 1; end <= text.length; end++) {
        if (overflow) return;
        if (--budget.left < 0) { overflow = true; return; }
        if (end >= intEnd && end < text.length) continue;
        const tok = text.slice(at, end);
        if (!INT.test(text.slice(at, Math.min(end, intEnd))) || !fits(slot, tok)) continue;
        cur[slot] = { value: canonical(tok), kind: 'num', piece: i, start: at, length: end - at };
        if (!check(slot + 1)) continue;
        if (end === text.length) { place(i + 1, slot + 1); continue; }
        // the rest of the run may sit after blank cells the squashing hid
        for (let s = slot + 1; s <= slots - minCells(text, end) - need[i + 1]!; s++) {
          fillTo(slot + 1, s);
          if (!check(s)) break;
          splitRun(i, end, s);
          if (overflow) return;
        }
      }
    };

    place(0, 0);
    return { out, overflow };
  };

  const strict = run(true);
  if (strict.out.length > 0 || ids.length === 0) {
    // With as many pieces as slots every piece takes one slot whole: one structural reading.
    const structural = ids.length === 0 || pieces.length === slots ? strict.out.length : countStructural();
    return { readings: strict.out, identityBroken: false, overflow: strict.overflow, structural };
  }
  const loose = run(false);
  // A count printed with a fraction is the publisher's error (invalid-number), not no reading.
  if (loose.out.length === 0 && opts.fractional && !loose.overflow) return solveWithin(pieces, slots, ids, { ...opts, fractional: undefined }, maxReadings, budget);
  return { readings: loose.out, identityBroken: loose.out.length > 0, overflow: loose.overflow || strict.overflow, structural: loose.out.length };

  /** 1 when the pieces fit the slots one way only, else 2 (more is not needed). */
  function countStructural(): number {
    return Math.min(2, run(false, 2).out.length);
  }
}
