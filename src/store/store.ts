/**
 * The corpus store: documents (content-addressed), the reports read from them, their cells,
 * sections and findings, and aggregates kept in step. Every file is written whole in one
 * transaction (an ingest's with a few others), so an interrupted ingest leaves whole files or nothing.
 */
import { CompiledQuery, sql, type Insertable, type Kysely, type Transaction } from 'kysely';
import { Migrator, type Migration, type MigrationResult } from 'kysely/migration';
import type { Finding } from '../check/types.ts';
import { bodyKey, regionOf } from '../extract/body.ts';
import { cellList, type Cell, type Position, type Report } from '../types.ts';
import { SUMMARY_KEYS, SUMMARY_VERSION } from '../schema/keys.ts';
import { existsSync } from 'node:fs';
import { Worker } from 'node:worker_threads';
import { exportValue, insertLayouts, packCells, type PackedCells } from './cell-values.ts';
import { connect, isPostgres, maskUrl, type Connection, type Engine } from './db.ts';
import { missingStore, storeError, TRANSIENT_CODES } from './errors.ts';
import { groupSummarySql, migrations } from './migrations.ts';
import type { Placement } from './place.ts';
import type { DB } from './schema.ts';

/** The body a report belongs to, across years (`bodyKey`), or its document's when it names none. */
export function agencyKey(report: Pick<Report, 'meta'>, fallback: string): string {
  return bodyKey(report.meta) ?? `doc:${fallback}`;
}

/**
 * A source position as stored: `[offset, length, line, column]`, then the origin in the original
 * file when there is one (a million reports hold a hundred million positions: names cost space).
 */
export function encodePosition(p: Position): string {
  const a: unknown[] = [p.offset, p.length, p.line, p.column];
  if (p.origin) a.push(p.origin);
  return JSON.stringify(a);
}

export function decodePosition(s: string): Position {
  return positionOf(JSON.parse(s) as unknown[]);
}

function positionOf(a: unknown[]): Position {
  const [offset, length, line, column, origin] = a as [number, number, number, number, Position['origin']?];
  return { offset, length, line, column, ...(origin ? { origin, ...(origin.page !== undefined ? { page: origin.page } : {}) } : {}) };
}

/**
 * Where a finding points: one position, or — for a finding that groups one defect's places (a
 * spam phrase planted four times, an identity broken in three columns) — the first position of
 * each place, as a JSON array of encoded positions. A single position reads back as before.
 */
export function encodeFindingPositions(f: Pick<Finding, 'positions' | 'instances'>): string | null {
  const places = f.instances ? f.instances.map((p) => p.positions[0]).filter((p): p is Position => p !== undefined) : f.positions.slice(0, 1);
  if (places.length === 0) return null;
  return places.length === 1 ? encodePosition(places[0]!) : `[${places.map(encodePosition).join(',')}]`;
}

export function decodeFindingPositions(s: string): Position[] {
  const a = JSON.parse(s) as unknown[];
  return Array.isArray(a[0]) ? (a as unknown[][]).map(positionOf) : [positionOf(a)];
}

/** What one ingested file brings: its bytes' identity, and a report or the reason there is none. */
export interface DocumentInput {
  path: string;
  hash: string;
  bytes: number;
  format: string | null;
  report?: Report;
  findings?: Finding[];
  /** MinHash band keys of the narrative (see corpus/sketch.ts). */
  bands?: string[];
  error?: { code: string; message: string };
  /** The bytes as the user gave them (web uploads): kept, so the review page can show them. */
  original?: { name: string; data: Uint8Array };
}

/** new: bytes never seen; seen: these bytes from this path already; new-path: known bytes, another path. */
export interface WriteResult { status: 'new' | 'seen' | 'new-path'; reportId?: number }

const CHUNK = 100;
const now = () => new Date().toISOString();

interface ClaimSession { query(sql: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }>; end(): Promise<void> }

const CHECKPOINTER = new URL(import.meta.url.endsWith('.ts') ? './checkpointer.ts' : './checkpointer.js', import.meta.url);

/** Has every migration run? (kysely's own table; false when there is none yet, or on any doubt.) */
async function upToDate(db: Kysely<DB>, names: string[], where: string): Promise<boolean> {
  let done: Set<string>;
  try {
    const rows = await (db as unknown as Kysely<{ kysely_migration: { name: string } }>).selectFrom('kysely_migration').select('name').execute();
    done = new Set(rows.map((r) => r.name));
  } catch {
    return false;
  }
  // a store an upgraded gongkai has migrated is not for an older one: its code does not know the
  // new tables, and would write rows the newer code reads wrong
  const known = new Set(names);
  const newer = [...done].filter((n) => !known.has(n)).sort();
  if (newer.length) throw new NewerStore(`the store at ${where} was written by a newer gongkai (schema ${newer.join(', ')}); run that version or a later one`);
  return names.every((n) => done.has(n));
}

/**
 * Run the migrations. Two processes opening a new (or older) SQLite store at once — an ingest
 * and a command that reads, two ingests — would both migrate: kysely takes no migration lock on
 * SQLite. The one that finds the other's tables, or the file locked, waits for the other to
 * finish and then finds the store up to date (for at most a minute).
 */
