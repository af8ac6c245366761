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
  /**
   * The row reads one way, as printed (as many values as slots, none a run to split, each in its
   * own slot): the slots' values, canonical (null for blank, na, text). Set by `solveHit` for a row
   * whose one reading it does not make; cells are read from these and the row's tokens.
   */
  printed?: ReadonlyArray<string | null>;
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
  // most numbers hold no separator and no point: one look at their few characters, no search
  let plain = true;
  for (let i = 0; i < text.length; i++) {
    const k = text.charCodeAt(i);
    if (k === 44 || k === 46) { plain = false; break; }
  }
  if (plain) return text === '-0' ? '0' : text;
  let t = text.includes(',') ? text.replace(/,/g, '') : text;
  if (t.includes('.')) t = t.replace(/0+$/, '').replace(/\.$/, '');
  if (t === '-0') t = '0';
  return t;
}

/**
 * `Number(text)` of a number's text, read digit by digit when it is nine digits or fewer (most
 * of a table's cells: a conversion by the engine costs a call into its runtime for each).
 */
export function numberOf(text: string): number {
  if (text.length > 9) return Number(text);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const d = text.charCodeAt(i) - 48;
    if (d < 0 || d > 9) return Number(text);
    n = n * 10 + d;
  }
  return n;
}

/** The numeric value of a slot for identity sums (blank, na, text: 0). */
export function slotNumber(s: SlotValue): number {
  return s.value === null ? 0 : numberOf(s.value);
}

/**
 * Do the identities that `upTo` completes hold? An identity is checked once, when its last slot
 * is filled (`completes[s]`: the identities whose last slot is s - 1); `nums` holds each filled
 * slot's number.
 */
function holds(nums: Float64Array, ids: RowIdentity[], completes: number[][], from: number, upTo: number): boolean {
  for (let s = from + 1; s <= upTo && s < completes.length; s++) {
    for (const k of completes[s]!) {
      const id = ids[k]!;
      let sum = 0;
      for (const p of id.parts) sum += nums[p]!;
      if (Math.abs(sum - nums[id.total]!) > 1e-9) return false;
    }
  }
  return true;
}

/** A run's tokens from one start: where each may end, its text and value (no leading zero; a fraction only at the end). */
interface Token { end: number; num: number; fraction: boolean; slot: SlotValue }

function runTokens(text: string, piece: number): Token[][] {
  const dot = text.indexOf('.');
  const intEnd = dot < 0 ? text.length : dot;
  const out: Token[][] = [];
  for (let at = 0; at < text.length; at++) {
    const list: Token[] = [];
    for (let end = at + 1; end <= text.length; end++) {
      if (end >= intEnd && end < text.length) continue;
      if (!INT.test(text.slice(at, Math.min(end, intEnd)))) continue;
      const value = canonical(text.slice(at, end));
      list.push({ end, num: numberOf(value), fraction: end > intEnd, slot: { value, kind: 'num', piece, start: at, length: end - at } });
    }
    out.push(list);
  }
  return out;
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
  // A row with one piece for each slot and no run to split (a delimited or tidy row, the common
  // case) reads one way: each piece in its own slot. No search is needed.
  if (pieces.length === slots && pieces.every((p) => p.kind !== 'run')) return asPrinted(pieces, ids);
  const maxReadings = opts.maxReadings ?? 4096;
  const budget = { left: opts.maxSteps ?? MAX_STEPS };
  return solveWithin(pieces, slots, ids, opts, maxReadings, budget);
}

