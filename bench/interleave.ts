/**
 * Timing a command beside its floor so that the ratio means something on a noisy machine: the
 * measures run in turn, one pass each, round after round, so whatever slows the machine slows
 * them alike; each is reported by its median pass, and the ratio is the median of the rounds'
 * own ratios (each round's pass against the floor's pass of the same round).
 */
export interface Measure { label: string; pass: () => unknown }
export interface Timing { label: string; median: number; passes: number[]; ratio: number }

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

/**
 * Run `measures` (the first is the floor) for at least `minRounds` rounds and until `seconds`
 * have passed, after one warm-up pass each. Times are milliseconds per pass.
 */
export async function interleaved(measures: Measure[], opts: { seconds: number; minRounds?: number; maxRounds?: number }): Promise<Timing[]> {
  for (const m of measures) await m.pass();
  const passes = measures.map(() => [] as number[]);
  const t0 = performance.now();
  const min = opts.minRounds ?? 5;
  for (let round = 0; round < (opts.maxRounds ?? Infinity) && (round < min || performance.now() - t0 < opts.seconds * 1000); round++) {
    for (let i = 0; i < measures.length; i++) {
      const s = performance.now();
      await measures[i]!.pass();
      passes[i]!.push(performance.now() - s);
    }
  }
  const floor = passes[0]!;
  return measures.map((m, i) => ({ label: m.label, median: median(passes[i]!), passes: passes[i]!, ratio: median(passes[i]!.map((p, r) => p / floor[r]!)) }));
}

/**
 * The text floor: decoding a report's bytes, NFKC and splitting it into lines (Node's own work,
 * which no version of gongkai changes). The parse bench's floor, and the corpus bench's gauge of
 * the machine's speed. Returns the line count, for the caller to keep.
 */
export const textFloor = (bytes: Uint8Array): number => new TextDecoder('utf-8').decode(bytes).normalize('NFKC').split('\n').length;