async function migrate(conn: Connection, all: Record<string, Migration>): Promise<{ error?: unknown; results?: MigrationResult[] }> {
  const names = Object.keys(all);
  const until = Date.now() + 60_000;
  for (;;) {
    const got = await new Migrator({ db: conn.db, provider: { getMigrations: async () => all } }).migrateToLatest();
    if (!got.error || conn.engine !== 'sqlite') return got;
    if (await upToDate(conn.db, names, conn.where).catch(() => false)) return {};
    const raced = /already exists|duplicate column|database is locked|SQLITE_BUSY/i.test(String((got.error as Error).message)) || storeError(got.error, conn.where)?.code === 'busy';
    if (!raced || Date.now() > until) return got;
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** The store's schema is newer than this code's. */
export class NewerStore extends Error {}

/** The SQLite file a store URL names, or null (PostgreSQL, or in memory). */
function sqliteFile(url: string): string | null {
  if (isPostgres(url)) return null;
  const file = url.replace(/^sqlite:(\/\/)?/, '');
  return file === ':memory:' || file === '' ? null : file;
}

export class Store {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  readonly where: string;
  private readonly conn: Connection;

  /** SQLite file stores: a second connection, for the lookups an ingest makes while it writes. */
  private readonly lookupFile: string | null;
  private lookupConn: Connection | undefined;

  /** The SQLite file, or null (PostgreSQL, or SQLite in memory). */
  get file(): string | null {
    return this.lookupFile;
  }

  private constructor(conn: Connection, file: string | null) {
    this.conn = conn;
    this.lookupFile = file;
    this.db = conn.db;
    this.engine = conn.engine;
    this.where = conn.where;
  }

  /**
   * Open (upgrading as needed) the store at `url`; with `create: false` a SQLite file that is
   * not there is an error rather than a new empty store (the commands that only read).
   */
  static async open(url: string, opts: { create?: boolean } = {}): Promise<Store> {
    const file = sqliteFile(url);
    if (opts.create === false && file !== null && !existsSync(file)) throw missingStore(file);
    let conn: Connection;
    try {
      conn = connect(url);
    } catch (e) {
      throw storeError(e, file ?? maskUrl(url)) ?? e;
    }
    const all = migrations(conn.engine);
    // a store that is up to date is opened without the migrator, which takes the write lock:
    // a command that reads (or a second ingest) then does not wait on a running ingest
    let current: boolean;
    try {
      current = await upToDate(conn.db, Object.keys(all), conn.where);
    } catch (e) {
      await conn.close().catch(() => undefined);
      throw e;
    }
    if (!current) {
      const { error, results } = await migrate(conn, all);
      if (error) {
        await conn.close().catch(() => undefined);
        const env = storeError(error, conn.where);
        if (env) throw env;
        const failed = results?.find((r) => r.status === 'Error')?.migrationName;
        throw new Error(`cannot prepare the store at ${conn.where}${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`);
      }
    }
    return new Store(conn, file);
  }

  /**
   * SQLite: a consistent copy of the store in `file` (which must not exist), taken in one read
   * transaction while other processes go on reading and writing (`VACUUM INTO`: compacted, no
   * WAL to carry). PostgreSQL backs up with its own tools (pg_dump).
   */
  async backup(file: string): Promise<void> {
    if (this.engine !== 'sqlite') throw new Error('a PostgreSQL store is backed up with pg_dump');
    try {
      await sql`vacuum into ${file}`.execute(this.db);
    } catch (e) {
      throw storeError(e, file) ?? e;
    }
  }

  /** What the store holds (reports, and what people made by hand) and whether SQLite finds it whole: a backup's receipt. */
  async contents(): Promise<{ reports: number; corrections: number; reviews: number; users: number; integrity: string }> {
    const n = async (table: 'reports' | 'corrections' | 'reviews' | 'users') =>
      Number((await this.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);
    const integrity = this.engine === 'sqlite'
      ? (await sql<{ integrity_check: string }>`pragma integrity_check`.execute(this.db)).rows.map((r) => r.integrity_check).join('; ')
      : 'ok';
    return { reports: await n('reports'), corrections: await n('corrections'), reviews: await n('reviews'), users: await n('users'), integrity };
  }

  close(): Promise<void> {
    const claims = this.claims;
    this.claims = undefined;
    const lookup = this.lookupConn;
    this.lookupConn = undefined;
    return Promise.all([claims?.then((c) => c.end()).catch(() => undefined), lookup?.close().catch(() => undefined), this.conn.close()]).then(() => undefined);
  }

  /** PostgreSQL: one session that holds this process's claims on files (advisory locks). */
  private claims: Promise<ClaimSession> | undefined;

  /**
   * Claim a file (by its hash) for reading, so that another process ingesting into the same
   * PostgreSQL store leaves it alone meanwhile. The claim is a session advisory lock: a process
   * that dies (kill -9) loses its session, and with it its claims, so no file stays claimed by
   * nobody. False when another process holds it. SQLite: one writer at a time, always true.
   */
  async claim(hash: string): Promise<boolean> {
    if (this.engine !== 'postgres') return true;
    this.claims ??= this.conn.session!();
    const r = await this.onSession('select pg_try_advisory_lock(hashtextextended($1, 0)) as ok', [`claim:${hash}`]);
    return r.rows[0]?.ok === true;
  }

  async release(hash: string): Promise<void> {
    if (this.engine !== 'postgres' || !this.claims) return;
    await this.onSession('select pg_advisory_unlock(hashtextextended($1, 0))', [`claim:${hash}`]);
  }

  /** The claims' session takes one query at a time (an ingest's lanes claim and release at once). */
  private sessionTurn: Promise<unknown> = Promise.resolve();
  private onSession(text: string, params: unknown[]): Promise<{ rows: Array<Record<string, unknown>> }> {
    const claims = this.claims!;
    const run = this.sessionTurn.catch(() => undefined).then(async () => (await claims).query(text, params));
    this.sessionTurn = run;
    return run;
  }

  /**
   * What the store has of these bytes: `seen` from this very path (ingesting them again is a
   * no-op), `known` from another path only, or `new`. One query.
   */
  async lookup(path: string, hash: string): Promise<'seen' | 'known' | 'new'> {
    // on SQLite, through a connection of its own: an ingest's lookups do not wait for its
    // write transaction to end (they see what was committed; a file in the transaction being
    // written is found stored when its turn to be written comes)
    if (this.lookupFile !== null) this.lookupConn ??= connect(this.lookupFile);
    const row = await (this.lookupConn?.db ?? this.db).selectFrom('documents')
      .leftJoin('sources', (j) => j.onRef('sources.document_id', '=', 'documents.id').on('sources.path', '=', path))
      .select(['sources.path', 'documents.error_code']).where('documents.hash', '=', hash).executeTakeFirst();
    // an earlier version stored some failures of the machine as the file's (a worker stopped, a
    // timeout): those files are read again
    if (row === undefined || (row.error_code !== null && TRANSIENT_CODES.includes(row.error_code))) return 'new';
    return row.path !== null ? 'seen' : 'known';
  }

  /** SQLite file stores, during an ingest: the thread that checkpoints (`bulkWrites`). */
  private checkpointer: { worker: Worker; flags: Int32Array } | undefined;

  /**
   * SQLite, for an ingest (`on`), and back after it:
   * - The write-ahead log is copied back into the database by a thread of its own (a PASSIVE
   *   checkpoint after each commit, `checkpointer.ts`), not by the connection that writes: each copy ends
   *   with a disk sync, and those stopped the main thread (3,000 mixed files: 41.8 → 36.3 s with
   *   none at all). The writing connection checkpoints itself only past 64 MB of log (that thread's
   *   copies seldom finish before the next commit begins, so the log would not start again from its
   *   head), or should that thread fail. Afterwards the log is copied back and emptied, and the
   *   usual 4 MB limit returns.
   * - Up to 256 MB of the store's pages stay in memory (SQLite's default is 2 MB): the aggregates
   *   an ingest updates lie all over their tables.
   * Commits are not synced either way (WAL, synchronous=NORMAL): nothing committed is less safe.
   */
  async bulkWrites(on: boolean): Promise<void> {
    if (this.engine !== 'sqlite') return;
    await sql.raw(`pragma cache_size = ${on ? -262_144 : -2000}`).execute(this.db);
    if (on) {
      await sql.raw(`pragma wal_autocheckpoint = ${this.lookupFile !== null ? 16_000 : 10_000}`).execute(this.db);
      if (this.lookupFile !== null && !this.checkpointer) {
        const flags = new SharedArrayBuffer(8);
        const worker = new Worker(CHECKPOINTER, { workerData: { file: this.lookupFile, flags } });
        worker.on('error', () => undefined); // the writing connection's own limit stands in
        worker.unref();
        this.checkpointer = { worker, flags: new Int32Array(flags) };
      }
      return;
    }
    const c = this.checkpointer;
    this.checkpointer = undefined;
    if (c) {
      Atomics.store(c.flags, 0, 1);
      Atomics.notify(c.flags, 1);
      c.worker.ref(); // its end is awaited: the process waits for it too
      await new Promise((resolve) => { c.worker.once('exit', resolve); if (c.worker.threadId < 0) resolve(undefined); });
    }
    await sql`pragma wal_autocheckpoint = 1000`.execute(this.db);
    await sql`pragma wal_checkpoint(truncate)`.execute(this.db);
  }

  /**
   * After a batch of writes: let the planner know the tables' sizes (SQLite's own `PRAGMA
   * optimize`, which runs ANALYZE where the statistics are stale; PostgreSQL's autovacuum does it).
   */
  async optimize(): Promise<void> {
    if (this.engine === 'sqlite') await sql`pragma optimize`.execute(this.db);
  }

  /** Current reports the corpus rules have not run for yet (an ingest stopped before they did). */
  async uncheckedReports(): Promise<number[]> {
    const rows = await this.db.selectFrom('reports').select('id').where('corpus_checked_at', 'is', null).where('current', '=', 1).orderBy('id').execute();
    return rows.map((r) => r.id);
  }

  /**
   * Replace a stored report's cells, sections and own findings with a new reading of the same
   * document (a reviewer's corrections applied), keeping the aggregates in step. Corpus
   * findings stay. One transaction.
   */
  async amend(reportId: number, report: Report, findings: readonly Finding[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const row = await tx.selectFrom('reports').select(['year', 'region', 'level', 'current']).where('id', '=', reportId).executeTakeFirstOrThrow();
      const group = row.year === null ? null : { year: row.year, region: row.region ?? '', level: row.level ?? '' };
      if (group && row.current === 1) {
        const old = await tx.selectFrom('cells').select(['key', 'num']).where('report_id', '=', reportId).where('num', 'is not', null).execute();
        await addAggregates(tx, this.engine, old, group, -1);
      }
      await tallyFindings(tx, [reportId], -1);
      await tx.deleteFrom('cells').where('report_id', '=', reportId).execute();
      await tx.deleteFrom('report_cells').where('report_id', '=', reportId).execute();
      await tx.deleteFrom('sections').where('report_id', '=', reportId).execute();
      await tx.deleteFrom('findings').where('report_id', '=', reportId).where('scope', '=', 'report').execute();
      const nums = await insertRows(tx, reportId, report, findings);
      await tx.updateTable('reports').set({ summary: summaryOf(report) }).where('id', '=', reportId).execute();
      await tallyFindings(tx, [reportId], 1);
      if (group && row.current === 1) await addAggregates(tx, this.engine, nums, group, 1);
    });
  }

  /**
   * Move a report to another place (a reviewer assigned its division): its region, division,
   * level and body key change, its numbers move between the aggregates' groups, its body-year's
   * reviews follow it, and if the body already has a current report for the year the newer of
   * the two stays current. `withdraw` names rules whose findings on it no longer stand (the
   * findings about its place). One transaction.
   */
  async place(reportId: number, to: Placement, withdraw: readonly string[] = []): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      await tallyFindings(tx, [reportId], -1);
      const row = await tx.selectFrom('reports').select(['year', 'region', 'level', 'current', 'agency_key']).where('id', '=', reportId).executeTakeFirstOrThrow();
      const nums = row.year === null || row.current !== 1 ? [] : await tx.selectFrom('cells').select(['key', 'num']).where('report_id', '=', reportId).where('num', 'is not', null).execute();
      if (row.year !== null && row.current === 1) await addAggregates(tx, this.engine, nums, { year: row.year, region: row.region ?? '', level: row.level ?? '' }, -1);
      let current = row.current;
      if (row.year !== null && to.key !== row.agency_key) {
        // current tested here, not in the query (see Batch.prepare)
        const rival = (await tx.selectFrom('reports').select(['id', 'region', 'level', 'current']).where('agency_key', '=', to.key).where('year', '=', row.year).where('id', '!=', reportId).execute()).find((r) => r.current === 1);
        if (rival && rival.id > reportId) current = 0;
        else if (rival && current === 1) {
          await tallyFindings(tx, [rival.id], -1);
          await tx.updateTable('reports').set({ current: 0 }).where('id', '=', rival.id).execute();
          const theirs = await tx.selectFrom('cells').select(['key', 'num']).where('report_id', '=', rival.id).where('num', 'is not', null).execute();
          await addAggregates(tx, this.engine, theirs, { year: row.year, region: rival.region ?? '', level: rival.level ?? '' }, -1);
        }
        const others = await tx.selectFrom('reports').select('id').where('agency_key', '=', row.agency_key).where('year', '=', row.year).where('id', '!=', reportId).executeTakeFirst();
        if (!others) await tx.updateTable('reviews').set({ agency_key: to.key }).where('agency_key', '=', row.agency_key).where('year', '=', row.year).execute();
      }
      await tx.updateTable('reports').set({ region: to.region, division: to.division, level: to.level, body_kind: to.bodyKind, agency_key: to.key, current }).where('id', '=', reportId).execute();
      if (row.year !== null && current === 1) await addAggregates(tx, this.engine, nums, { year: row.year, region: to.region ?? '', level: to.level ?? '' }, 1);
      if (withdraw.length) await tx.deleteFrom('findings').where('report_id', '=', reportId).where('rule_id', 'in', withdraw as string[]).execute();
      await tallyFindings(tx, [reportId], 1);
    });
  }

  /** Store one file, in one transaction (see `writeMany`). */
  async write(input: DocumentInput): Promise<WriteResult> {
    return (await this.writeMany([input]))[0]!;
  }

  /**
   * Store files, all in one transaction: each is stored whole or, with the others, not at all.
   * An ingest writes the files read while the last transaction was committing in the next one
   * (a commit costs about as much as a report's rows). On PostgreSQL several processes (on
   * several machines) may write at once: each document's hash is locked for the transaction, so
   * one of them stores it and the others find it stored; a deadlock or serialisation failure
   * between two writers is retried.
   */
  async writeMany(inputs: readonly DocumentInput[]): Promise<WriteResult[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.db.transaction().execute(async (tx) => {
          const batch = new Batch(this.engine);
          await batch.prepare(tx, inputs);
          const results = await writeFiles(tx, inputs, batch);
          await batch.flush(tx);
          return results;
        }).finally(() => {
          // committed (or not): the checkpointing thread may copy the log back now
          if (this.checkpointer) { Atomics.add(this.checkpointer.flags, 1, 1); Atomics.notify(this.checkpointer.flags, 1); }
        });
      } catch (e) {
        const code = (e as { code?: unknown }).code;
        if (this.engine !== 'postgres' || attempt >= 5 || !(code === '40P01' || code === '40001' || code === '23505')) throw e;
      }
    }
  }
}

