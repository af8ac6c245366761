/**
 * Versioned migrations, run in order by kysely's Migrator and recorded in its own table. Never
 * edit a released migration: add the next one.
 */
import { sql, type ColumnDefinitionBuilder, type Kysely } from 'kysely';
import type { Migration } from 'kysely/migration';
import type { Engine } from './db.ts';
import type { BodyKind, Level } from '../types.ts';
import { resolveBody } from '../extract/body.ts';
import { packStoredCells } from './cell-values.ts';
import { placement } from './place.ts';
import type { DB } from './schema.ts';
import { SUMMARY_KEYS, SUMMARY_VERSION } from '../schema/keys.ts';

export function migrations(engine: Engine): Record<string, Migration> {
  const pk = engine === 'postgres' ? 'serial' : 'integer';
  const real = engine === 'postgres' ? 'double precision' : 'real';
  return {
    '0001-initial': {
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('documents')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('hash', 'text', (c) => c.notNull().unique())
          .addColumn('format', 'text')
          .addColumn('bytes', 'bigint', (c) => c.notNull())
          .addColumn('ingested_at', 'text', (c) => c.notNull())
          .addColumn('error_code', 'text')
          .addColumn('error', 'text')
          .execute();
        await db.schema.createTable('sources')
          .addColumn('path', 'text', (c) => c.notNull())
          .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
          .addColumn('seen_at', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('sources_pk', ['path', 'document_id'])
          .execute();
        await db.schema.createTable('reports')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('document_id', 'integer', (c) => c.notNull().unique().references('documents.id'))
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('agency', 'text')
          .addColumn('region', 'text')
          .addColumn('level', 'text')
          .addColumn('body_kind', 'text')
          .addColumn('year', 'integer')
          .addColumn('edition', 'text')
          .addColumn('published_on', 'text')
          .addColumn('title', 'text')
          .addColumn('current', 'integer', (c) => c.notNull())
          .addColumn('repetition', real)
          .addColumn('corpus_checked_at', 'text')
          .execute();
        await db.schema.createIndex('reports_unchecked').on('reports').column('corpus_checked_at').execute();
        await db.schema.createIndex('reports_body_year').on('reports').columns(['agency_key', 'year']).execute();
        await db.schema.createIndex('reports_year_region').on('reports').columns(['year', 'region']).execute();
        await db.schema.createTable('cells')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('value', 'text')
          .addColumn('num', real)
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('shown', 'text', (c) => c.notNull())
          .addColumn('position', 'text')
          .addPrimaryKeyConstraint('cells_pk', ['report_id', 'key'])
          // SQLite: the primary key is the table (no second copy of every key in an index)
          .$call((t) => (engine === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
          .execute();
        await db.schema.createTable('sections')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('number', 'integer', (c) => c.notNull())
          .addColumn('title', 'text', (c) => c.notNull())
          .addColumn('text', 'text', (c) => c.notNull())
          .addPrimaryKeyConstraint('sections_pk', ['report_id', 'number'])
          .execute();
        await db.schema.createTable('findings')
          .addColumn('id', pk, (c) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement()))
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('message', 'text', (c) => c.notNull())
          .addColumn('message_en', 'text')
          .addColumn('keys', 'text', (c) => c.notNull())
          .addColumn('position', 'text')
          .addColumn('scope', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('findings_report').on('findings').columns(['report_id', 'scope']).execute();
        await db.schema.createIndex('findings_rule').on('findings').column('rule_id').execute();
        await db.schema.createTable('sketches')
          .addColumn('report_id', 'integer', (c) => c.notNull().references('reports.id'))
          .addColumn('band', 'integer', (c) => c.notNull())
          .addColumn('hash', 'text', (c) => c.notNull())
          .execute();
        // a bucket's members in report order straight from the index (buckets reach thousands)
        await db.schema.createIndex('sketches_bucket').on('sketches').columns(['band', 'hash', 'report_id']).execute();
        await db.schema.createIndex('sketches_report').on('sketches').column('report_id').execute();
        await db.schema.createTable('cell_agg')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('total', real, (c) => c.notNull())
          .addColumn('present', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('cell_agg_pk', ['year', 'region', 'level', 'key'])
          .execute();
        await db.schema.createTable('report_agg')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('reports', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('report_agg_pk', ['year', 'region', 'level'])
          .execute();
      },
    },
    '0002-web': {
      async up(db: Kysely<unknown>) {
        const id = (c: ColumnDefinitionBuilder) => (engine === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement());
        // the bytes a user uploaded through the web app, kept as given (the review page shows them)
        await db.schema.createTable('originals')
          .addColumn('document_id', 'integer', (c) => c.primaryKey().references('documents.id'))
          .addColumn('name', 'text', (c) => c.notNull())
          .addColumn('data', engine === 'postgres' ? 'bytea' : 'blob', (c) => c.notNull())
          .execute();
        // a reviewer's choice for a cell of a document's reading; the reading itself is never changed
        await db.schema.createTable('corrections')
          .addColumn('id', pk, id)
          .addColumn('document_id', 'integer', (c) => c.notNull().references('documents.id'))
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('from_value', 'text')
          .addColumn('to_value', 'text')
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('note', 'text')
          .execute();
        await db.schema.createIndex('corrections_document').on('corrections').columns(['document_id', 'id']).execute();
        // confirm or dismiss a finding; keyed by body, year, rule and cells so it outlives re-reading
        await db.schema.createTable('reviews')
          .addColumn('id', pk, id)
          .addColumn('agency_key', 'text', (c) => c.notNull())
          .addColumn('year', 'integer')
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('keys', 'text', (c) => c.notNull())
          .addColumn('status', 'text', (c) => c.notNull())
          .addColumn('comment', 'text')
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createIndex('reviews_body').on('reviews').columns(['agency_key', 'year', 'id']).execute();
        await db.schema.createTable('users')
          .addColumn('name', 'text', (c) => c.primaryKey())
          .addColumn('password', 'text', (c) => c.notNull())
          .addColumn('role', 'text', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('created_at', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createTable('web_sessions')
          .addColumn('sid', 'text', (c) => c.primaryKey())
          .addColumn('data', 'text', (c) => c.notNull())
          .addColumn('expires', 'bigint', (c) => c.notNull())
          .execute();
        await db.schema.createTable('audit')
          .addColumn('id', pk, id)
          .addColumn('at', 'text', (c) => c.notNull())
          .addColumn('who', 'text', (c) => c.notNull())
          .addColumn('action', 'text', (c) => c.notNull())
          .addColumn('target', 'text')
          .addColumn('detail', 'text')
          .execute();
        // the dashboard's charts read a few dozen cells of every group: straight from an index
        await db.schema.createIndex('cell_agg_key').on('cell_agg').columns(['key', 'year', 'region', 'level', 'total', 'present']).execute();
      },
    },
    '0003-divisions': {
      // every report placed in the gazetteer: its division code, its region as the division's
      // full name, its body key by division (洪泽区 and 淮安市洪泽区 become one body), the reviews
      // and aggregates carried over to the new keys and regions
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('reports').addColumn('division', 'text').execute();
        await db.schema.createIndex('reports_division').on('reports').columns(['division', 'year']).execute();
        await placeAll(db as Kysely<DB>);
      },
    },
    '0004-finding-counts': {
      // counts by rule from an aggregate, and each report's own error and warning counts: with
      // about nine findings a report, counting them per call took a second on 100,000 reports
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('reports').addColumn('errors', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.alterTable('reports').addColumn('warnings', 'integer', (c) => c.notNull().defaultTo(0)).execute();
        await db.schema.createTable('rule_agg')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('region', 'text', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('findings', 'integer', (c) => c.notNull())
          .addColumn('reports', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rule_agg_pk', ['year', 'region', 'level', 'rule_id', 'severity'])
          .execute();
        // the whole store's totals and counts by rule, per year and level (a few rows, not every region's)
        await db.schema.createTable('cell_top')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('key', 'text', (c) => c.notNull())
          .addColumn('total', real, (c) => c.notNull())
          .addColumn('present', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('cell_top_pk', ['year', 'level', 'key'])
          .execute();
        await db.schema.createTable('rule_top')
          .addColumn('year', 'integer', (c) => c.notNull())
          .addColumn('level', 'text', (c) => c.notNull())
          .addColumn('rule_id', 'text', (c) => c.notNull())
          .addColumn('severity', 'text', (c) => c.notNull())
          .addColumn('findings', 'integer', (c) => c.notNull())
          .addColumn('reports', 'integer', (c) => c.notNull())
          .addPrimaryKeyConstraint('rule_top_pk', ['year', 'level', 'rule_id', 'severity'])
          .execute();
        // reports with a rule's findings (the rule filter): from the index alone, not the findings' rows
        await db.schema.createIndex('findings_rule_report').on('findings').columns(['rule_id', 'report_id']).execute();
        await db.schema.dropIndex('findings_rule').execute();
        // publication dates by year and kind (the dashboard's deadline chart): from the index alone
        await db.schema.createIndex('reports_published').on('reports').columns(['current', 'year', 'body_kind', 'published_on']).execute();
        // the report list sorted by errors reads the current reports in that order
        await db.schema.createIndex('reports_errors').on('reports').columns(['current', 'errors', 'id']).execute();
        await db.schema.createIndex('reports_warnings').on('reports').columns(['current', 'warnings', 'id']).execute();
        // SQLite: the regions' totals as a table ordered by its key (year, region, level, key), so
        // that every cell of every group is read in one pass of it, not through an index and back
        if (engine === 'sqlite') {
          await sql`create table cell_agg_new (year integer not null, region text not null, level text not null, key text not null,
            total real not null, present integer not null, primary key (year, region, level, key)) without rowid`.execute(db);
          await sql`insert into cell_agg_new (year, region, level, key, total, present) select year, region, level, key, total, present from cell_agg`.execute(db);
          await sql`drop table cell_agg`.execute(db);
          await sql`alter table cell_agg_new rename to cell_agg`.execute(db);
          await db.schema.createIndex('cell_agg_key').on('cell_agg').columns(['key', 'year', 'region', 'level', 'total', 'present']).execute();
        }
        await countFindings(db as Kysely<DB>);
      },
    },
    '0005-report-summary': {
      // a selection by body (the dashboard's agency filter) summed the cells of every report it
      // matched: a second on 100,000 reports; each report's summary cells are now on its row
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('reports').addColumn('summary', 'text').execute();
        await summarise(db as Kysely<DB>, engine);
      },
    },
    '0006-region-binary': {
      // PostgreSQL: regions compare as SQLite's do, character by character (collation "C"). A
      // region is a path (江苏省淮安市洪泽区) and a selection by region is a prefix of it: under the
      // database's own collation `region LIKE '江苏省淮安市%'` could not be read from an index, and a
      // city's dashboard read every group's totals (370 ms at 20,000 groups). Every table's region
      // changes at once: comparing columns of two collations is an error in PostgreSQL.
      async up(db: Kysely<unknown>) {
        if (engine !== 'postgres') return;
        for (const table of ['reports', 'report_agg', 'cell_agg', 'rule_agg', 'users']) {
          await sql`alter table ${sql.table(table)} alter column region type text collate "C"`.execute(db);
        }
      },
    },
    '0007-group-summary': {
      // `stats --by year,region` read eleven cells of every group from cell_agg, 220,000 entries
      // at 20,000 groups; each group's summary cells are now on its report_agg row. The totals'
      // second copy, ordered by cell (cell_agg_key), was there for those reads: no page reads
      // it now, and keeping it in step was 40 % of an ingest's writing (each new total went
      // into two B-trees, and on PostgreSQL no update of a total could stay on its page)
      async up(db: Kysely<unknown>) {
        await db.schema.alterTable('report_agg').addColumn('summary', 'text').execute();
        await sql.raw(groupSummarySql(engine)).execute(db);
        await db.schema.dropIndex('cell_agg_key').ifExists().execute();
      },
    },
    '0008-report-cells': {
      // an export read each report's 200 cell rows, gathered into arrays by the database: on
      // PostgreSQL that was the server's whole time (30–50 ms a batch of 500, 1 s per 10,000
      // reports). Each report's cells are now also kept packed in one row (cell-values.ts)
      async up(db: Kysely<unknown>) {
        await db.schema.createTable('cell_layouts')
          .addColumn('hash', 'text', (c) => c.primaryKey())
          .addColumn('keys', 'text', (c) => c.notNull())
          .execute();
        await db.schema.createTable('report_cells')
          .addColumn('report_id', 'integer', (c) => c.primaryKey().references('reports.id'))
          .addColumn('layout', 'text', (c) => c.notNull().references('cell_layouts.hash'))
          .addColumn('cell_values', 'text', (c) => c.notNull())
          .execute();
        await packStoredCells(db as Kysely<DB>, engine);
      },
    },
    '0009-sources-by-document': {
      // a document's paths were found by reading every path of the store (its key leads with the
      // path): each batch of an export, and each review page, read all of them
      async up(db: Kysely<unknown>) {
        await db.schema.createIndex('sources_document').on('sources').column('document_id').execute();
      },
    },
    '0010-cells-unchecked': {
      // PostgreSQL checks a foreign key with a trigger for each row inserted: a report's 200 cell
      // rows cost 0.8 ms of the server's time, a sixth of all it did for an ingest (600,000 rows
      // went in in 1.0 s without the key, 3.5 s with it). Nothing needs it: a report's cells are
      // written in the transaction that writes the report, and a report is never deleted. SQLite
      // checks it by one look-up in the reports' key, and keeps it.
      async up(db: Kysely<unknown>) {
        if (engine !== 'postgres') return;
        const keys = await sql<{ name: string }>`select conname as name from pg_constraint where conrelid = 'cells'::regclass and contype = 'f'`.execute(db);
        for (const k of keys.rows) await sql`alter table cells drop constraint ${sql.id(k.name)}`.execute(db);
      },
    },
  };
}

/**
 * The statement that writes the summary of year-region-level groups (`report_agg.summary`) from
 * their totals (cell_agg): of every group, or of those `where` selects (with its parameters, `?`).
 * A JSON array: SUMMARY_VERSION, then for each of SUMMARY_KEYS in order the group's total and the
 * number of its reports with a number in the cell (0 and 0 when none has one).
 */
export function groupSummarySql(engine: Engine, where = ''): string {
  const k = `k(pos, key) as (values ${SUMMARY_KEYS.map((key, i) => `(${i}, '${key}')`).join(', ')})`;
  const joined = `${engine === 'postgres' ? 'string_agg' : 'group_concat'}(coalesce(cast(a.total as text) || ',' || cast(a.present as text), '0,0'), ',' order by k.pos)`;
  return `update report_agg set summary = (with ${k} select '["${SUMMARY_VERSION}",' || ${joined} || ']'
    from k left join cell_agg a on a.year = report_agg.year and a.region = report_agg.region and a.level = report_agg.level and a.key = k.key)${where ? ` where ${where}` : ''}`;
}

/**
 * Write each report's summary (`reports.summary`, as `summaryOf` makes it at ingest) from its
 * stored cells: every report, or those with ids from `ids[0]` to `ids[1]`.
 */
export async function summarise(db: Kysely<DB>, engine: Engine, ids?: [number, number]): Promise<void> {
  const k = sql.raw(`k(pos, key) as (values ${SUMMARY_KEYS.map((key, i) => `(${i}, '${key}')`).join(', ')})`);
  const joined = engine === 'postgres'
    ? sql`string_agg(coalesce(cast(c.num as text), 'null'), ',' order by k.pos)`
    : sql`group_concat(coalesce(cast(c.num as text), 'null'), ',' order by k.pos)`;
  await sql`update reports set summary = (
      with ${k} select '["' || ${SUMMARY_VERSION} || '",' || ${joined} || ']'
      from k left join cells c on c.report_id = reports.id and c.key = k.key and c.num is not null)
    ${ids ? sql`where id between ${ids[0]} and ${ids[1]}` : sql``}`.execute(db);
}

/** Every report's error and warning counts and the rule counts from the findings, and the per-year-and-level totals from the regions' (migration 0004). */
export async function countFindings(db: Kysely<DB>): Promise<void> {
  await sql`update reports set
    errors = (select count(*) from findings f where f.report_id = reports.id and f.severity = 'error'),
    warnings = (select count(*) from findings f where f.report_id = reports.id and f.severity = 'warning')`.execute(db);
  await sql`insert into rule_agg (year, region, level, rule_id, severity, findings, reports)
    select coalesce(r.year, 0), coalesce(r.region, ''), coalesce(r.level, ''), f.rule_id, f.severity, count(*), count(distinct f.report_id)
    from findings f join reports r on r.id = f.report_id where r.current = 1
    group by coalesce(r.year, 0), coalesce(r.region, ''), coalesce(r.level, ''), f.rule_id, f.severity`.execute(db);
  await sql`insert into rule_top (year, level, rule_id, severity, findings, reports)
    select year, level, rule_id, severity, sum(findings), sum(reports) from rule_agg group by year, level, rule_id, severity`.execute(db);
  await sql`insert into cell_top (year, level, key, total, present)
    select year, level, key, sum(total), sum(present) from cell_agg group by year, level, key`.execute(db);
}

/**
 * Place every stored report (migration 0003): read its agency against the gazetteer, with its
 * sections' text as clues, and rewrite its region, division, level, kind and body key; then the
 * reviews follow their bodies' new keys, a body-year left with two current reports keeps the
 * newer, and the aggregates are summed again from the cells.
 */
async function placeAll(db: Kysely<DB>): Promise<void> {
  const reports = await db.selectFrom('reports').select(['id', 'agency', 'region', 'level', 'body_kind', 'agency_key', 'year']).orderBy('id').execute();
  const moved = new Map<string, string>();
  for (const r of reports) {
    if (!r.agency) continue;
    const printed = { agency: r.agency, region: r.region, level: r.level as Level | null, bodyKind: r.body_kind as BodyKind | null };
    // the text is read only for a name that fits several divisions (most need none: a large store migrates in seconds)
    const text = resolveBody(r.agency).divisionCandidates.length > 1
      ? (await db.selectFrom('sections').select('text').where('report_id', '=', r.id).orderBy('number').execute()).map((s) => s.text).join('\n')
      : '';
    const p = placement(printed, text);
    if (r.agency_key !== p.key) moved.set(`${r.agency_key}\u0000${r.year}`, p.key);
    await db.updateTable('reports').set({ region: p.region, division: p.division, level: p.level, body_kind: p.bodyKind, agency_key: p.key }).where('id', '=', r.id).execute();
  }
  for (const [from, to] of moved) {
    const [key, year] = from.split('\u0000') as [string, string];
    await db.updateTable('reviews').set({ agency_key: to }).where('agency_key', '=', key).where('year', year === 'null' ? 'is' : '=', year === 'null' ? null : Number(year)).execute();
  }
  // two versions of one body-year, once under two keys: the newer stays current
  const current = await db.selectFrom('reports').select(['id', 'agency_key', 'year']).where('current', '=', 1).where('year', 'is not', null).orderBy('id', 'desc').execute();
  const seen = new Set<string>();
  for (const r of current) {
    const k = `${r.agency_key}\u0000${r.year}`;
    if (seen.has(k)) await db.updateTable('reports').set({ current: 0 }).where('id', '=', r.id).execute();
    seen.add(k);
  }
  await db.deleteFrom('cell_agg').execute();
  await db.deleteFrom('report_agg').execute();
  await sql`insert into report_agg (year, region, level, reports)
    select year, coalesce(region, ''), coalesce(level, ''), count(*) from reports where current = 1 and year is not null
    group by year, coalesce(region, ''), coalesce(level, '')`.execute(db);
  await sql`insert into cell_agg (year, region, level, key, total, present)
    select r.year, coalesce(r.region, ''), coalesce(r.level, ''), c.key, sum(c.num), count(*) from cells c join reports r on r.id = c.report_id
    where r.current = 1 and r.year is not null and c.num is not null group by r.year, coalesce(r.region, ''), coalesce(r.level, ''), c.key`.execute(db);
}
