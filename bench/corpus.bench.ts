/**
 * Scale: ingest a synthetic corpus (mixed forms) into SQLite and PostgreSQL, watching memory;
 * then stats over a million reports.
 *
 *   node bench/corpus.bench.ts ingest [count=100000] [postgres://…]   (then exports the store it filled)
 *   node bench/corpus.bench.ts stats [reports=1000000] [postgres://…]
 *   node bench/corpus.bench.ts write [count=3000] [postgres://…]
 *
 * `write` times the store's side of an ingest alone: the corpus is read first (in this process),
 * then written as ingest writes it (WRITE_GROUP files a transaction), into a fresh store.
 *
 * `npm run bench:corpus` runs both at full size on SQLite (tens of minutes on 2 cores).
 */
import { spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql, type Insertable } from 'kysely';
import type { DB } from '../src/store/schema.ts';
import { listFiles } from '../src/ingest/walk.ts';
import { findingCounts, totals } from '../src/store/query.ts';
import { Store, type DocumentInput } from '../src/store/store.ts';
import readTask from '../src/ingest/task.ts';
import { WRITE_GROUP } from '../src/ingest/ingest.ts';
import { createHash } from 'node:crypto';
import { timeExport, timeStats } from './built.ts';
import { textFloor } from './interleave.ts';
import { fresh, populate } from './populate.ts';
import { FORM_EXT, FORMS, writeForm } from '../src/synth/forms.ts';
import { synthesizeEach } from '../src/synth/generate.ts';
import { PLACES } from '../src/synth/lists.ts';
import { EXPORT_KEYS } from '../src/store/export.ts';

/**
 * The machine's speed at the moment, one core: the plain seed reports decoded, NFKC-normalised and
 * split into lines for two seconds (the parse bench's floor). A shared machine's speed moves by a
 * third within an hour (the same code ingested 106 and 157 reports/s), so an ingest's figure is
 * given with this, taken before and after it. The gauge is Node's own work, which no version of
 * gongkai changes: it was gongkai's parse once, which made a faster version's machine look faster.
 */
function machineSpeed(): number {
  const files = ['seed000-shangqiu-mzj-2020-pipes.txt', 'seed001-wuzhong-mzj-2021-tabs.txt', 'seed002-kongtong-gov-2021-cell-per-line.txt']
    .map((f) => new Uint8Array(readFileSync(new URL(`../test/fixtures/${f}`, import.meta.url))));
  let sink = 0;
  const once = (f: Uint8Array) => { sink += textFloor(f); };
  for (const f of files) once(f);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < 2000) for (const f of files) { once(f); n++; }
  return sink > 0 ? n / ((performance.now() - t0) / 1000) : 0;
}

/** CPU seconds in a /proc `stat` line: the sum of its first `fields` time fields (utime, stime, then cutime, cstime), in ticks of 1/100 s. */
function statCpu(stat: string, fields: number): number {
  const f = stat.replace(/^.*\) /s, '').split(' ').slice(11, 11 + fields).map(Number);
  return f.reduce((a, b) => a + b, 0) / 100;
}

/**
 * The CPU time so far of every process of the PostgreSQL server on this machine (its backends,
 * and the backends that have ended, counted in their parent's children's time): null when the
 * server is elsewhere, or /proc cannot tell.
 */
function serverCpu(url: string | undefined): number | null {
  if (!url || !/@(?:localhost|127\.0\.0\.1|\[::1\])[:/]/.test(url)) return null;
  let total = 0;
  let found = false;
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!/^\d+ \(postgres\)/.test(stat)) continue;
      total += statCpu(stat, 4); // utime, stime, cutime, cstime
      found = true;
    } catch { /* gone meanwhile */ }
  }
  return found ? total : null;
}

const [mode = 'ingest', n = mode === 'stats' ? '1000000' : mode === 'write' ? '3000' : '100000', pgUrl] = process.argv.slice(2);
const count = Number(n);
const mb = (b: number) => `${(b / 1048576).toFixed(0)} MB`;


/** The synthetic corpus of `count` files in the 16 forms in turn, written once and kept in the temporary folder. */
function corpusFiles(): { dir: string; files: string[] } {
  const dir = join(tmpdir(), `gongkai-bench-${count}`);
  const t0 = performance.now();
  mkdirSync(dir, { recursive: true });
  // streamed: a synthetic corpus of 100,000 reports does not fit in memory at once
  let written = 0;
  // a corpus left by an earlier run of the same size is the same corpus (same seed): reuse it
  const have = listFiles([dir], () => {}).length;
  if (have === count) written = count;
  else for (const s of synthesizeEach({ count, seed: 42 })) {
    const form = FORMS[written % FORMS.length]!;
    writeFileSync(join(dir, `${s.id}.${FORM_EXT[form]}`), writeForm(s.report, form));
    if (++written % 1000 === 0) process.stderr.write(`\rsynth ${written}/${count}`);
  }
  const files = listFiles([dir], () => {});
  const bytes = files.reduce((a, f) => a + statSync(f).size, 0);
  console.log(`\ncorpus: ${files.length} files, ${mb(bytes)}, written in ${((performance.now() - t0) / 1000).toFixed(0)} s (${FORMS.join(', ')} in turn)`);
  return { dir, files };
}

