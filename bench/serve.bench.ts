/**
 * The dashboard's API on a big store: every call the dashboard page makes (and the compare
 * page's search and coverage), timed through the server in-process (routing, query, JSON).
 * The bar: each call under 200 ms on a 100,000-report store.
 *
 *   node bench/serve.bench.ts [reports=100000] [postgres://… | pg]
 */
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sql } from 'kysely';
import { buildApp } from '../src/serve/app.ts';
import { timeExport, timeStats } from './built.ts';
import { fresh, populate } from './populate.ts';

const count = Number(process.argv[2] ?? 100_000);
// `pg`: a throwaway PostgreSQL started from Debian's packages (scripts/pg-start.sh), as the tests use
let pgUrl = process.argv[3];
if (pgUrl === 'pg') {
  try {
    pgUrl = /GONGKAI_TEST_PG=(\S+)/.exec(execFileSync('bash', [fileURLToPath(new URL('../scripts/pg-start.sh', import.meta.url))], { encoding: 'utf8' }))![1]!;
  } catch (e) {
    console.log(`PostgreSQL: skipped (${(e as Error).message.split('\n')[0]})`);
    process.exit(0);
  }
}
const file = join(tmpdir(), 'gongkai-bench-serve.db');
const store = await fresh(pgUrl, file);
const t0 = performance.now();
const groups = await populate(store, count, { onProgress: (done) => { if (done % 10000 === 0) process.stderr.write(`\rpopulating ${done}/${count}`); } });
process.stderr.write('\n');
console.log(`${count} reports on ${pgUrl ? 'PostgreSQL' : 'SQLite'} (${groups} year × region × level groups; cells and about nine findings a report, as ingest leaves them), populated in ${((performance.now() - t0) / 1000).toFixed(0)} s`);
if (store.engine === 'postgres') {
  // rows lie in the order they were written: an ingest writes a report's cells together, and an
  // export or a report's page reads them from two to five pages, not one page a cell
  const { rows } = await sql<{ pages: number }>`select percentile_disc(0.5) within group (order by pages) as pages
    from (select count(distinct (ctid::text::point)[0]) as pages from cells where report_id in (select id from reports order by id limit 200 offset ${Math.floor(count / 2)}) group by report_id) s`.execute(store.db);
  console.log(`a report's 226 cells lie on ${rows[0]?.pages} of the table's pages (the median of 200 reports)`);
}
const app = await buildApp({ store, assets: new Map() });
const CALLS = [
  '/api/dashboard/cells', '/api/dashboard/rules', '/api/dashboard/regions', '/api/dashboard/publication',
  '/api/reports?sort=year&desc=1', '/api/reports?sort=errors&desc=1',
  '/api/dashboard/cells?year=2023&region=淮安市', '/api/dashboard/rules?year=2023&region=淮安市', '/api/dashboard/regions?level=county', '/api/dashboard/publication?year=2023',
  '/api/reports?rule=t3-balance&sort=published', '/api/dashboard/regions?rule=injected-content', '/api/dashboard/cells?agency=body1',
  '/api/bodies?q=淮安', '/api/coverage?region=淮安市',
  // what a supervisor scoped to a city or a province sees first: every year of the region
  '/api/dashboard/cells?region=淮安市', '/api/dashboard/publication?region=淮安市', '/api/reports?region=淮安市&sort=year&desc=1', '/api/dashboard/cells?region=江苏省',
];
let worst = 0;
for (const url of CALLS) {
  const runs: number[] = [];
  let bytes = 0;
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    const r = await app.inject({ url });
    if (r.statusCode !== 200) throw new Error(`${url}: ${r.statusCode} ${r.body.slice(0, 200)}`);
    if (i > 0) runs.push(performance.now() - t);
    bytes = r.rawPayload.length;
  }
  runs.sort((a, b) => a - b);
  worst = Math.max(worst, runs[2]!);
  console.log(`${decodeURIComponent(url).padEnd(52)} median ${runs[2]!.toFixed(0).padStart(4)} ms  (max ${runs[4]!.toFixed(0)}, ${(bytes / 1024).toFixed(0)} kB)`);
}
console.log(`slowest median: ${worst.toFixed(0)} ms (bar: 200 ms)`);

// `stats --by year,region` on the same store (thousands of regions): the command as a user runs
// it (the built bin), start-up included, its output thrown away
timeStats(pgUrl ?? file, [['text', 3], ['json', 1], ['csv', 1]]);
// `export` of every report of the store, the same way, in every format
timeExport(pgUrl ?? file, count, [['csv', 3], ['json', 1], ['xlsx', 1], ['parquet', 1]]);
await app.close();
await store.close();
