/**
 * What starting the command costs, as a user runs it (the built `dist/cli/main.js` that `npx
 * gongkai` and the installed bin start): `--help`, a command's `--help` (its modules loaded),
 * and reading the bundled sample, each in a fresh process, in turn with a bare `node -e 0`
 * round after round. Builds `dist` first when a source file is newer than it.
 *
 *   node bench/startup.bench.ts [SECONDS]
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { interleaved } from './interleave.ts';

const seconds = Number(process.argv[2] ?? 10);
const root = new URL('..', import.meta.url).pathname;
const bin = join(root, 'dist/cli/main.js');

const newest = (dir: string): number => readdirSync(dir, { withFileTypes: true, recursive: true })
  .filter((e) => e.isFile() && e.name.endsWith('.ts'))
  .reduce((m, e) => Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
let built = 0;
try { built = statSync(bin).mtimeMs; } catch { /* not built yet */ }
if (built < newest(join(root, 'src'))) {
  console.log('dist is older than src: building it (tsc -p tsconfig.build.json)');
  execFileSync(join(root, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
}

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
