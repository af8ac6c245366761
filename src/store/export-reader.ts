/**
 * An export's reading thread, for a SQLite file: it finds the selection's report ids, then reads
 * a batch (`export-batch.ts`) each time the exporting thread asks for one (it asks for two ahead),
 * on a read-only connection of its own. The exporting thread meanwhile writes the batch before:
 * reading and writing an export each take a core.
 *
 * Messages to it: `more`. From it: `{ rows }`, then `{ done: true }`, or `{ error, code, errcode }`.
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { parentPort, workerData } from 'node:worker_threads';
import { GivenLayouts, readBatch, type BatchSql } from './export-batch.ts';

export interface ReaderData {
  file: string;
  /** The selection's ids, in order: the query and its parameters, bound as node:sqlite takes them. */
  ids: { sql: string; parameters: unknown[] };
  sql: BatchSql;
  batch: number;
}

const { file, ids: idsQuery, sql, batch } = workerData as ReaderData;
const port = parentPort!;
let next = 0;
let ids: number[] = [];
/** The layouts given with a batch so far (each is given once). */
const given = new GivenLayouts();
let db: DatabaseSync | undefined;
const statements = new Map<string, StatementSync>();

async function more(): Promise<void> {
  if (db === undefined) {
    db = new DatabaseSync(file, { readOnly: true, timeout: 5000 });
    ids = (db.prepare(idsQuery.sql).all(...(idsQuery.parameters as never[])) as Array<{ id: number }>).map((r) => r.id);
  }
  if (next >= ids.length) { port.postMessage({ done: true }); return; }
  const part = ids.slice(next, next + batch);
  next += batch;
  const run = (text: string, list: ReadonlyArray<number | string>) => {
    let s = statements.get(text);
    if (s === undefined) { s = db!.prepare(text); statements.set(text, s); }
    return s.all(JSON.stringify(list));
  };
  port.postMessage({ rows: await given.during((fresh) => readBatch(run, sql, part, fresh)) });
}

// one batch at a time, in the order asked
let turn = Promise.resolve();
port.on('message', () => {
  // (the engine's codes go with the message: a locked or unreadable store is told as such)
  turn = turn.then(more).catch((e: unknown) => {
    const { message, code, errcode } = e as { message?: string; code?: unknown; errcode?: unknown };
    port.postMessage({ error: String(message ?? e), code, errcode });
    port.close();
  });
});
