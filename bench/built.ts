/**
 * The command as users run it: the built `dist/cli/main.js` (the package's bin), built first when
 * a source file is newer than it — timing `src/` would add Node's type stripping to every start.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { openSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export function builtCli(): string {
  const bin = join(root, 'dist/cli/main.js');
  const newest = readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .reduce((m, e) => Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  let built = 0;
  try { built = statSync(bin).mtimeMs; } catch { /* not built yet */ }
  if (built < newest) {
    console.log('dist is older than src: building it (npm run build:cli, the build without the web pages)');
    execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
  }
  return bin;
}

/**
 * `gongkai stats --by year,region` on a store, as a user runs it (the built bin, start-up
 * included, its output thrown away): each format `runs` times; prints the median and peak RSS.
 */
export function timeStats(db: string, formats: ReadonlyArray<readonly ['text' | 'json' | 'csv', number]>): void {
  const main = builtCli();
  for (const [format, runs] of formats) {
    const times: number[] = [];
    let peak = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, main, 'stats', '--by', 'year,region', '--db', db, '--format', format], { stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'], encoding: 'utf8' });
      times.push(performance.now() - t);
      if (r.status !== 0) throw new Error(`stats --format ${format}: exit ${r.status} ${r.stderr.slice(0, 300)}`);
      peak = Math.max(peak, Number(r.stderr.trim().split('\n').pop()) / 1024);
    }
    times.sort((a, b) => a - b);
    console.log(`gongkai stats --by year,region --format ${format.padEnd(4)}  ${(times[times.length >> 1]! / 1000).toFixed(2)} s (peak RSS ${peak.toFixed(0)} MB${runs > 1 ? `, median of ${runs}: ${times.map((x) => (x / 1000).toFixed(2)).join(' ')}` : ''})`);
  }
}
