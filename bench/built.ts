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

/** One run of the built command, its output thrown away: seconds and peak RSS (MB). */
function runBuilt(main: string, args: readonly string[]): { seconds: number; peakMb: number } {
  const t = performance.now();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', process.execPath, main, ...args], { stdio: ['ignore', openSync('/dev/null', 'w'), 'pipe'], encoding: 'utf8' });
  const seconds = (performance.now() - t) / 1000;
  if (r.status !== 0) throw new Error(`gongkai ${args.join(' ')}: exit ${r.status} ${r.stderr.slice(0, 300)}`);
  return { seconds, peakMb: Number(r.stderr.trim().split('\n').pop()) / 1024 };
}

/** A command `runs` times: the median seconds, every run's, and the peak RSS. */
function timeBuilt(args: readonly string[], runs: number): { median: number; all: number[]; peakMb: number } {
  const main = builtCli();
  const results = Array.from({ length: runs }, () => runBuilt(main, args));
  const all = results.map((r) => r.seconds).sort((a, b) => a - b);
  return { median: all[all.length >> 1]!, all, peakMb: Math.max(...results.map((r) => r.peakMb)) };
}

/**
 * `gongkai stats --by year,region` on a store, as a user runs it (the built bin, start-up
 * included, its output thrown away): each format `runs` times; prints the median and peak RSS.
 */
export function timeStats(db: string, formats: ReadonlyArray<readonly ['text' | 'json' | 'csv', number]>): void {
  for (const [format, runs] of formats) {
    const t = timeBuilt(['stats', '--by', 'year,region', '--db', db, '--format', format], runs);
    console.log(`gongkai stats --by year,region --format ${format.padEnd(4)}  ${t.median.toFixed(2)} s (peak RSS ${t.peakMb.toFixed(0)} MB${runs > 1 ? `, median of ${runs}: ${t.all.map((x) => x.toFixed(2)).join(' ')}` : ''})`);
  }
}

/**
 * `gongkai export` of every current report of a store (`reports` of them), as a user runs it,
 * its output thrown away: each format `runs` times; prints the median, the time per 10,000
 * reports (the issue's bar: under a second) and the peak RSS.
 */
export function timeExport(db: string, reports: number, formats: ReadonlyArray<readonly ['csv' | 'json' | 'xlsx' | 'parquet', number]>): void {
  for (const [format, runs] of formats) {
    const t = timeBuilt(['export', '--db', db, '--format', format, '--out', '/dev/null'], runs);
    console.log(`gongkai export --format ${format.padEnd(7)} ${reports} reports: ${t.median.toFixed(2)} s = ${((t.median * 10000) / reports).toFixed(2)} s per 10,000 reports (bar: 1 s; peak RSS ${t.peakMb.toFixed(0)} MB${runs > 1 ? `, median of ${runs}: ${t.all.map((x) => x.toFixed(2)).join(' ')}` : ''})`);
  }
}
