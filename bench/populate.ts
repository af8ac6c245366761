/**
 * A large store without reading files, filled as a real ingest fills it: the rows an ingest of
 * `count` current reports leaves in documents (each with its path), reports, findings (about nine a report, the
 * density an ingest of the synthetic corpus leaves, in its mix of rules), report_agg (with its
 * groups' summaries) and cell_agg,
 * and — unless `cells: false` — every report's cells with their positions (226 a report) and
 * packed (report_cells). Bodies
 * stand in every province, city and county of the gazetteer (region = the division's full name,
 * as ingest stores it), years 2019–2024, publication dates around the deadlines; `ANALYZE` at the
 * end, as ingest runs it.
 */
import { rmSync } from 'node:fs';
import pg from 'pg';
import { sql, type Insertable, type Kysely } from 'kysely';
import type { DB } from '../src/store/schema.ts';
import { Store } from '../src/store/store.ts';
import { EXPORT_KEYS } from '../src/store/export.ts';
import { countFindings, groupSummarySql, summarise } from '../src/store/migrations.ts';
import { gazetteer } from '../src/schema/divisions.ts';
import { packStoredCells } from '../src/store/cell-values.ts';

/** Rules in the proportions an ingest of the synthetic corpus leaves them (most are the reading's). */
const RULES: Array<[string, string, number]> = [
  ['ambiguous-cell', 'warning', 30], ['missing-cell', 'warning', 20], ['label-variant', 'info', 12], ['late-publication', 'warning', 6],
  ['template-leftover', 'warning', 5], ['t3-column-total', 'error', 4], ['t3-results-total', 'error', 3], ['t3-balance', 'error', 3],
  ['t4-total', 'error', 3], ['non-government-link', 'warning', 3], ['section-order', 'info', 3], ['missing-section', 'warning', 2],
  ['division-variant', 'info', 2], ['unresolved-body', 'info', 1], ['edition-year', 'error', 1], ['injected-content', 'error', 1],
  ['duplicate-text', 'warning', 1],
];
const RULE_WHEEL = RULES.flatMap(([rule, severity, n]) => Array.from({ length: n }, () => [rule, severity] as const));

export interface PopulateOptions {
  /** Write every report's cells (default true): the agency-filtered statistics and exports read them. */
  cells?: boolean;
  onProgress?: (done: number) => void;
}

/** Where bodies stand: every province, city and county (development zones included), by full name. */
function places(): Array<{ region: string; division: string; level: string }> {
  const g = gazetteer();
  const out: Array<{ region: string; division: string; level: string }> = [];
  for (const p of g.provinces()) {
    out.push({ region: g.fullName(p), division: p.code, level: 'province' });
    for (const level of ['city', 'county'] as const) for (const d of g.under(p.code, level)) out.push({ region: g.fullName(d), division: d.code, level });
  }
  return out;
}

export async function populate(store: Store, count: number, opts: PopulateOptions = {}): Promise<number> {
  const regions = places();
  const years = [2019, 2020, 2021, 2022, 2023, 2024];
  const withCells = opts.cells !== false;
  let r = 1;
  const BATCH = 5000;
  for (let done = 0; done < count; done += BATCH) {
    const reports: Array<Insertable<DB['reports']>> = [];
    for (let k = 0; k < BATCH && done + k < count; k++, r++) {
      const place = regions[r % regions.length]!;
      const year = years[Math.floor(r / regions.length) % years.length]!;
      const government = r % 5 === 0;
      // most publish in the weeks before the deadline, some after it
      const day = (r * 7919) % 120;
      const published = new Date(Date.UTC(year + 1, 0, 1 + day)).toISOString().slice(0, 10);
      const body = Math.floor(r / (regions.length * years.length));
      reports.push({
        document_id: r, agency_key: `${place.division}|${government ? 'government' : 'department'}|body${body}`, agency: `${place.region}body${r % 97}`,
        region: place.region, division: place.division, level: place.level, body_kind: government ? 'government' : 'department', year,
        edition: year >= 2021 ? '2021' : '2019', published_on: r % 11 === 0 ? null : published, title: null, current: 1, repetition: null, corpus_checked_at: 'x',
      });
    }
    await store.db.transaction().execute(async (tx) => {
      for (let i = 0; i < reports.length; i += 1000) {
        const some = reports.slice(i, i + 1000);
        await tx.insertInto('documents').values(some.map((x) => ({ hash: `h${x.document_id}`, format: 'text', bytes: 1, ingested_at: 'x', error_code: null, error: null }))).execute();
        await tx.insertInto('sources').values(some.map((x) => ({ path: `corpus/${x.region}/${x.document_id}.txt`, document_id: x.document_id as number, seen_at: 'x' }))).execute();
        await tx.insertInto('reports').values(some).execute();
      }
      await generateRows(tx, done + 1, done + reports.length, withCells);
      if (withCells) {
        await summarise(tx, store.engine, [done + 1, done + reports.length]);
        await packStoredCells(tx, store.engine, [done + 1, done + reports.length]);
      }
    });
    opts.onProgress?.(Math.min(count, done + BATCH));
  }
  // the aggregates as ingest keeps them: per year, region and level, the reports and each cell's total and count
  await sql`insert into report_agg (year, region, level, reports) select year, region, level, count(*) from reports group by year, region, level`.execute(store.db);
  await sql`with ${KEYS_CTE()}
    insert into cell_agg (year, region, level, key, total, present)
    select r.year, r.region, r.level, k.key,
      sum(case when (r.id + k.c) % 7 <> 0 then (r.id * 31 + k.c) % 13 else 0 end), sum(case when (r.id + k.c) % 7 <> 0 then 1 else 0 end)
    from reports r cross join k group by r.year, r.region, r.level, k.key`.execute(store.db);
  await sql.raw(groupSummarySql(store.engine)).execute(store.db);
  await sql`analyze`.execute(store.db);
  // each report's error and warning counts, and the counts by rule, as the migration that made them counts them
  await countFindings(store.db);
  // PostgreSQL: the state autovacuum leaves a store in soon after an ingest (it vacuums a table
  // after its inserts and updates): dead rows gone, pages marked all-visible (without which an
  // index-only scan reads the table too), statistics taken again
  if (store.engine === 'postgres') await sql`vacuum analyze`.execute(store.db);
  const groups = await sql<{ n: number }>`select count(*) as n from report_agg`.execute(store.db);
  return Number(groups.rows[0]!.n);
}

