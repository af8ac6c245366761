/**
 * Squashed text, where the solver does the work: synthetic reports whose table rows are written
 * with their digits run together (`272720`), parsed one by one; the median, 90th percentile and
 * worst time a report, and how many cells the search left undetermined because it ran out of
 * steps. The targets: ≤ 5 ms median, ≤ 50 ms worst.
 *
 *   node bench/solver.bench.ts [REPORTS] [SEED]
 */
import { parse } from '../src/index.ts';
import { writeForm } from '../src/synth/forms.ts';
import { synthesize } from '../src/synth/generate.ts';

const count = Number(process.argv[2] ?? 300);
const seed = Number(process.argv[3] ?? 7);
const files = synthesize({ count, seed, defectRate: 0 }).map((s) => writeForm(s.report, 'squashed'));
for (const b of files.slice(0, 20)) parse(b, { name: 'warm.txt' });
const times: number[] = [];
let undetermined = 0;
let cells = 0;
for (const b of files) {
  const t = performance.now();
  const r = parse(b, { name: 'squashed.txt' });
  times.push(performance.now() - t);
  for (const c of Object.values(r.cells)) { cells++; if (c.status === 'ambiguous') undetermined++; }
}
times.sort((a, b) => a - b);
const at = (q: number) => times[Math.min(times.length - 1, Math.floor(times.length * q))]!;
console.log(`squashed text, ${count} synthetic reports (seed ${seed}): median ${at(0.5).toFixed(1)} ms, p90 ${at(0.9).toFixed(1)} ms, worst ${times[times.length - 1]!.toFixed(1)} ms a report`);
console.log(`  ${undetermined} of ${cells} cells undetermined (${((100 * undetermined) / cells).toFixed(2)} %): the readings disagree, or the search ran out of steps`);