/** The body key of a file's report (its document's, when the report names no body). */
const reportKey = (input: DocumentInput): string => agencyKey(input.report!, input.hash.slice(0, 16));

/** A document of the transaction: stored (its id) or to be stored by it (id 0 until then). */
type Doc = { id: number; error_code: string | null; dropped?: boolean };

/**
 * The rows of a transaction's files, in their order, each table's by one statement where one a
 * file would do the same: the new documents, then every path (a known document's path is new to
 * it or seen), then the reports (each body-year's last version current; one that a file of the
 * transaction replaces is stored not current). What a file finds stored is what the files before
 * it left, as if they had been written one by one. On PostgreSQL each statement is a round trip:
 * a file's seven (two locks, two lookups, three inserts) were most of an ingest's time there.
 */
async function writeFiles(tx: Transaction<DB>, inputs: readonly DocumentInput[], batch: Batch): Promise<WriteResult[]> {
  const results: WriteResult[] = inputs.map(() => ({ status: 'new' }));
  const paths: Array<{ at: number; path: string; doc: Doc; known: boolean }> = [];
  for (let at = 0; at < inputs.length; at++) {
    const input = inputs[at]!;
    let doc = batch.documents.get(input.hash);
    if (doc && doc.error_code !== null && TRANSIENT_CODES.includes(doc.error_code) && (input.report || input.error)) {
      // a failure of the machine an earlier version recorded as the file's: replaced by this reading
      if (doc.id > 0) {
        await tx.deleteFrom('sources').where('document_id', '=', doc.id).execute();
        await tx.deleteFrom('originals').where('document_id', '=', doc.id).execute();
        await tx.deleteFrom('documents').where('id', '=', doc.id).execute();
      }
      doc.dropped = true;
      doc = undefined;
    }
    if (doc) { paths.push({ at, path: input.path, doc, known: true }); continue; }
    doc = { id: 0, error_code: input.error?.code ?? null };
    batch.documents.set(input.hash, doc);
    paths.push({ at, path: input.path, doc, known: false });
  }
  // the new documents: the files of unknown bytes (less any a later file's reading replaced)
  const kept = paths.filter((p) => !p.known && !p.doc.dropped).map(({ at, doc }) => ({ input: inputs[at]!, at, doc }));
  const ids = new Map((await insertMany(tx, 'documents', kept.map(({ input }) => ({
    hash: input.hash, format: input.format, bytes: input.bytes, ingested_at: now(),
    error_code: input.error?.code ?? null, error: input.error?.message ?? null,
  })), '', ['id', 'hash'])).map((d) => [d.hash as string, d.id as number]));
  for (const f of kept) f.doc.id = ids.get(f.input.hash)!;

  // the paths: a known document's is new-path when it was not stored with it (nor earlier in this transaction)
  const planned = new Set<string>();
  const sources: Array<Insertable<DB['sources']>> = [];
  const asked: Array<{ at: number; pair: string }> = [];
  for (const p of paths) {
    if (p.doc.dropped) { if (p.known) results[p.at] = { status: 'new-path' }; continue; }
    const pair = `${p.path}\u0000${p.doc.id}`;
    if (planned.has(pair)) { results[p.at] = { status: 'seen' }; continue; }
    planned.add(pair);
    sources.push({ path: p.path, document_id: p.doc.id, seen_at: now() });
    if (p.known) asked.push({ at: p.at, pair });
  }
  const added = new Set((await insertMany(tx, 'sources', sources, ' on conflict (path, document_id) do nothing', ['path', 'document_id'])).map((r) => `${r.path}\u0000${r.document_id}`));
  for (const a of asked) results[a.at] = { status: added.has(a.pair) ? 'new-path' : 'seen' };
  for (const { input, doc } of kept) if (input.original) await tx.insertInto('originals').values({ document_id: doc.id, name: input.original.name, data: input.original.data }).execute();

  // the reports: a newer version of a body's report for a year replaces it in every aggregate
  const made: Array<{ input: DocumentInput; at: number; doc: Doc; key: string; version: Version; group: Group | null }> = [];
  const replaced: Version[] = [];
  for (const { input, at, doc } of kept) {
    const r = input.report;
    if (!r) continue;
    const key = reportKey(input);
    const versions = r.meta.year === null ? [] : batch.versions(key, r.meta.year);
    for (const p of versions) if (p.current === 1) { p.current = 0; if (p.id > 0) replaced.push(p); }
    const region = regionOf(r.meta);
    const version: Version = { id: 0, year: r.meta.year, region, level: r.meta.level, current: 1 };
    versions.push(version);
    made.push({ input, at, doc, key, version, group: r.meta.year === null ? null : { year: r.meta.year, region: region ?? '', level: r.meta.level ?? '' } });
  }
  // stored versions replaced: out of the rule counts while still current, then out of the totals
  if (replaced.length > 0) {
    const gone = replaced.map((p) => p.id);
    await tallyFindings(tx, gone, -1);
    for (let i = 0; i < gone.length; i += CHUNK) await tx.updateTable('reports').set({ current: 0 }).where('id', 'in', gone.slice(i, i + CHUNK)).execute();
    const nums = new Map<number, Array<{ key: string; num: number | null }>>();
    for (let i = 0; i < gone.length; i += CHUNK) {
      for (const c of await tx.selectFrom('cells').select(['report_id', 'key', 'num']).where('report_id', 'in', gone.slice(i, i + CHUNK)).where('num', 'is not', null).execute()) {
        let list = nums.get(c.report_id);
        if (!list) nums.set(c.report_id, (list = []));
        list.push({ key: c.key, num: c.num });
      }
    }
    for (const p of replaced) batch.add(nums.get(p.id) ?? [], { year: p.year!, region: p.region ?? '', level: p.level ?? '' }, -1);
  }
  const reportIds = new Map((await insertMany(tx, 'reports', made.map(({ input, doc, key, version }) => {
    const r = input.report!;
    return {
      document_id: doc.id, agency_key: key, agency: r.meta.agency, region: version.region, division: r.meta.division?.code ?? null, level: r.meta.level,
      body_kind: r.meta.bodyKind, year: r.meta.year, edition: r.meta.edition, published_on: r.meta.published, title: r.meta.title, current: version.current, repetition: null, corpus_checked_at: null,
      summary: summaryOf(r),
    };
  }), '', ['id', 'document_id'])).map((x) => [x.document_id as number, x.id as number]));
  for (const m of made) {
    const id = reportIds.get(m.doc.id)!;
    m.version.id = id;
    results[m.at] = { status: 'new', reportId: id };
    const nums = batch.rows(id, m.input.report!, m.input.findings ?? [], m.input.bands ?? []);
    batch.written.push(id);
    if (!m.group) continue;
    // the new report's numbers are at hand; one a later file of this transaction replaced is added and taken away, as written one by one
    batch.add(nums, m.group, 1);
    if (m.version.current === 0) batch.add(nums, m.group, -1);
  }
  return results;
}

