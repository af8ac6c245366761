/**
 * An export's reading: a batch of reports (given by id) and what they bring, asked for in six
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
  /** A report's cells packed (`cell-values.ts`): its layout's hash and its values as a JSON array in the layout's order. */
  cells: Array<{ report_id: number; layout: string; cell_values: string }>;
  /** The keys (a JSON array) of the batch's layouts that no batch before it gave. */
  layouts: Array<{ hash: string; keys: string }>;
  /** A report's error and warning counts, its rule ids in the order found, and (`findings`) its findings' JSON array. */
  findings: Array<{ report_id: number; errors: number | string; warnings: number | string; rules: string; list: string | Uint8Array }>;
  /** Where each document was seen, first sighting first. */
  paths: Array<{ document_id: number; path: string }>;
}

export interface BatchOptions {
  /** The findings themselves, as a JSON array's text (else `[]`). */
  findings: boolean;
  /** SQLite: the findings as UTF-8 bytes (the JSON export writes them as they are). */
  bytes: boolean;
}

export type BatchSql = Record<keyof BatchRows, string>;

/**
 * The six queries, each taking one parameter: the ids (SQLite: as a JSON array's text, read by
 * `json_each`; PostgreSQL: an int array), or for the layouts their hashes.
 */
export function batchSql(engine: Engine, opts: BatchOptions): BatchSql {
  const postgres = engine === 'postgres';
  const ids = postgres ? '= any($1::int4[])' : 'in (select value from json_each(?))';
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
      : opts.bytes ? `cast(json_group_array(${object} order by id) as blob)` : `json_group_array(${object} order by id)`;
  return {
    reports: `select id, document_id, agency, region, level, body_kind, year, edition, published_on, repetition from reports where id ${ids} and current = 1 order by id`,
    formats: `select id, format from documents where id ${ids}`,
    // a report's cells in one packed row, not its 200 rows gathered by the database
    cells: `select report_id, layout, cell_values from report_cells where report_id ${ids}`,
    layouts: `select hash, keys from cell_layouts where hash ${postgres ? '= any($1::text[])' : ids}`,
    findings: `select report_id, ${errors} as errors, ${warnings} as warnings, ${rules} as rules, ${list} as list from findings where report_id ${ids} group by report_id`,
    paths: `select document_id, path from sources where document_id ${ids} order by seen_at`,
  };
}

/** Rows of a query given its one parameter. */
export type Run = (text: string, ids: ReadonlyArray<number | string>) => Promise<unknown[]> | unknown[];

/**
 * The layouts an export has given, each with the first batch (in the export's order) that has
 * it. Two batches may be read at once (PostgreSQL): each takes its turn when it starts, and
 * settles which of its layouts are new only after the batch before it has.
 */
export class GivenLayouts {
  private readonly given = new Set<string>();
  private turn: Promise<void> = Promise.resolve();

  /**
   * Read a batch in its turn: the turn is taken now, when the batch is asked for, in the export's
   * order (not when its reading starts: on PostgreSQL a later batch's transaction may begin
   * first). `read` is given the function that settles the batch's new layouts, once the batch
   * before has settled its own; a reading that fails gives its turn up.
   */
  async during<T>(read: (fresh: Fresh) => Promise<T>): Promise<T> {
    const before = this.turn;
    let done!: () => void;
    this.turn = new Promise((resolve) => { done = resolve; });
    try {
      return await read(async (hashes) => {
        await before;
        const fresh = [...new Set(hashes)].filter((h) => !this.given.has(h));
        for (const h of fresh) this.given.add(h);
        done();
        return fresh;
      });
    } finally {
      // (a reading that failed, or never asked: its turn ends when the one before it has)
      void before.then(done);
    }
  }
}

/** Of a batch's layouts, those no batch before it gave (see `GivenLayouts.during`). */
export type Fresh = (hashes: Iterable<string>) => Promise<string[]>;

/** A batch's reports (those of `ids` still current) and what they bring, with the layouts `fresh` says are new. */
export async function readBatch(run: Run, q: BatchSql, ids: readonly number[], fresh: Fresh): Promise<BatchRows> {
  const reports = (await run(q.reports, ids)) as BatchRows['reports'];
  const docs = reports.map((r) => r.document_id);
  const cells = (await run(q.cells, ids)) as BatchRows['cells'];
  const hashes = await fresh(cells.map((c) => c.layout));
  return {
    reports,
    formats: (await run(q.formats, docs)) as BatchRows['formats'],
    cells,
    layouts: hashes.length === 0 ? [] : (await run(q.layouts, hashes)) as BatchRows['layouts'],
    findings: (await run(q.findings, ids)) as BatchRows['findings'],
    paths: (await run(q.paths, docs)) as BatchRows['paths'],
  };
}