function solveWithin(pieces: Piece[], slots: number, ids: RowIdentity[], opts: SolveOptions, maxReadings: number, budget: { left: number }): SolveResult {
  // each identity is checked when its last slot is filled: completes[s + 1] lists those ending at s
  const completes: number[][] = Array.from({ length: slots + 1 }, () => []);
  ids.forEach((id, k) => { const last = Math.max(id.total, ...id.parts); if (last < slots) completes[last + 1]!.push(k); });
  // a run's tokens and a number's value, worked out once for every pass and branch of the search
  const tokens = pieces.map((p, i) => (p.kind === 'run' ? runTokens(p.text, i) : []));
  const values = pieces.map((p) => (p.kind === 'num' ? canonical(p.text) : null));
  const minFrom = pieces.map((p) => (p.kind === 'run' ? Array.from({ length: p.text.length + 1 }, (_, at) => minCells(p.text, at)) : []));
  // Pruning by size: an identity's total is filled after its parts (the usual layout), so while
  // its parts are being filled the total is still to come — from what is left of the row. The
  // parts filled so far sum to at most the total (no part is negative), and the total is at most
  // the largest number the rest of the row can give: a prefix whose parts already exceed that is
  // given up at once, not after every split of the rest has been tried.
  const negative = pieces.some((p) => p.kind === 'num' && p.text.startsWith('-'));
  // for each slot, the parts filled by then of each identity whose total is still to come
  const pending: number[][][] = Array.from({ length: slots }, () => []);
  if (!negative) {
    for (const id of ids) {
      for (let s = Math.min(...id.parts); s < id.total; s++) pending[s]!.push(id.parts.filter((p) => p <= s));
    }
  }
  const largest = pieces.map((p, i) => {
    if (p.kind === 'num') return Math.abs(Number(values[i]));
    if (p.kind !== 'run') return 0;
    const dot = p.text.indexOf('.');
    return 10 ** (dot < 0 ? p.text.length : dot);
  });
  const largestFrom: number[] = new Array(pieces.length + 1).fill(0);
  for (let i = pieces.length - 1; i >= 0; i--) largestFrom[i] = Math.max(largest[i]!, largestFrom[i + 1]!);
  /**
   * The largest number the row can still give from piece i, character `at` (inside a run), a
   * bound not always reached: made once for every place in the row (the search asks at each step).
   */
  const largestAt: number[][] = pieces.map((p, i) => {
    const len = p.kind === 'run' ? p.text.length : 0;
    const dot = p.kind === 'run' ? p.text.indexOf('.') : -1;
    const whole = dot < 0 ? len : dot;
    return Array.from({ length: len + 1 }, (_, at) => (at === 0 ? largestFrom[i]! : Math.max(10 ** Math.max(0, whole - at), largestFrom[i + 1]!)));
  });
  largestAt.push([largestFrom[pieces.length]!]);
  const largestRest = (i: number, at: number) => largestAt[i]![at]!;
  // the slots no identity spans: every identity lies wholly before or wholly after
  const cut: boolean[] = Array.from({ length: slots + 1 }, (_, c) => c > 0 && c < slots && ids.every((id) => {
    const all = [id.total, ...id.parts];
    return all.every((x) => x < c) || all.every((x) => x >= c);
  }));
  // minimum slots the pieces from i on still need
  const need: number[] = new Array(pieces.length + 1).fill(0);
  for (let i = pieces.length - 1; i >= 0; i--) need[i] = need[i + 1]! + (pieces[i]!.kind === 'run' ? Math.max(1, minFrom[i]![0]!) : 1);
  const run = (useIds: boolean, cap = maxReadings) => {
    const out: Reading[] = [];
    const cur: Array<SlotValue | undefined> = new Array(slots);
    const nums = new Float64Array(slots);
    let overflow = budget.left <= 0;
    const BLANK: SlotValue = { value: null, kind: 'blank', piece: -1 };

    const fits = (slot: number, t: Token) => !t.fraction || !opts.fractional || opts.fractional[slot] === true;
    const fillTo = (from: number, to: number) => { for (let s = from; s < to; s++) { cur[s] = BLANK; nums[s] = 0; } };
    /** Slots before `upTo` are filled (and those before `from` were checked): do their identities hold? */
    const check = (from: number, upTo: number) => !useIds || holds(nums, ids, completes, from, upTo);
    /** Slot `slot` just filled, the row's rest starting at piece i, character `at`: can every identity still hold? */
    const room = (slot: number, i: number, at: number) => {
      if (!useIds) return true;
      const open = pending[slot]!;
      if (open.length === 0) return true;
      const most = largestRest(i, at);
      for (const parts of open) {
        let sum = 0;
        for (const p of parts) sum += nums[p]!;
        if (sum > most) return false;
      }
      return true;
    };

    const emit = (slot: number) => {
      fillTo(slot, slots);
      if (!check(slot, slots)) return;
      out.push(cur.map((v) => ({ ...v! })));
      if (out.length >= cap) overflow = true;
    };

    const place = (i: number, slot: number): void => {
      if (overflow) return;
      if (--budget.left < 0) { overflow = true; return; }
      if (i === pieces.length) { emit(slot); return; }
      memoised(`p${i}.${slot}`, slot, () => {
        const p = pieces[i]!;
        const last = i === 0 || !p.rigidBefore ? slots - need[i]! : slot;
        for (let s = slot; s <= last; s++) {
          fillTo(slot, s);
          if (!check(slot, s)) break;
          if (p.kind === 'run') splitRun(i, 0, s);
          else {
            const value = values[i]!;
            cur[s] = p.kind === 'num' ? { value, kind: 'num', piece: i } : { value: null, kind: p.kind === 'blank' ? 'blank' : p.kind, piece: i };
            nums[s] = p.kind === 'num' ? numberOf(value) : 0;
            if (check(s, s + 1) && room(s, i + 1, 0)) place(i + 1, s + 1);
          }
          if (overflow) return;
        }
      });
    };

    // Split run piece i from character `at`; this token goes to `slot`. A fraction stays whole
    // on the run's last token; no token has a leading zero.
    const splitRun = (i: number, at: number, slot: number): void => {
      const text = pieces[i]!.text;
      for (const t of tokens[i]![at]!) {
        if (overflow) return;
        if (--budget.left < 0) { overflow = true; return; }
        if (!fits(slot, t)) continue;
        cur[slot] = t.slot; // shared, never changed: a reading is copied when it is kept
        nums[slot] = t.num;
        if (!check(slot, slot + 1)) continue;
        if (!room(slot, t.end === text.length ? i + 1 : i, t.end === text.length ? 0 : t.end)) continue;
        if (t.end === text.length) { place(i + 1, slot + 1); continue; }
        rest(i, t.end, slot + 1);
        if (overflow) return;
      }
    };

    // The rest of run i, from character `at`, goes on at slot `from` or later: it may sit after
    // blank cells the squashing hid.
    const rest = (i: number, at: number, from: number): void => {
      memoised(`r${i}.${at}.${from}`, from, () => {
        for (let s = from; s <= slots - minFrom[i]![at]! - need[i + 1]!; s++) {
          fillTo(from, s);
          if (!check(from, s)) break;
          splitRun(i, at, s);
          if (overflow) return;
        }
      });
    };

    // A search from a slot no identity spans (a cut: table 四's groups of five) does not depend
    // on how the slots before it were filled. It is made once for each place in the row it
    // starts from; every other prefix that reaches the same place takes its readings (of the
    // slots from the cut on) as they were found.
    const memo = new Map<string, SlotValue[][]>();
    const memoised = (key: string, from: number, search: () => void): void => {
      if (!cut[from]) { search(); return; }
      const kept = memo.get(key);
      if (kept) {
        for (const tail of kept) {
          if (overflow || --budget.left < 0) { overflow = true; return; }
          out.push([...cur.slice(0, from).map((v) => ({ ...v! })), ...tail.map((v) => ({ ...v }))]);
          if (out.length >= cap) { overflow = true; return; }
        }
        return;
      }
      const before = out.length;
      search();
      // a search cut short by the bound is not the whole answer: not kept
      if (!overflow) memo.set(key, out.slice(before).map((r) => r.slice(from)));
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

/** printedBreaks' numbers, for rows of up to 64 slots (a typed array made for each row costs a call into the engine). */
const PRINTED = new Float64Array(64);

/** The one reading of a row whose pieces fill its slots one each, the identities checked on it. */
function asPrinted(pieces: Piece[], ids: RowIdentity[]): SolveResult {
  const reading: Reading = pieces.map((p, i) => (p.kind === 'num'
    ? { value: canonical(p.text), kind: 'num', piece: i }
    : { value: null, kind: p.kind === 'blank' ? 'blank' : p.kind === 'na' ? 'na' : 'text', piece: i }));
  const broken = printedBreaks(pieces.length, (i) => { const v = reading[i]!.value; return v === null ? 0 : numberOf(v); }, ids);
  return { readings: [reading], identityBroken: broken, overflow: false, structural: 1 };
}

/**
 * Does one of the identities fail on a row read as printed, `numAt(i)` the number in slot i
 * (blank, na, text: 0)? For asPrinted's reading, and for a row whose reading is not made (`solveHit`).
 */
export function printedBreaks(slots: number, numAt: (i: number) => number, ids: RowIdentity[]): boolean {
  const nums = slots <= PRINTED.length ? PRINTED : new Float64Array(slots);
  for (let i = 0; i < slots; i++) nums[i] = numAt(i);
  return ids.some((id) => {
    let sum = 0;
    for (const k of id.parts) sum += nums[k]!;
    return Math.abs(sum - nums[id.total]!) > 1e-9;
  });
}