/** A cell's number as stored and totalled: null when blank or not determined. */
const cellNum = (c: Cell): number | null => (c.value !== null && c.status !== 'ambiguous' ? Number(c.value) : null);

/** A report's summary (`reports.summary`): its numbers in the summary cells, as SUMMARY_KEYS says. */
export function summaryOf(r: Pick<Report, 'cells'>): string {
  return JSON.stringify([SUMMARY_VERSION, ...SUMMARY_KEYS.map((key) => { const c = r.cells[key]; return c ? cellNum(c) : null; })]);
}

/** A report's rows in the tables below it: its cells (and their packed row, with its layout), sections, own findings and text sketch. */
interface ReportRows {
  cells: Array<Insertable<DB['cells']>>;
  packed: Array<Insertable<DB['report_cells']>>;
  layouts: Array<Pick<PackedCells, 'layout' | 'keys'>>;
  sections: Array<Insertable<DB['sections']>>;
  findings: Array<Insertable<DB['findings']>>;
  sketches: Array<Insertable<DB['sketches']>>;
}

/** A report's rows (see ReportRows), made for inserting. */
function reportRows(id: number, r: Report, found: readonly Finding[], bands: readonly string[]): ReportRows {
  const list = cellList(r.cells);
  const cells = list.map((c) => ({
    report_id: id, key: c.key, value: c.value, num: cellNum(c),
    status: c.status, shown: c.shown, position: c.position ? encodePosition(c.position) : null,
  }));
  const packed = list.length === 0 ? null : packCells(list.map((c) => c.key), list.map((c) => exportValue(c.value, c.status)));
  const sections = r.sections.map((s) => ({ report_id: id, number: s.number, title: s.title, text: s.text }));
  // a section number printed twice keeps its first text (the outline keeps every heading)
  const unique = sections.filter((s, i) => sections.findIndex((t) => t.number === s.number) === i);
  const findings = found.map((f) => ({
    report_id: id, rule_id: f.ruleId, severity: f.severity, message: f.message, message_en: f.messageEn, keys: JSON.stringify(f.keys),
    position: encodeFindingPositions(f), scope: 'report',
  }));
  return {
    cells, packed: packed ? [{ report_id: id, layout: packed.layout, cell_values: packed.values }] : [], layouts: packed ? [packed] : [],
    sections: unique, findings, sketches: bands.map((hash, band) => ({ report_id: id, band, hash })),
  };
}