const KEYS_CTE = () => sql.raw(`k(c, key) as (values ${EXPORT_KEYS.map((k, c) => `(${c}, '${k}')`).join(', ')})`);
const WHEEL_CTE = () => sql.raw(`w(i, rule, severity) as (values ${RULE_WHEEL.map(([rule, severity], i) => `(${i}, '${rule}', '${severity}')`).join(', ')})`);

/**
 * The findings and cells of reports `from`..`to`, made by the database itself (an insert of
 * millions of rows through the driver would take most of the benchmark's time): 0 to 18
 * findings a report (nine on average) in RULES' proportions, and 226 cells with positions.
 * Written report by report, as ingest writes them (each report's rows together, in its
 * transaction): PostgreSQL keeps rows in the order they were inserted, and the cross join
 * otherwise made them key by key, each report's 226 cells on 226 pages, where an ingested
 * report's are on two to five.
 */
async function generateRows(tx: Kysely<DB>, from: number, to: number, withCells: boolean): Promise<void> {
  await sql`with ${KEYS_CTE()}, ${WHEEL_CTE()}, j(j) as (values ${sql.raw(Array.from({ length: 19 }, (_, j) => `(${j})`).join(', '))})
    insert into findings (report_id, rule_id, severity, message, message_en, keys, position, scope)
    select r.id, w.rule, w.severity, '“' || cast(r.id % 1000 as text) || '”无法确定地拆分到 2 个格子：' || k.key || ': ' || cast(j.j as text) || ' | 空白', null,
      '["' || k.key || '"]', '{"offset":' || cast(1000 + j.j * 40 as text) || ',"length":4,"line":' || cast(40 + j.j as text) || ',"column":12}',
      case when w.rule = 'duplicate-text' then 'corpus' else 'report' end
    from reports r cross join j join w on w.i = (r.id * 13 + j.j * 31) % ${sql.raw(String(RULE_WHEEL.length))}
      join k on k.c = (r.id + j.j * 17) % ${sql.raw(String(EXPORT_KEYS.length))}
    where r.id between ${from} and ${to} and j.j < (r.id * 7) % 19
    order by r.id, j.j`.execute(tx);
  if (!withCells) return;
  await sql`with ${KEYS_CTE()}
    insert into cells (report_id, key, value, num, status, shown, position)
    select r.id, k.key,
      case when (r.id + k.c) % 7 <> 0 then cast((r.id * 31 + k.c) % 13 as text) end,
      case when (r.id + k.c) % 7 <> 0 then (r.id * 31 + k.c) % 13 end,
      'read',
      case when (r.id + k.c) % 7 = 0 then 'blank' when (r.id * 31 + k.c) % 13 = 0 then 'zero' else 'number' end,
      '{"offset":' || cast(2000 + k.c * 6 as text) || ',"length":2,"line":' || cast(60 + k.c / 8 as text) || ',"column":' || cast(1 + (k.c % 8) * 6 as text) || '}'
    from reports r cross join k
    where r.id between ${from} and ${to}
    order by r.id, k.key`.execute(tx);
}

/** An empty store: the SQLite file removed, or every table of the PostgreSQL database dropped (migrations included). */
export async function fresh(url: string | undefined, file: string): Promise<Store> {
  if (!url) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    return Store.open(file);
  }
  // dropped before the store is opened: opening migrates, and a half-made earlier store must not stop it
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    for (const t of ['audit', 'web_sessions', 'users', 'reviews', 'corrections', 'originals', 'sketches', 'findings', 'sections', 'report_cells', 'cell_layouts', 'cells', 'cell_agg', 'report_agg', 'rule_agg', 'cell_top', 'rule_top', 'reports', 'sources', 'documents', 'kysely_migration', 'kysely_migration_lock']) {
      await client.query(`drop table if exists ${t} cascade`);
    }
  } finally {
    await client.end();
  }
  return Store.open(url);
}
