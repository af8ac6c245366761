/**
 * The corpus store: documents (content-addressed), the reports read from them, their cells,
 * sections and findings, and aggregates kept in step. Every file is written in one
 * transaction, so an interrupted ingest leaves whole files or nothing.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import { Migrator } from 'kysely/migration';
import type { Finding } from '../check/types.ts';
import { nfkc } from '../read/normalize.ts';
import type { Position, Report } from '../types.ts';
import { connect, type Connection, type Engine } from './db.ts';
import { migrations } from './migrations.ts';
import type { DB } from './schema.ts';

/** The body a report belongs to, across years: its region and name, normalised. */
export function agencyKey(report: Pick<Report, 'meta'>, fallback: string): string {
  const norm = (s: string | null) => nfkc(s ?? '').replace(/[\s()（）【】《》“”"'·・,，。.]/g, '');
  const name = norm(report.meta.agency);
  return name ? `${norm(report.meta.region)}|${name}` : `doc:${fallback}`;
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
  const [offset, length, line, column, origin] = JSON.parse(s) as [number, number, number, number, Position['origin']?];
  return { offset, length, line, column, ...(origin ? { origin, ...(origin.page !== undefined ? { page: origin.page } : {}) } : {}) };
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

export class Store {
  readonly db: Kysely<DB>;
  readonly engine: Engine;
  readonly where: string;
  private readonly conn: Connection;

  private constructor(conn: Connection) {
    this.conn = conn;
    this.db = conn.db;
    this.engine = conn.engine;
    this.where = conn.where;
  }

  /** Open (creating or upgrading as needed) the store at `url`. */
  static async open(url: string): Promise<Store> {
    const conn = connect(url);
    const { error, results } = await new Migrator({ db: conn.db, provider: { getMigrations: async () => migrations(conn.engine) } }).migrateToLatest();
    if (error) {
      await conn.close();
      const failed = results?.find((r) => r.status === 'Error')?.migrationName;
      throw new Error(`cannot prepare the store at ${conn.where}${failed ? ` (migration ${failed})` : ''}: ${(error as Error).message}`);
    }
    return new Store(conn);
  }

  close(): Promise<void> {
    return this.conn.close();
  }

  /**
   * What the store has of these bytes: `seen` from this very path (ingesting them again is a
   * no-op), `known` from another path only, or `new`. One query.
   */
  async lookup(path: string, hash: string): Promise<'seen' | 'known' | 'new'> {
    const row = await this.db.selectFrom('documents')
      .leftJoin('sources', (j) => j.onRef('sources.document_id', '=', 'documents.id').on('sources.path', '=', path))
      .select('sources.path').where('documents.hash', '=', hash).executeTakeFirst();
    return row === undefined ? 'new' : row.path !== null ? 'seen' : 'known';
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
        await addAggregates(tx, old, group, -1);
      }
      await tx.deleteFrom('cells').where('report_id', '=', reportId).execute();
      await tx.deleteFrom('sections').where('report_id', '=', reportId).execute();
      await tx.deleteFrom('findings').where('report_id', '=', reportId).where('scope', '=', 'report').execute();
      const nums = await insertRows(tx, reportId, report, findings);
      if (group && row.current === 1) await addAggregates(tx, nums, group, 1);
    });
  }

  /** Store one file, in one transaction. */
  async write(input: DocumentInput): Promise<WriteResult> {
    return this.db.transaction().execute(async (tx) => {
      const existing = await tx.selectFrom('documents').select('id').where('hash', '=', input.hash).executeTakeFirst();
      if (existing) {
        const inserted = await tx.insertInto('sources').values({ path: input.path, document_id: existing.id, seen_at: now() })
          .onConflict((oc) => oc.columns(['path', 'document_id']).doNothing()).executeTakeFirst();
        return { status: Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0 ? 'new-path' : 'seen' };
      }
      const doc = await tx.insertInto('documents').values({
        hash: input.hash, format: input.format, bytes: input.bytes, ingested_at: now(),
        error_code: input.error?.code ?? null, error: input.error?.message ?? null,
      }).returning('id').executeTakeFirstOrThrow();
      await tx.insertInto('sources').values({ path: input.path, document_id: doc.id, seen_at: now() }).execute();
      if (input.original) await tx.insertInto('originals').values({ document_id: doc.id, name: input.original.name, data: input.original.data }).execute();
      const reportId = input.report ? await writeReport(tx, doc.id, input) : undefined;
      return { status: 'new', ...(reportId !== undefined ? { reportId } : {}) };
    });
  }
}