if (mode === 'write') {
  const { files } = corpusFiles();
  const inputs: DocumentInput[] = [];
  const t0 = performance.now();
  for (const path of files) {
    const bytes = new Uint8Array(readFileSync(path));
    inputs.push({ path, hash: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, ...(await readTask({ path, bytes })) });
    if (inputs.length % 500 === 0) process.stderr.write(`\rread ${inputs.length}/${files.length}`);
  }
  console.log(`\nread in ${((performance.now() - t0) / 1000).toFixed(0)} s (not timed below); the machine's speed (plain seed reports decoded, normalised and split on one core): ${machineSpeed().toFixed(0)} reports/s`);
  const file = join(tmpdir(), 'gongkai-bench-write.db');
  for (let round = 1; round <= 3; round++) {
    const store = await fresh(pgUrl, file);
    const t1 = performance.now();
    const c0 = process.cpuUsage();
    for (let i = 0; i < inputs.length; i += WRITE_GROUP) await store.writeMany(inputs.slice(i, i + WRITE_GROUP));
    const c = process.cpuUsage(c0);
    const ms = performance.now() - t1;
    await store.close();
    console.log(`write ${inputs.length} files into a fresh ${pgUrl ? 'PostgreSQL' : 'SQLite'} store, ${WRITE_GROUP} a transaction (round ${round}): ${(ms / inputs.length).toFixed(2)} ms a file, ${((c.user + c.system) / 1000 / inputs.length).toFixed(2)} ms of this process's CPU a file${pgUrl ? ' (the server\'s not counted)' : ''}`);
  }
} else if (mode === 'ingest') {
  const { dir } = corpusFiles();
  const file = join(tmpdir(), 'gongkai-bench.db');
  await (await fresh(pgUrl, file)).close();
  // the real command in its own process, its memory sampled from /proc every second and its CPU
  // time (every thread's, user and system) every quarter second: the wall rate moves with whatever
  // else the machine runs, the CPU time a report much less
  const speedBefore = machineSpeed();
  const t1 = performance.now();
  const child = spawn(process.execPath, [new URL('../src/cli/main.ts', import.meta.url).pathname, 'ingest', '-q', '--db', pgUrl ?? file, dir], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => { stderr += d; });
  const rss: Array<[number, number]> = [];
  let cpu = 0;
  let ticks = 0;
  // each thread's CPU time (its last sample), by thread: the main thread writes the store, worker
  // threads read the files (and one copies SQLite's log back), V8's own threads compile and collect
  const threads = new Map<string, { name: string; cpu: number }>();
  const server0 = serverCpu(pgUrl);
  const timer = setInterval(() => {
    try {
      // utime and stime, fields 14 and 15 of /proc/PID/stat (after the command's name in parentheses), in clock ticks of 1/100 s
      cpu = statCpu(readFileSync(`/proc/${child.pid}/stat`, 'utf8'), 2);
      for (const tid of readdirSync(`/proc/${child.pid}/task`)) {
        try {
          const t = threads.get(tid) ?? { name: readFileSync(`/proc/${child.pid}/task/${tid}/comm`, 'utf8').trim(), cpu: 0 };
          t.cpu = statCpu(readFileSync(`/proc/${child.pid}/task/${tid}/stat`, 'utf8'), 2);
          threads.set(tid, t);
        } catch { /* the thread has ended */ }
      }
      if (ticks++ % 4 === 0) {
        const kb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, 'utf8'))?.[1]);
        rss.push([(performance.now() - t1) / 1000, kb * 1024]);
      }
    } catch { /* the process has ended */ }
  }, 250);
  const code = await new Promise<number>((resolve) => child.on('exit', (c) => resolve(c ?? -1)));
  clearInterval(timer);
  const secs = (performance.now() - t1) / 1000;
  const server1 = serverCpu(pgUrl);
  const speedAfter = machineSpeed();
  const summary = /ingest: .*/.exec(stderr)?.[0] ?? stderr.slice(-400);
  const added = Number(/(\d+) new/.exec(summary)?.[1] ?? 0);
  const store = await Store.open(pgUrl ?? file);
  const size = pgUrl ? Number((await sql<{ s: number }>`select pg_database_size(current_database()) as s`.execute(store.db)).rows[0]!.s) : statSync(file).size;
  const current = Number((await sql<{ n: number }>`select count(*) as n from reports where current = 1`.execute(store.db)).rows[0]!.n);
  await store.close();
  const peak = Math.max(...rss.map(([, r]) => r));
  const tenth = Math.max(1, Math.floor(rss.length / 10));
  console.log(`ingest (exit ${code}) into ${pgUrl ? 'PostgreSQL' : 'SQLite'} on ${availableParallelism()} cores: ${added} reports in ${secs.toFixed(0)} s = ${(added / secs).toFixed(0)} reports/s, corpus rules included`);
  console.log(`  CPU time of the ingest process (every thread, user + system): ${cpu.toFixed(1)} s = ${((cpu * 1000) / Math.max(added, 1)).toFixed(1)} ms a report; ${(cpu / secs).toFixed(2)} of the ${availableParallelism()} cores busy on average${pgUrl ? ' (the PostgreSQL server\'s own time not counted)' : ''}`);
  const by = (test: (name: string) => boolean) => [...threads.values()].filter((t) => test(t.name)).reduce((a, t) => a + t.cpu, 0);
  const perReport = (s: number) => `${s.toFixed(1)} s (${((s * 1000) / Math.max(added, 1)).toFixed(1)} ms a report)`;
  const [main, workers, v8] = [by((t) => t === 'MainThread' || t === 'node'), by((t) => t === 'WorkerThread'), by((t) => t.startsWith('V8'))];
  console.log(`  by thread: main (the store's writes) ${perReport(main)}; worker threads (reading and checking the files; SQLite's log copied back) ${perReport(workers)}; V8's own threads (optimising compiler, garbage collector) ${perReport(v8)}; other ${perReport(Math.max(0, cpu - main - workers - v8))}`);
  if (server0 !== null && server1 !== null) {
    const server = server1 - server0;
    // what two cores could do at most, were every one of them busy with this work alone
    console.log(`  the PostgreSQL server's CPU time (its processes on this machine): ${perReport(server)}; with the ingest process's, ${(((cpu + server) * 1000) / Math.max(added, 1)).toFixed(1)} ms a report: ${availableParallelism()} cores busy with nothing else would do ${((availableParallelism() * added) / (cpu + server)).toFixed(0)} reports/s`);
  } else {
    console.log(`  ${availableParallelism()} cores busy with this process's work alone would do ${((availableParallelism() * added) / Math.max(cpu, 1e-9)).toFixed(0)} reports/s${pgUrl ? ' (the PostgreSQL server is not on this machine, or its time could not be read: not counted)' : ''}`);
  }
  console.log(`  the machine's speed (plain seed reports decoded, normalised and split on one core): ${speedBefore.toFixed(0)} reports/s before, ${speedAfter.toFixed(0)} after`);
  console.log(`  ${summary}`);
  console.log(`RSS of the ingest process (s → MB): ${rss.filter((_, i) => i % tenth === 0).map(([t, r]) => `${t.toFixed(0)}→${mb(r).replace(' MB', '')}`).join(', ')}; peak ${mb(peak)}`);
  console.log(`database size: ${mb(size)} (${(size / Math.max(added, 1) / 1024).toFixed(1)} kB a report)`);
  // the store the real ingest filled (its reports' cells, findings and paths as ingest leaves
  // them, in the order it wrote them), exported as users run it
  timeExport(pgUrl ?? file, current, [['csv', 3], ['json', 3]]);
} else {
  // a million current reports: the rows ingest would leave in reports, report_agg, cell_agg and findings
  const file = join(tmpdir(), 'gongkai-bench-stats.db');
  const store = await fresh(pgUrl, file);
  const t0 = performance.now();
  // the statistics read the aggregates: a million reports' 226 million cells are left out (42 GB)
  const groups = await populate(store, count, { cells: false, onProgress: (done) => { if (done % 100000 === 0) process.stderr.write(`\rpopulating ${done}/${count}`); } });
  console.log(`\n${count} reports in ${groups} year×region×level groups (${EXPORT_KEYS.length} cells each), populated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
  const time = async (label: string, fn: () => Promise<unknown>) => {
    await fn();
    const runs: number[] = [];
    for (let i = 0; i < 5; i++) { const t = performance.now(); await fn(); runs.push(performance.now() - t); }
    runs.sort((a, b) => a - b);
    console.log(`${label.padEnd(52)} median ${runs[2]!.toFixed(0)} ms (min ${runs[0]!.toFixed(0)}, max ${runs[4]!.toFixed(0)})`);
  };
  await time('stats --by year,region (every cell)', () => totals(store, ['year', 'region'], {}));
  await time('stats --by year --where region=淮安市', () => totals(store, ['year'], { region: '淮安市' }));
  await time('findings by rule, whole corpus', () => findingCounts(store, {}));
  await time('findings by rule, year=2023 region=淮安市', () => findingCounts(store, { years: [2023], region: '淮安市' }));
  await store.close();
  // the text table as a user asks for it: the built command, start-up included
  timeStats(pgUrl ?? file, [['text', 5]]);
}
