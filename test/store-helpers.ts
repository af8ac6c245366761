/**
 * The engines the storage tests run on: SQLite always; PostgreSQL when GONGKAI_TEST_PG names a
 * server (CI starts one: scripts/pg-start.sh). Each PostgreSQL store is a fresh database; those of
 * test processes that have ended are dropped by the next one to make a database.
 */
import { join } from 'node:path';
import pg from 'pg';
import { Store } from '../src/store/store.ts';
import { SUMMARY_KEYS, SUMMARY_VERSION } from '../src/schema/keys.ts';
import { exportValue, packCells } from '../src/store/cell-values.ts';
import { tempDir } from './tmp.ts';

export interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** A URL for a new, empty store (a temporary SQLite file, or a fresh PostgreSQL database). */
  url(): Promise<string>;
}

const PG = process.env.GONGKAI_TEST_PG;
let n = 0;

/** Whether a process of this machine is running (a test process that made databases). */
function running(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: string }).code === 'EPERM';
  }
}

let swept = false;

async function freshPg(): Promise<string> {
  const db = `gongkai_test_${process.pid}_${n++}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  // the databases of test processes that have ended (each run made some 140, 1.4 GB, and left them)
  if (!swept) {
    swept = true;
    const { rows } = await admin.query<{ datname: string }>(`SELECT datname FROM pg_database WHERE datname ~ '^gongkai_test_[0-9]+_[0-9]+$'`);
    for (const { datname } of rows) if (!running(Number(datname.split('_')[2]))) await admin.query(`DROP DATABASE IF EXISTS ${datname}`);
  }
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(PG!);
  url.pathname = `/${db}`;
  return url.toString();
}

export const ENGINES: Engine[] = [
  { name: 'sqlite', open: () => Store.open(':memory:'), url: async () => join(tempDir('gongkai-store-'), 'g.db') },
  ...(PG ? [{ name: 'postgres' as const, open: async () => Store.open(await freshPg()), url: freshPg }] : []),
];

if (!PG) console.log('# storage tests: PostgreSQL skipped (set GONGKAI_TEST_PG, e.g. eval "$(scripts/pg-start.sh)")');

/**
 * The counts kept at every write agree with the findings themselves: rule_agg with a recount of
 * the current reports' findings by group, rule and severity, and each report's error and
 * warning counts with its findings; each group's summary with its reports' cells; each report's
 * packed cells with its cells.
 */
export async function assertTallied(store: Store): Promise<void> {
  const { sql } = await import('kysely');
  const kept = (await store.db.selectFrom('rule_agg').selectAll().where('findings', '!=', 0).execute())
    .map((r) => `${r.year}|${r.region}|${r.level}|${r.rule_id}|${r.severity}|${r.findings}|${r.reports}`).sort();
  const counted = (await sql<{ y: number; g: string; l: string; rule_id: string; severity: string; n: number; r: number }>`
    select coalesce(r.year, 0) as y, coalesce(r.region, '') as g, coalesce(r.level, '') as l, f.rule_id, f.severity, count(*) as n, count(distinct f.report_id) as r
    from findings f join reports r on r.id = f.report_id where r.current = 1
    group by coalesce(r.year, 0), coalesce(r.region, ''), coalesce(r.level, ''), f.rule_id, f.severity`.execute(store.db)).rows
    .map((r) => `${r.y}|${r.g}|${r.l}|${r.rule_id}|${r.severity}|${r.n}|${r.r}`).sort();
  if (JSON.stringify(kept) !== JSON.stringify(counted)) throw new Error(`rule_agg differs from the findings:\n kept    ${kept.join('\n         ')}\n counted ${counted.join('\n         ')}`);
  const off = (await sql<{ id: number }>`select id from reports where errors <> (select count(*) from findings f where f.report_id = reports.id and f.severity = 'error')
    or warnings <> (select count(*) from findings f where f.report_id = reports.id and f.severity = 'warning')`.execute(store.db)).rows;
  if (off.length) throw new Error(`reports whose error or warning counts differ from their findings: ${off.map((r) => r.id).join(', ')}`);
  // the totals per year and level are the regions' summed
  for (const [top, agg, cols, sums] of [['rule_top', 'rule_agg', 'year, level, rule_id, severity', 'findings, reports'], ['cell_top', 'cell_agg', 'year, level, key', 'total, present']] as const) {
    const [a, b] = sums.split(', ');
    const diff = (await sql.raw<Record<string, unknown>>(`select ${cols} from (select ${cols}, ${a}, ${b} from ${top} where ${a} <> 0 or ${b} <> 0) t full outer join
      (select ${cols}, sum(${a}) as ${a}, sum(${b}) as ${b} from ${agg} group by ${cols} having sum(${a}) <> 0 or sum(${b}) <> 0) g using (${cols})
      where t.${a} is null or g.${a} is null or t.${a} <> g.${a} or t.${b} <> g.${b}`).execute(store.db)).rows;
    if (diff.length) throw new Error(`${top} differs from ${agg} summed: ${JSON.stringify(diff.slice(0, 5))}`);
  }
  // each group's summary holds its current reports' summary cells, summed (a total and a count each)
  const want = new Map<string, number[]>();
  const cells = await store.db.selectFrom('cells').innerJoin('reports', 'reports.id', 'cells.report_id')
    .select(['reports.year', 'reports.region', 'reports.level', 'cells.key', 'cells.num'])
    .where('reports.current', '=', 1).where('reports.year', 'is not', null).where('cells.num', 'is not', null).where('cells.key', 'in', [...SUMMARY_KEYS]).execute();
  for (const c of cells) {
    const g = `${c.year}|${c.region ?? ''}|${c.level ?? ''}`;
    let sums = want.get(g);
    if (!sums) want.set(g, (sums = new Array<number>(2 * SUMMARY_KEYS.length).fill(0)));
    const i = SUMMARY_KEYS.indexOf(c.key);
    sums[2 * i]! += Number(c.num);
    sums[2 * i + 1]!++;
  }
  const groups = await store.db.selectFrom('report_agg').select(['year', 'region', 'level', 'reports', 'summary']).execute();
  for (const r of groups) {
    const g = `${r.year}|${r.region}|${r.level}`;
    const v = JSON.parse(r.summary ?? 'null') as unknown[] | null;
    const expected = [SUMMARY_VERSION, ...(want.get(g) ?? new Array<number>(2 * SUMMARY_KEYS.length).fill(0))];
    if (JSON.stringify(v) !== JSON.stringify(expected)) throw new Error(`report_agg's summary of ${g} differs from its reports' cells:\n kept    ${JSON.stringify(v)}\n counted ${JSON.stringify(expected)}`);
    want.delete(g);
  }
  if (want.size) throw new Error(`groups with reports but no report_agg row: ${[...want.keys()].join(', ')}`);
  await assertPacked(store);
}

/** Each report's packed row (the exports read it, `report_cells`) holds its cells as they are, and every report with cells has one. */
export async function assertPacked(store: Store): Promise<void> {
  const byReport = new Map<number, { keys: string[]; values: Array<string | null> }>();
  for (const c of await store.db.selectFrom('cells').select(['report_id', 'key', 'value', 'status']).orderBy('report_id').execute()) {
    let r = byReport.get(c.report_id);
    if (!r) byReport.set(c.report_id, (r = { keys: [], values: [] }));
    r.keys.push(c.key);
    r.values.push(exportValue(c.value, c.status));
  }
  const packed = await store.db.selectFrom('report_cells').innerJoin('cell_layouts', 'cell_layouts.hash', 'report_cells.layout').select(['report_id', 'layout', 'keys', 'cell_values']).execute();
  for (const p of packed) {
    const r = byReport.get(p.report_id);
    const expected = r ? packCells(r.keys, r.values) : null;
    if (!expected || expected.layout !== p.layout || expected.keys !== p.keys || expected.values !== p.cell_values) {
      throw new Error(`report ${p.report_id}'s packed cells differ from its cells:\n kept    ${p.keys} ${p.cell_values}\n counted ${expected?.keys} ${expected?.values}`);
    }
    byReport.delete(p.report_id);
  }
  if (byReport.size) throw new Error(`reports with cells but no packed row: ${[...byReport.keys()].join(', ')}`);
}