async function writeReport(tx: Transaction<DB>, documentId: number, input: DocumentInput): Promise<number> {
  const r = input.report!;
  const key = agencyKey(r, input.hash.slice(0, 16));
  // a newer version of the same body's report for the same year replaces it in every aggregate
  const previous = r.meta.year === null ? [] : await tx.selectFrom('reports').select(['id', 'year', 'region', 'level'])
    .where('agency_key', '=', key).where('year', '=', r.meta.year).where('current', '=', 1).execute();
  for (const p of previous) {
    await tx.updateTable('reports').set({ current: 0 }).where('id', '=', p.id).execute();
    if (p.year === null) continue;
    const nums = await tx.selectFrom('cells').select(['key', 'num']).where('report_id', '=', p.id).where('num', 'is not', null).execute();
    await addAggregates(tx, nums, { year: p.year, region: p.region ?? '', level: p.level ?? '' }, -1);
  }
  const report = await tx.insertInto('reports').values({
    document_id: documentId, agency_key: key, agency: r.meta.agency, region: r.meta.region, level: r.meta.level,
    body_kind: r.meta.bodyKind, year: r.meta.year, edition: r.meta.edition, published_on: r.meta.published, title: r.meta.title, current: 1, repetition: null, corpus_checked_at: null,
  }).returning('id').executeTakeFirstOrThrow();
  const id = report.id;
  const nums = await insertRows(tx, id, r, input.findings ?? []);
  if (input.bands?.length) await tx.insertInto('sketches').values(input.bands.map((h, band) => ({ report_id: id, band, hash: h }))).execute();
  // the new report's numbers are at hand: no need to read them back
  if (r.meta.year !== null) await addAggregates(tx, nums, { year: r.meta.year, region: r.meta.region ?? '', level: r.meta.level ?? '' }, 1);
  return id;
}

/** A report's cells, sections and own findings; returns its numbers (for the aggregates). */
async function insertRows(tx: Transaction<DB>, id: number, r: Report, found: readonly Finding[]): Promise<Array<{ key: string; num: number | null }>> {
  const cells = Object.values(r.cells).map((c) => ({
    report_id: id, key: c.key, value: c.value, num: c.value !== null && c.status !== 'ambiguous' ? Number(c.value) : null,
    status: c.status, shown: c.shown, position: c.position ? encodePosition(c.position) : null,
  }));
  for (let i = 0; i < cells.length; i += CHUNK) await tx.insertInto('cells').values(cells.slice(i, i + CHUNK)).execute();
  const sections = r.sections.map((s) => ({ report_id: id, number: s.number, title: s.title, text: s.text }));
  // a section number printed twice keeps its first text (the outline keeps every heading)
  const unique = sections.filter((s, i) => sections.findIndex((t) => t.number === s.number) === i);
  if (unique.length) await tx.insertInto('sections').values(unique).execute();
  const findings = found.map((f) => ({
    report_id: id, rule_id: f.ruleId, severity: f.severity, message: f.message, message_en: f.messageEn, keys: JSON.stringify(f.keys),
    position: f.positions[0] ? encodePosition(f.positions[0]) : null, scope: 'report',
  }));
  for (let i = 0; i < findings.length; i += CHUNK) await tx.insertInto('findings').values(findings.slice(i, i + CHUNK)).execute();
  return cells.filter((c) => c.num !== null);
}

/** Add (sign 1) or take away (sign -1) a report's numbers from its group's aggregates. */
async function addAggregates(tx: Transaction<DB>, nums: ReadonlyArray<{ key: string; num: number | null }>, group: { year: number; region: string; level: string }, sign: 1 | -1): Promise<void> {
  await tx.insertInto('report_agg').values({ ...group, reports: sign })
    .onConflict((oc) => oc.columns(['year', 'region', 'level']).doUpdateSet({ reports: sql`report_agg.reports + ${sign}` })).execute();
  for (let i = 0; i < nums.length; i += CHUNK) {
    const rows = nums.slice(i, i + CHUNK).map((c) => ({ ...group, key: c.key, total: sign * c.num!, present: sign }));
    await tx.insertInto('cell_agg').values(rows).onConflict((oc) => oc.columns(['year', 'region', 'level', 'key']).doUpdateSet({
      total: sql`cell_agg.total + excluded.total`, present: sql`cell_agg.present + excluded.present`,
    })).execute();
  }
}
