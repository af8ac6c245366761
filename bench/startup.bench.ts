/**
 * What starting the command costs, as a user runs it (the built `dist/cli/main.js` that `npx
 * gongkai` and the installed bin start): `--help`, a command's `--help` (its modules loaded),
 * and reading the bundled sample, each in a fresh process, in turn with a bare `node -e 0`
 * round after round. Builds `dist` first when a source file is newer than it.
 *
 *   node bench/startup.bench.ts [SECONDS]
 */
import { spawnSync } from 'node:child_process';
import { builtCli } from './built.ts';
import { interleaved } from './interleave.ts';

const seconds = Number(process.argv[2] ?? 10);
const root = new URL('..', import.meta.url).pathname;
const bin = builtCli();

const run = (args: string[]) => () => {
  const r = spawnSync(process.execPath, args, { cwd: root, stdio: ['ignore', 'ignore', 'pipe'] });
  if (r.status !== 0 && r.status !== 1) throw new Error(`node ${args.join(' ')} exited ${r.status}: ${r.stderr}`);
};
const timings = await interleaved([
  { label: 'node -e 0', pass: run(['-e', '0']) },
  { label: 'gongkai --help', pass: run([bin, '--help']) },
  { label: 'gongkai check --help (its modules loaded)', pass: run([bin, 'check', '--help']) },
  { label: 'gongkai parse samples/shangqiu-mzj-2020.txt', pass: run([bin, 'parse', '--format', 'text', 'samples/shangqiu-mzj-2020.txt']) },
], { seconds, minRounds: 10 });

console.log(`startup, a fresh process each pass (median of ${timings[0]!.passes.length} rounds; target for --help ≤ 2× node -e 0):`);
for (const t of timings) console.log(`  ${t.label.padEnd(46)} ${t.median.toFixed(0).padStart(5)} ms  ${t.ratio.toFixed(2)}×`);