async function insertReportRows(tx: Kysely<DB>, rows: ReportRows): Promise<void> {
  await insertMany(tx, 'cells', rows.cells);
  await insertLayouts(tx, rows.layouts);
  await insertMany(tx, 'report_cells', rows.packed);
  await insertMany(tx, 'sections', rows.sections);
  await insertMany(tx, 'findings', rows.findings);
  await insertMany(tx, 'sketches', rows.sketches);
}

/** Numbers of a report's cells (for the aggregates): those that have one. */
const numbersIn = (cells: ReportRows['cells']): Array<{ key: string; num: number | null }> => cells.filter((c) => c.num !== null && c.num !== undefined) as Array<{ key: string; num: number | null }>;

/** Store a report's cells, sections and own findings now; returns its numbers (for the aggregates). */
async function insertRows(tx: Transaction<DB>, id: number, r: Report, found: readonly Finding[]): Promise<Array<{ key: string; num: number | null }>> {
  const rows = reportRows(id, r, found, []);
  await insertReportRows(tx, rows);
  return numbersIn(rows.cells);
}

/**
 * Take away (sign -1, before a change) or add back (sign 1, after it) the findings of reports
 * `ids` in the rule counts (rule_agg: current reports only, by their group at the time), and
 * after the change set each report's own error and warning counts. Every write that changes a
 * report's findings, its group or whether it is current is wrapped in the two.
 */
