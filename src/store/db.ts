/**
 * One query layer on two engines: kysely over Node's built-in SQLite (`node:sqlite`, no native
 * addon to compile) by default, and over PostgreSQL (`pg`) for servers. The URL picks:
 * `postgres://…` or `postgresql://…` is PostgreSQL; anything else is a SQLite file path
 * (`sqlite:` prefix optional; `:memory:` for tests).
 */
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { Kysely, PostgresDialect, SqliteDialect, type SqliteDatabase, type SqliteStatement } from 'kysely';
import { createRequire } from 'node:module';
import type pgModule from 'pg';
import { createHash } from 'node:crypto';
import type { DB } from './schema.ts';

export type Engine = 'sqlite' | 'postgres';

export interface Connection {
  db: Kysely<DB>;
  engine: Engine;
  /** Where it is, for messages (a password in a URL is masked). */
  where: string;
  close(): Promise<void>;
  /** PostgreSQL: a connection of its own, outside the pool (for session-level locks). */
  session?: () => Promise<pgModule.Client>;
}

/** A store URL fit for messages: a password in it is masked. */
export const maskUrl = (url: string) => url.replace(/:[^:@/]*@/, ':***@');

export const isPostgres = (url: string) => /^postgres(?:ql)?:\/\//i.test(url);

/** A bound value node:sqlite accepts (it takes no booleans or undefined). */
export const bind = (v: unknown) => (typeof v === 'boolean' ? (v ? 1 : 0) : v === undefined ? null : v);

/**
 * node:sqlite behind the interface kysely's SQLite dialect expects (better-sqlite3's): spread
 * parameters, a `reader` flag, and a statement cache (kysely prepares every query; preparing the
 * same insert a million times is wasted work).
 */
function sqliteAdapter(file: string): SqliteDatabase & { raw: DatabaseSync } {
  const raw = new DatabaseSync(file);
  // the wait first: a second process turning a new file to WAL at the same moment then waits its turn
  raw.exec('PRAGMA busy_timeout = 60000; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA foreign_keys = ON;');
  const cache = new Map<string, SqliteStatement>();
  const wrap = (s: StatementSync): SqliteStatement => ({
    reader: s.columns().length > 0,
    all: (p) => s.all(...(p.map(bind) as never[])),
    run: (p) => { const r = s.run(...(p.map(bind) as never[])); return { changes: r.changes, lastInsertRowid: r.lastInsertRowid }; },
    iterate: (p) => s.iterate(...(p.map(bind) as never[])) as IterableIterator<unknown>,
  });
  const rollback: SqliteStatement = {
    reader: false,
    all: () => [],
    run: () => { if (raw.isTransaction) raw.exec('rollback'); return { changes: 0, lastInsertRowid: 0 }; },
    iterate: () => [][Symbol.iterator](),
  };
  return {
    raw,
    close: () => raw.close(),
    prepare(query) {
      // a write transaction takes the write lock at its start: two processes writing one store
      // then wait for each other (busy_timeout) instead of one failing on upgrading its lock
      const sql = query === 'begin' ? 'begin immediate' : query;
      // after a failed statement SQLite may have rolled back already (a full disk): the rollback
      // then has nothing to do, and must not hide the failure that caused it
      if (sql === 'rollback') return rollback;
      let s = cache.get(sql);
      if (!s) {
        s = wrap(raw.prepare(sql));
        if (cache.size > 500) cache.delete(cache.keys().next().value!);
        cache.set(sql, s);
      }
      return s;
    },
  };
}

type Query = (...args: unknown[]) => unknown;

/**
 * A PostgreSQL connection that prepares each insert once: a named statement (the name is a hash
 * of its text) is parsed and planned on its first run and only bound and run after. An ingest
 * repeats a few insert shapes (a table's columns, so many rows) for every file, and the server
 * spent a tenth of its time parsing and planning them again (3,000 files: 28–32 → 24 s of the
 * server's CPU). Only inserts: a select's plan depends on its values, and a prepared select may
 * settle on a generic plan that is worse for some of them. The shapes are bounded: the store's
 * many-row inserts are one text a table (`unnest`, in store.ts), the corpus rules' findings up to
 * 200 rows a statement. When each table's inserts were up to a hundred shapes (a hundred rows a
 * statement), an ingest's connection grew to 28 MB with them (5 MB without), freed when the pool
 * closes it.
 */
function preparedInserts(client: pgModule.PoolClient): void {
  const query = client.query.bind(client) as Query;
  (client as unknown as { query: Query }).query = (text: unknown, values?: unknown, callback?: unknown) => {
    if (typeof text === 'string' && Array.isArray(values) && /^\s*insert\b/i.test(text)) {
      return query({ name: `i${createHash('sha1').update(text).digest('hex')}`, text, values }, callback);
    }
    return query(text, values, callback);
  };
}

/** Open a store's connection (no migration: see `openStore`). */
export function connect(url: string): Connection {
  if (isPostgres(url)) {
    // pg loads for a PostgreSQL store only: a command on a SQLite file starts without it
    const pg = createRequire(import.meta.url)('pg') as typeof pgModule;
    const pool = new pg.Pool({ connectionString: url, max: 4 });
    // numeric and bigint come back as strings by default; counts and sums are numbers here
    pg.types.setTypeParser(20, (v) => Number(v));
    pg.types.setTypeParser(1700, (v) => Number(v));
    pool.on('connect', preparedInserts);
    const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
    const session = async () => {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      return client;
    };
    return { db, engine: 'postgres', where: maskUrl(url), close: () => db.destroy(), session };
  }
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  const adapter = sqliteAdapter(file);
  const db = new Kysely<DB>({ dialect: new SqliteDialect({ database: adapter }) });
  return { db, engine: 'sqlite', where: file, close: () => db.destroy() };
}
