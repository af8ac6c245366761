/**
 * An export's reading: a batch of reports (given by id) and what they bring, asked for in five
 * fixed queries. The same queries run in the exporting thread (PostgreSQL, and a SQLite store in
 * memory) and, for a SQLite file, in a thread of their own (`export-reader.ts`) while the exporting
 * thread writes the batch before. Kept apart from `export.ts` so that the reading thread loads
 * nothing else.
 */
import type { Engine } from './db.ts';

/** A batch's rows as the database gives them. */
export interface BatchRows {
  reports: Array<{
    id: number; document_id: number; agency: string | null; region: string | null; level: string | null; body_kind: string | null;
    year: number | null; edition: string | null; published_on: string | null; repetition: number | null;
  }>;
  formats: Array<{ id: number; format: string }>;
  /** A report's keys and values as JSON arrays, or (`cellsText`) its keys and its cells' JSON object as UTF-8 bytes. */
  cells: Array<{ report_id: number; keys: string; values: string | Uint8Array }>;
  /** A report's error and warning counts, its rule ids in the order found, and (`findings`) its findings' JSON array. */
  findings: Array<{ report_id: number; errors: number | string; warnings: number | string; rules: string; list: string | Uint8Array }>;
  /** Where each document was seen, first sighting first. */
  paths: Array<{ document_id: number; path: string }>;
}

export interface BatchOptions {
  /** The findings themselves, as a JSON array's text (else `[]`). */
  findings: boolean;
  /** SQLite: the cells as their JSON object's bytes, and the findings as bytes (the JSON export). */
  cellsText: boolean;
}

export type BatchSql = Record<keyof BatchRows, string>;

/**
 * The five queries, each taking one parameter: the ids (SQLite: as a JSON array's text, read by
 * `json_each`; PostgreSQL: an int array).
 */
export function batchSql(engine: Engine, opts: BatchOptions): BatchSql {
  const postgres = engine === 'postgres';
  const ids = postgres ? '= any($1::int4[])' : 'in (select value from json_each(?))';
  const value = `case when status = 'ambiguous' then '?' else value end`;
  // a report's keys and values as two JSON arrays, made by the database: a row object a cell cost
  // more than everything else an export does. The two (or the keys and the JSON export's object
  // on SQLite) take the rows in the same order, whatever it is: the layout puts it in code point
  // order, or sees that it is (an order by in the aggregate made PostgreSQL sort every report's
  // cells, and doubled SQLite's time). Not the object on PostgreSQL: its server is the export's
  // bottleneck there, and making each cell's JSON text cost it more than the client saved
  const cells = postgres
    ? `json_agg(key)::text as keys, json_agg(${value})::text as "values"`
    : `json_group_array(key) as keys, ${opts.cellsText ? `cast(json_group_object(key, ${value}) as blob)` : `json_group_array(${value})`} as "values"`;
  // counts and rule ids summed by the database; the findings, when asked for, as the text
  // JSON.stringify gives, in the order they were found (PostgreSQL's own JSON text puts spaces
  // around its colons: there it is put together from each field's JSON)
  const [errors, warnings, rules] = postgres
    ? [`count(*) filter (where severity = 'error')`, `count(*) filter (where severity = 'warning')`, `string_agg(rule_id, ',' order by id)`]
    : [`sum(severity = 'error')`, `sum(severity = 'warning')`, `group_concat(rule_id, ',' order by id)`];
  const object = `json_object('rule', rule_id, 'severity', severity, 'message', message, 'keys', json(keys))`;
  const list = !opts.findings
    ? `'[]'`
    : postgres
      ? `'[' || string_agg('{"rule":' || to_json(rule_id)::text || ',"severity":' || to_json(severity)::text || ',"message":' || to_json(message)::text || ',"keys":' || keys || '}', ',' order by id) || ']'`
      : opts.cellsText ? `cast(json_group_array(${object} order by id) as blob)` : `json_group_array(${object} order by id)`;
  return {
    reports: `select id, document_id, agency, region, level, body_kind, year, edition, published_on, repetition from reports where id ${ids} and current = 1 order by id`,
    formats: `select id, format from documents where id ${ids}`,
    // PostgreSQL: each report's cells from the primary key's index, one report after another, so
    // that they come in the index's order, the same for every report of a layout. Grouped by
    // report_id over the whole batch, the server hashed 100,000 rows into a table larger than its
    // work_mem and spilled it, each spilled report's cells coming back in another order: 1,500
    // layouts for 43, each parsed and indexed anew by the client, and a third more of the server's time
    cells: postgres
      ? `select u.id as report_id, c.keys, c."values" from unnest($1::int4[]) as u(id) cross join lateral (select ${cells} from cells where report_id = u.id) as c where c.keys is not null`
      : `select report_id, ${cells} from cells where report_id ${ids} group by report_id`,
    findings: `select report_id, ${errors} as errors, ${warnings} as warnings, ${rules} as rules, ${list} as list from findings where report_id ${ids} group by report_id`,
    paths: `select document_id, path from sources where document_id ${ids} order by seen_at`,
  };
}

/** Rows of a query given its one parameter. */
export type Run = (text: string, ids: readonly number[]) => Promise<unknown[]> | unknown[];

/** A batch's reports (those of `ids` still current) and what they bring. */
export async function readBatch(run: Run, q: BatchSql, ids: readonly number[]): Promise<BatchRows> {
  const reports = (await run(q.reports, ids)) as BatchRows['reports'];
  const docs = reports.map((r) => r.document_id);
  return {
    reports,
    formats: (await run(q.formats, docs)) as BatchRows['formats'],
    cells: (await run(q.cells, ids)) as BatchRows['cells'],
    findings: (await run(q.findings, ids)) as BatchRows['findings'],
    paths: (await run(q.paths, docs)) as BatchRows['paths'],
  };
}