export async function tallyFindings(tx: Kysely<DB>, ids: readonly number[], sign: 1 | -1): Promise<void> {
  for (let i = 0; i < ids.length; i += 500) {
    const some = ids.slice(i, i + 500) as number[];
    const rows = await tx.selectFrom('findings').innerJoin('reports', 'reports.id', 'findings.report_id')
      .select([
        sql<number>`coalesce(reports.year, 0)`.as('year'), sql<string>`coalesce(reports.region, '')`.as('region'), sql<string>`coalesce(reports.level, '')`.as('level'),
        'findings.rule_id', 'findings.severity', sql<number>`count(*)`.as('n'), sql<number>`count(distinct findings.report_id)`.as('r'),
      ])
      .where('reports.id', 'in', some).where('reports.current', '=', 1)
      .groupBy([sql`coalesce(reports.year, 0)`, sql`coalesce(reports.region, '')`, sql`coalesce(reports.level, '')`, 'findings.rule_id', 'findings.severity'] as never).execute();
    // every writer updates the shared rows in one order: two cannot deadlock on them
    const key = (r: (typeof rows)[number]) => `${r.year}\u0000${r.region}\u0000${r.level}\u0000${r.rule_id}\u0000${r.severity}`;
    rows.sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));
    await addInto(tx, 'rule_agg', ['year', 'region', 'level', 'rule_id', 'severity'], ['findings', 'reports'], rows.map((r) => ({
      year: Number(r.year), region: r.region, level: r.level, rule_id: r.rule_id, severity: r.severity, findings: sign * Number(r.n), reports: sign * Number(r.r),
    })));
    // the same without the region (the whole store's view), merged across the reports' regions
    const top = new Map<string, { year: number; level: string; rule_id: string; severity: string; findings: number; reports: number }>();
    for (const r of rows) {
      const k = `${r.year}\u0000${r.level}\u0000${r.rule_id}\u0000${r.severity}`;
      const t = top.get(k) ?? { year: Number(r.year), level: r.level, rule_id: r.rule_id, severity: r.severity, findings: 0, reports: 0 };
      t.findings += sign * Number(r.n);
      t.reports += sign * Number(r.r);
      top.set(k, t);
    }
    const tops = [...top.entries()].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0)).map(([, v]) => v);
    await addInto(tx, 'rule_top', ['year', 'level', 'rule_id', 'severity'], ['findings', 'reports'], tops);
    if (sign === 1) {
      await tx.updateTable('reports').set({
        errors: sql`(select count(*) from findings f where f.report_id = reports.id and f.severity = 'error')`,
        warnings: sql`(select count(*) from findings f where f.report_id = reports.id and f.severity = 'warning')`,
      }).where('id', 'in', some).execute();
    }
  }
}

/**
 * Add rows into an aggregate table, in the order given: each row's `sums` are added to the
 * stored row of the same `key` columns, which is made when there is none.
 */
async function addInto<T extends 'report_agg' | 'cell_agg' | 'cell_top' | 'rule_agg' | 'rule_top'>(tx: Kysely<DB>, table: T, key: string[], sums: string[], rows: Array<Insertable<DB[T]>>): Promise<void> {
  await insertMany(tx, table, rows, ` on conflict (${key.map((c) => `"${c}"`).join(', ')}) do update set ${sums.map((c) => `"${c}" = ${table}."${c}" + excluded."${c}"`).join(', ')}`);
}

/**
 * Does this connection's SQL number its parameters (PostgreSQL's `$1`) rather than mark them
 * (`?`)? Asked once a connection or transaction: the answer is asked at every raw query and insert.
 */
const numberedBy = new WeakMap<Kysely<DB>, boolean>();
const numbered = (db: Kysely<DB>): boolean => {
  let n = numberedBy.get(db);
  if (n === undefined) numberedBy.set(db, (n = db.selectNoFrom(sql<number>`${0}`.as('x')).compile().sql.includes('$1')));
  return n;
};

/**
 * Run a query written with `?` for its parameters, as it is (no query builder): for the small
 * queries run thousands of times a run, where building each through kysely cost more than
 * running it.
 */
export async function rawQuery<R>(db: Kysely<DB>, text: string, params: readonly unknown[]): Promise<R[]> {
  let n = 0;
  const q = numbered(db) ? text.replace(/\?/g, () => `$${++n}`) : text;
  return (await db.executeQuery<R>(CompiledQuery.raw(q, params as unknown[]))).rows;
}

/** Statement texts by shape: the kind, then what varies (an insert's engine, table, columns, row count and conflict clause; how many groups or buckets). */
const statementTexts = new Map<string, string>();

/**
 * A statement's text, made once for each shape (`make` runs the first time a shape is asked
 * for): the statements an ingest repeats differ only in how many rows or groups they take.
 */
export function statementText(shape: string, make: () => string): string {
  let text = statementTexts.get(shape);
  if (text === undefined) statementTexts.set(shape, (text = make()));
  return text;
}

/**
 * PostgreSQL's types of the columns `insertMany` writes, for its arrays (test/store.test.ts
 * checks them against the store's own catalogue).
 */
export const ARRAY_TYPES: Partial<Record<keyof DB & string, Record<string, string>>> = {
  cells: { report_id: 'int4', key: 'text', value: 'text', num: 'float8', status: 'text', shown: 'text', position: 'text' },
  sections: { report_id: 'int4', number: 'int4', title: 'text', text: 'text' },
  findings: { report_id: 'int4', rule_id: 'text', severity: 'text', message: 'text', message_en: 'text', keys: 'text', position: 'text', scope: 'text' },
  sketches: { report_id: 'int4', band: 'int4', hash: 'text' },
  report_cells: { report_id: 'int4', layout: 'text', cell_values: 'text' },
  documents: { hash: 'text', format: 'text', bytes: 'int8', ingested_at: 'text', error_code: 'text', error: 'text' },
  sources: { path: 'text', document_id: 'int4', seen_at: 'text' },
  reports: {
    document_id: 'int4', agency_key: 'text', agency: 'text', region: 'text', division: 'text', level: 'text', body_kind: 'text', year: 'int4',
    edition: 'text', published_on: 'text', title: 'text', current: 'int4', repetition: 'float8', corpus_checked_at: 'text', summary: 'text',
  },
  report_agg: { year: 'int4', region: 'text', level: 'text', reports: 'int4' },
  cell_agg: { year: 'int4', region: 'text', level: 'text', key: 'text', total: 'float8', present: 'int4' },
  cell_top: { year: 'int4', level: 'text', key: 'text', total: 'float8', present: 'int4' },
  rule_agg: { year: 'int4', region: 'text', level: 'text', rule_id: 'text', severity: 'text', findings: 'int4', reports: 'int4' },
  rule_top: { year: 'int4', level: 'text', rule_id: 'text', severity: 'text', findings: 'int4', reports: 'int4' },
};

/**
 * Insert rows (every row with the same columns, in the same order). On PostgreSQL, all of them
 * in one statement: each column's values as one array parameter, `unnest` making them rows
 * again (a hundred reports' cells were sixty statements, each a round trip). On SQLite a hundred
 * to a statement.
 * The statement's text is made here, once for each shape, not built and compiled by kysely for
 * every report: an ingest inserts hundreds of rows a file, and building them was a fifth of its
 * main thread's time.
 */
async function insertMany<T extends keyof DB & string>(tx: Kysely<DB>, table: T, rows: ReadonlyArray<Insertable<DB[T]>>, conflict = '', returning: readonly string[] = []): Promise<Array<Record<string, unknown>>> {
  if (rows.length === 0) return [];
  const columns = Object.keys(rows[0]!);
  const dollar = numbered(tx);
  const back = returning.length ? ` returning ${returning.map((c) => `"${c}"`).join(', ')}` : '';
  const types = dollar ? ARRAY_TYPES[table] : undefined;
  if (types) {
    // PostgreSQL: every row in one statement, a column an array (its text the same for any count)
    const text = statementText(`unnest\u0000${table}\u0000${columns.join()}\u0000${conflict}\u0000${back}`, () =>
      `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) select * from unnest(${columns.map((c, i) => `$${i + 1}::${types[c]}[]`).join(', ')})${conflict}${back}`);
    return (await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, columns.map((c) => rows.map((r) => (r as Record<string, unknown>)[c] ?? null))))).rows;
  }
  const out: Array<Record<string, unknown>> = [];
  for (let i = 0; i < rows.length; i += CHUNK) {
    // SQLite runs each statement on this thread: between them the event loop gets a turn, so
    // the readers are given their next files while a transaction is written
    if (i > 0 && !dollar) await new Promise((resolve) => setImmediate(resolve));
    const some = rows.slice(i, i + CHUNK);
    const text = statementText(`insert\u0000${dollar}\u0000${table}\u0000${columns.join()}\u0000${some.length}\u0000${conflict}\u0000${back}`, () => {
      let n = 0;
      const row = () => `(${columns.map(() => (dollar ? `$${++n}` : '?')).join(', ')})`;
      return `insert into ${table} (${columns.map((c) => `"${c}"`).join(', ')}) values ${some.map(row).join(', ')}${conflict}${back}`;
    });
    const params: unknown[] = [];
    for (const r of some) for (const c of columns) params.push((r as Record<string, unknown>)[c]);
    out.push(...(await tx.executeQuery<Record<string, unknown>>(CompiledQuery.raw(text, params))).rows);
  }
  return out;
}

type Group = { year: number; region: string; level: string };
type Version = { id: number; year: number | null; region: string | null; level: string | null; current: number };

/**
 * What a transaction adds to the aggregates, summed before it is written: the reports of one
 * transaction that share a group (and, for the whole store's totals, a year and level) update
 * each of its rows once, and every writer updates the shared rows in one order (by group and
 * key), so two writers cannot deadlock on them. Also the reports written in the transaction,
 * whose findings are counted at its end.
 */
class Batch {
  private readonly groups = new Map<string, number>();
  private readonly cells = new Map<string, { total: number; present: number }>();
  /** Reports written in this transaction, in order. */
  readonly written: number[] = [];
  /**
   * Their cells, sections, findings and sketches, inserted together when the transaction's files
   * are all written (`flush`): a table's rows of many reports a statement, where each report's
   * were three to five statements (on PostgreSQL, each a round trip).
   */
  private readonly pending: ReportRows = { cells: [], packed: [], layouts: [], sections: [], findings: [], sketches: [] };
  /** The stored documents of the transaction's files (and those it stores), by hash. */
  readonly documents = new Map<string, Doc>();
  /** The stored versions of the reports of the transaction's bodies and years (and those it stores). */
  private readonly reports = new Map<string, Version[]>();
  private readonly engine: Engine;

  constructor(engine: Engine) {
    this.engine = engine;
  }

  /** Add (sign 1) or take away (sign -1) a report's numbers in its group's aggregates. */
  add(nums: ReadonlyArray<{ key: string; num: number | null }>, group: Group, sign: 1 | -1): void {
    const g = `${group.year}\u0000${group.region}\u0000${group.level}`;
    this.groups.set(g, (this.groups.get(g) ?? 0) + sign);
    for (const c of nums) {
      const k = `${g}\u0000${c.key}`;
      const t = this.cells.get(k);
      if (t) { t.total += sign * c.num!; t.present += sign; } else this.cells.set(k, { total: sign * c.num!, present: sign });
    }
  }

  /**
   * Before the transaction's files are written: on PostgreSQL its documents and its reports'
   * bodies and years are locked (two writers must not both store the same bytes, nor both keep a
   * version of one report current), each kind in one order so that two writers cannot deadlock;
   * then what the store holds of them is read, by one statement each, not two a file.
   */
  async prepare(tx: Kysely<DB>, inputs: readonly DocumentInput[]): Promise<void> {
    const hashes = [...new Set(inputs.map((i) => i.hash))].sort();
    const reports = inputs.filter((i) => i.report).map((i) => ({ key: reportKey(i), year: i.report!.meta.year }));
    const bodies = [...new Set(reports.map((r) => `${r.key}:${r.year ?? ''}`))].sort();
    if (this.engine === 'postgres') {
      const lock = (keys: string[]) => sql`select pg_advisory_xact_lock(hashtextextended(k, 0)) from unnest(${keys}::text[]) as k`.execute(tx);
      await lock(hashes.map((h) => `document:${h}`));
      if (bodies.length > 0) await lock(bodies.map((b) => `report:${b}`));
    }
    for (let i = 0; i < hashes.length; i += CHUNK) {
      for (const d of await tx.selectFrom('documents').select(['id', 'hash', 'error_code']).where('hash', 'in', hashes.slice(i, i + CHUNK)).execute()) this.documents.set(d.hash, { id: d.id, error_code: d.error_code });
    }
    const keys = [...new Set(reports.filter((r) => r.year !== null).map((r) => r.key))];
    // by body, every year: a body has a version or two a year. (Whether a version is current is
    // tested here, not in the query: a store with no statistics yet had SQLite read `current = 1`
    // from its index — every current report — instead of the body's versions.)
    for (let i = 0; i < keys.length; i += CHUNK) {
      const rows = await tx.selectFrom('reports').select(['id', 'agency_key', 'year', 'region', 'level', 'current']).where('agency_key', 'in', keys.slice(i, i + CHUNK)).orderBy('id').execute();
      for (const { agency_key: key, ...v } of rows) if (v.year !== null) this.versions(key, v.year).push(v);
    }
  }

  /** The versions of a body's report for a year, oldest first (kept up to date as the transaction writes). */
  versions(key: string, year: number): Version[] {
    const k = `${key}\u0000${year}`;
    let list = this.reports.get(k);
    if (!list) this.reports.set(k, (list = []));
    return list;
  }

  /** A report written in this transaction: its rows wait for `flush`; returns its numbers. */
  rows(id: number, r: Report, found: readonly Finding[], bands: readonly string[]): Array<{ key: string; num: number | null }> {
    const rows = reportRows(id, r, found, bands);
    for (const k of ['cells', 'packed', 'layouts', 'sections', 'findings', 'sketches'] as const) (this.pending[k] as unknown[]).push(...rows[k]);
    return numbersIn(rows.cells);
  }

  async flush(tx: Kysely<DB>): Promise<void> {
    // the rows of the reports written here first: the rule counts below read their findings
    await insertReportRows(tx, this.pending);
    // every report written here is counted once, whether or not it stayed current (its own
    // error and warning counts are set either way; only current ones count in rule_agg)
    if (this.written.length) await tallyFindings(tx, this.written, 1);
    const byKey = <V>(m: Map<string, V>) => [...m].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
    // every group touched, its count changed or not: on PostgreSQL the row is locked here, before
    // its cell totals change, so that the summary written last sums what the others committed
    const groups = byKey(this.groups).map(([g, reports]) => { const [year, region, level] = g.split('\u0000'); return { year: Number(year), region: region!, level: level!, reports }; });
    await addInto(tx, 'report_agg', ['year', 'region', 'level'], ['reports'], groups);
    const cells = byKey(this.cells).filter(([, t]) => t.total !== 0 || t.present !== 0).map(([k, t]) => { const [year, region, level, key] = k.split('\u0000'); return { year: Number(year), region: region!, level: level!, key: key!, ...t }; });
    await addInto(tx, 'cell_agg', ['year', 'region', 'level', 'key'], ['total', 'present'], cells);
    // the same without the region: the whole store's view
    const top = new Map<string, { year: number; level: string; key: string; total: number; present: number }>();
    for (const c of cells) {
      const k = `${c.year}\u0000${c.level}\u0000${c.key}`;
      const t = top.get(k);
      if (t) { t.total += c.total; t.present += c.present; } else top.set(k, { year: c.year, level: c.level, key: c.key, total: c.total, present: c.present });
    }
    await addInto(tx, 'cell_top', ['year', 'level', 'key'], ['total', 'present'], byKey(top).map(([, v]) => v).filter((t) => t.total !== 0 || t.present !== 0));
    // and each group's summary cells, from its totals as they now are
    for (let i = 0; i < groups.length; i += SUMMARIES_A_STATEMENT) {
      const some = groups.slice(i, i + SUMMARIES_A_STATEMENT);
      await rawQuery(tx, groupSummary(this.engine, some.length), some.flatMap((g) => [g.year, g.region, g.level]));
    }
  }
}

/**
 * The statement that writes the summaries (`report_agg.summary`) of `n` groups, by engine: a
 * transaction's groups in one statement, not one each (on PostgreSQL each is a round trip).
 */
const SUMMARIES_A_STATEMENT = 100;
const groupSummary = (engine: Engine, n: number): string => statementText(`summary\u0000${engine}\u0000${n}`,
  () => groupSummarySql(engine, Array.from({ length: n }, () => '(year = ? and region = ? and level = ?)').join(' or ')));

/** Add (sign 1) or take away (sign -1) a report's numbers from its group's aggregates, now. */
async function addAggregates(tx: Transaction<DB>, engine: Engine, nums: ReadonlyArray<{ key: string; num: number | null }>, group: Group, sign: 1 | -1): Promise<void> {
  const batch = new Batch(engine);
  batch.add(nums, group, sign);
  await batch.flush(tx);
}
