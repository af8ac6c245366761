/**
 * One report under review: its source as given, the reading with a reviewer's corrections laid
 * over it, the findings with their review state. A correction never overwrites the reading:
 * the document is read again from its bytes and the corrections applied on top, so the original
 * stays and every correction can be traced (who, when, from what to what).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { check } from '../check/engine.ts';
import type { Finding } from '../check/types.ts';
import type { ReadPool } from '../ingest/pool.ts';
import { ReadError } from '../read/text.ts';
import { regionOf } from '../extract/body.ts';
import { assigned, placementAssigned } from '../store/place.ts';
import { extract } from '../extract/extract.ts';
import { t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import { decodeFindingPositions, decodePosition, type Store } from '../store/store.ts';
import type { Cell, DivisionRef, Position, Report, SourceDocument } from '../types.ts';

export interface Correction { id: number; key: string; from: string | null; to: string | null; who: string; at: string; note: string | null }
export interface ReviewState { status: 'confirmed' | 'dismissed' | 'open'; comment: string | null; who: string; at: string }

export interface StoredFinding extends Omit<Finding, 'positions'> {
  positions: Position[];
  scope: 'report' | 'corpus';
  review: ReviewState | null;
}

export interface ReviewPayload {
  id: number;
  documentId: number;
  agencyKey: string;
  /** The source's text as read (positions index into it), or null when the bytes are not at hand. */
  source: { name: string; format: string; text: string } | null;
  report: Report;
  findings: StoredFinding[];
  corrections: Correction[];
  /** Why corrections cannot be made (no bytes to read again), if so. */
  readOnly: string | null;
}

/** A finding's identity for review purposes: rule and cells (stable across re-reading). */
export const findingKey = (rule: string, keys: readonly string[]) => `${rule}|${[...keys].sort().join(',')}`;

const CANONICAL = /^-?\d+(?:\.\d+)?$/;

/**
 * Lay corrections over a reading: the newest correction of a cell stands. `base` is the reading
 * before any correction, which the cells' `how` names as what was read.
 */
export function applyCorrections(report: Report, corrections: readonly Correction[], base: Report = report): Report {
  if (!corrections.length) return report;
  const cells = { ...report.cells };
  let meta = report.meta;
  for (const c of corrections) {
    if (c.key === DIVISION_KEY) {
      // the body's division, assigned by a reviewer: the reading's own is replaced
      if (c.to) {
        const division = assigned(report.meta.agency, c.to);
        meta = { ...meta, division, divisionCandidates: [], level: division.level };
      }
      continue;
    }
    const was = base.cells[c.key];
    const shown: Cell['shown'] = c.to === null ? 'blank' : Number(c.to) === 0 ? 'zero' : 'number';
    cells[c.key] = {
      key: c.key, value: c.to, shown, status: 'inferred', raw: was?.raw ?? '', position: was?.position ?? null,
      how: `corrected by ${c.who} at ${c.at} (was ${was?.status === 'ambiguous' ? `ambiguous: ${(was.candidates ?? []).map((v) => v ?? 'blank').join(' / ')}` : was?.value ?? 'blank'})`,
      ...(was?.unit ? { unit: was.unit } : {}),
    };
  }
  return { ...report, meta, cells };
}

/** The correction key of a body's division (a reviewer's assignment); every other key is a cell's. */
export const DIVISION_KEY = 'meta.division';

/** The bytes of a stored document: uploaded ones from the store, ingested ones from their path if unchanged. */
async function documentBytes(store: Store, documentId: number, hash: string): Promise<{ name: string; bytes: Uint8Array } | null> {
  const own = await store.db.selectFrom('originals').select(['name', 'data']).where('document_id', '=', documentId).executeTakeFirst();
  if (own) return { name: own.name, bytes: new Uint8Array(own.data) };
  // paths come from the store (recorded by `gongkai ingest`), never from a request; the bytes must still match
  const paths = await store.db.selectFrom('sources').select('path').where('document_id', '=', documentId).execute();
  for (const { path } of paths) {
    try {
      const bytes = await readFile(path);
      if (createHash('sha256').update(bytes).digest('hex') === hash) return { name: path.split(/[\\/]/).pop() ?? path, bytes };
    } catch { /* moved or deleted: try the next path */ }
  }
  return null;
}

export class NotFound extends Error {}

/** A stored report read again from its bytes (`base`, as read), with its corrections. */
interface Reading {
  row: { document_id: number; agency_key: string; region: string | null; year: number | null };
  corrections: Correction[];
  source: ReviewPayload['source'];
  /** The reading before corrections; null when the bytes are not at hand. */
  base: Report | null;
  /** The document as read, to extract again with the corrections as picks. */
  doc?: SourceDocument;
}

/** The newest value picked for each corrected cell. */
const pinsOf = (corrections: readonly Correction[]) => Object.fromEntries(corrections.filter((c) => c.key !== DIVISION_KEY).map((c) => [c.key, c.to]));

/**
 * The report with its corrections: read again with the picked values as constraints (a pick in a
 * squashed run narrows the run's other cells, and through the identities the table's), then the
 * picks laid over it.
 */
function corrected(r: Reading): Report {
  if (!r.base) throw new Invalid(READ_ONLY);
  if (!r.corrections.length) return r.base;
  const pinned = r.doc ? extract(r.doc, { pins: pinsOf(r.corrections) }) : r.base;
  return applyCorrections(pinned, r.corrections, r.base);
}

/**
 * Readings of stored documents, by their hash: the bytes do not change, so neither does their
 * reading. A PDF takes a second or two to read; the review page asks for it on every click.
 */
const READINGS = new Map<string, { source: NonNullable<ReviewPayload['source']>; base: Report; doc?: SourceDocument }>();
const READINGS_KEPT = 32;

async function reading(store: Store, id: number, pool: ReadPool): Promise<Reading> {
  const row = await store.db.selectFrom('reports').innerJoin('documents', 'documents.id', 'reports.document_id')
    .select(['reports.document_id', 'reports.agency_key', 'reports.region', 'reports.year', 'documents.hash'])
    .where('reports.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`no report ${id}`);
  const corrections = (await store.db.selectFrom('corrections').selectAll().where('document_id', '=', row.document_id).orderBy('id').execute())
    .map((c) => ({ id: c.id, key: c.key, from: c.from_value, to: c.to_value, who: c.who, at: c.at, note: c.note }));
  const kept = READINGS.get(row.hash);
  if (kept) {
    READINGS.delete(row.hash);
    READINGS.set(row.hash, kept);
    return { row, corrections, ...kept };
  }
  const got = await documentBytes(store, row.document_id, row.hash);
  if (!got) return { row, corrections, source: null, base: null };
  // read in a worker with the per-file budget, like every upload
  const r = await pool.run({ path: got.name, bytes: got.bytes, mode: 'review' });
  if (r.error || !r.report) throw new ReadError(r.error?.code ?? 'internal', r.error?.message ?? 'the document could not be read again');
  const fresh = { source: { name: got.name, format: r.format ?? 'text', text: r.text ?? '' }, base: r.report, ...(r.doc ? { doc: r.doc } : {}) };
  READINGS.set(row.hash, fresh);
  if (READINGS.size > READINGS_KEPT) READINGS.delete(READINGS.keys().next().value!);
  return { row, corrections, ...fresh };
}

const READ_ONLY = 'the source file is no longer where it was ingested from, so the report is shown as stored and cannot be corrected';

/** The page's payload from a reading: corrections laid over it, the stored findings with their reviews. */
async function payload(store: Store, id: number, r: Reading, given?: Report): Promise<ReviewPayload & { region: string | null; year: number | null }> {
  const report = given ?? (r.base ? corrected(r) : await storedReport(store, id));
  const findings = await storedFindings(store, id, r.row.agency_key, r.row.year);
  return {
    id, documentId: r.row.document_id, agencyKey: r.row.agency_key, region: r.row.region, year: r.row.year,
    source: r.source, report, findings, corrections: r.corrections, readOnly: r.base ? null : READ_ONLY,
  };
}

/** Everything the review page shows of one report. */
export async function loadReview(store: Store, id: number, pool: ReadPool): Promise<ReviewPayload & { region: string | null; year: number | null }> {
  return payload(store, id, await reading(store, id, pool));
}

/** A report rebuilt from the store alone (cells, sections, meta): enough to show, not to re-check. */
async function storedReport(store: Store, id: number): Promise<Report> {
  const r = await store.db.selectFrom('reports').innerJoin('documents', 'documents.id', 'reports.document_id').selectAll('reports').select(['documents.format', 'documents.bytes']).where('reports.id', '=', id).executeTakeFirstOrThrow();
  const cells = await store.db.selectFrom('cells').selectAll().where('report_id', '=', id).execute();
  const sections = await store.db.selectFrom('sections').selectAll().where('report_id', '=', id).orderBy('number').execute();
  const edition = r.edition as Report['meta']['edition'];
  const table = { found: true, edition, position: null, rows: [], missingRows: [] };
  return {
    schema: 'gongkai/report@1',
    source: { name: r.title ?? `report ${id}`, format: r.format ?? 'unknown', encoding: 'utf-8', bytes: Number(r.bytes) },
    meta: {
      title: r.title, agency: r.agency, region: r.region, level: r.level as Report['meta']['level'], bodyKind: r.body_kind as Report['meta']['bodyKind'],
      division: r.division ? { ...assigned(r.agency, r.division), via: 'name' } : null, divisionCandidates: [],
      year: r.year, published: r.published_on, publishedFrom: null, index: null, edition, editionEvidence: [],
    },
    sections: sections.map((s) => ({ number: s.number, title: s.title, text: s.text, position: { offset: 0, length: 0, line: 0, column: 0 }, lines: [] })),
    outline: [],
    tables: { t2: table, t3: table, t4: table },
    cells: Object.fromEntries(cells.map((c) => [c.key, { key: c.key, value: c.value, shown: c.shown as Cell['shown'], status: c.status as Cell['status'], raw: c.value ?? '', position: c.position ? decodePosition(c.position) : null }])),
    notes: [],
  };
}

async function storedFindings(store: Store, id: number, agencyKey: string, year: number | null): Promise<StoredFinding[]> {
  const rows = await store.db.selectFrom('findings').selectAll().where('report_id', '=', id).orderBy('id').execute();
  const reviews = await reviewStates(store, agencyKey, year);
  return rows.map((f) => {
    const keys = JSON.parse(f.keys) as string[];
    return {
      ruleId: f.rule_id, severity: f.severity as Finding['severity'], message: f.message, messageEn: f.message_en ?? f.message, keys,
      positions: f.position ? decodeFindingPositions(f.position) : [], scope: f.scope as 'report' | 'corpus', review: reviews.get(findingKey(f.rule_id, keys)) ?? null,
    };
  });
}

/** The standing review of each finding of a body's year (the newest row wins). */
async function reviewStates(store: Store, agencyKey: string, year: number | null): Promise<Map<string, ReviewState>> {
  const rows = await store.db.selectFrom('reviews').selectAll().where('agency_key', '=', agencyKey)
    .where((eb) => (year === null ? eb('year', 'is', null) : eb('year', '=', year))).orderBy('id').execute();
  return new Map(rows.map((r) => [findingKey(r.rule_id, JSON.parse(r.keys) as string[]), { status: r.status as ReviewState['status'], comment: r.comment, who: r.who, at: r.at }]));
}

export class Invalid extends Error {}

/**
 * Record a correction and re-check: the cell's new value (one of its candidates, or a number the
 * reviewer read from the source), stored with who and when; the report's stored cells, findings
 * and aggregates are replaced by the corrected reading's.
 */
export async function correct(store: Store, pool: ReadPool, id: number, who: string, key: string, to: string | null, note: string | null): Promise<ReviewPayload> {
  const r = await reading(store, id, pool);
  if (!r.base) throw new Invalid(READ_ONLY);
  const now = corrected(r);
  const cell = now.cells[key];
  // a cell the reading did not find (a scan, a row not found) may be typed in from the source:
  // any cell of the report's template
  const edition = now.meta.edition ?? '2021';
  if (!cell && ![...t2Keys(edition), ...t3Keys(edition), ...t4Keys()].includes(key)) throw new Invalid(`the report's template has no cell ${key}`);
  const allowed = cell?.candidates?.includes(to) || to === null || CANONICAL.test(to ?? '');
  if (!allowed) throw new Invalid(`“${to}” is neither one of the cell's candidates nor a number`);
  // the document extracted once more, with this value among the picks: it gives the report after
  // the correction, and says whether the value contradicts the printed digits
  const pinned = r.doc ? extract(r.doc, { pins: { ...pinsOf(r.corrections), [key]: to } }) : r.base;
  // a cell in doubt is a question about the printed digits: a value no reading of them gives
  // (with the values already picked in its row) contradicts them, and is refused
  if (cell?.status === 'ambiguous' && pinned.notes.some((n) => n.code === 'pin-contradiction' && n.keys?.includes(key))) {
    throw new Invalid(`“${to ?? '空白'}” contradicts the printed “${cell.raw}”${r.corrections.length ? ' with the values already picked in its row' : ''}; pick one of ${(cell.candidates ?? []).map((v) => v ?? '空白').join(' / ')}`);
  }
  const from = !cell || cell.status === 'ambiguous' ? null : cell.value;
  const at = new Date().toISOString();
  const added = await store.db.insertInto('corrections').values({ document_id: r.row.document_id, key, from_value: from, to_value: to, who, at, note }).returning('id').executeTakeFirstOrThrow();
  // the document was read once: the new correction joins the others on the same reading
  const after: Reading = { ...r, corrections: [...r.corrections, { id: added.id, key, from, to, who, at, note }] };
  const report = applyCorrections(pinned, after.corrections, r.base);
  await store.amend(id, report, check(report));
  return payload(store, id, after, report);
}

/**
 * Assign a report's body to a division (a name that fits several, a zone the gazetteer lacks, a
 * wrong guess of ours): stored as a correction with who and when, the report moved in the store
 * (its region, body key and aggregates), and the reading's notes about its place withdrawn.
 * `allow` is asked about the new region before anything is written.
 */
export async function assignDivision(store: Store, id: number, who: string, code: string, note: string | null, allow: (region: string | null) => boolean): Promise<{ division: DivisionRef; region: string | null }> {
  const row = await store.db.selectFrom('reports').innerJoin('documents', 'documents.id', 'reports.document_id')
    .select(['reports.document_id', 'reports.agency', 'reports.region', 'reports.division', 'reports.level', 'reports.body_kind', 'documents.hash'])
    .where('reports.id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`no report ${id}`);
  let division: DivisionRef;
  try {
    division = assigned(row.agency, code);
  } catch (e) {
    throw new Invalid((e as Error).message);
  }
  const to = placementAssigned({ agency: row.agency, region: row.region, level: row.level as Report['meta']['level'], bodyKind: row.body_kind as Report['meta']['bodyKind'] }, division, row.hash.slice(0, 16));
  if (!allow(to.region)) throw new OutOfScope(to.region);
  await store.db.insertInto('corrections').values({ document_id: row.document_id, key: DIVISION_KEY, from_value: row.division, to_value: code, who, at: new Date().toISOString(), note }).execute();
  await store.place(id, to, ['unresolved-body', 'division-variant']);
  return { division, region: to.region };
}

/** Confirm, dismiss or reopen a finding, with a comment. */
export async function reviewFinding(store: Store, id: number, who: string, rule: string, keys: string[], status: ReviewState['status'], comment: string | null): Promise<void> {
  if (!['confirmed', 'dismissed', 'open'].includes(status)) throw new Invalid(`status must be confirmed, dismissed or open (got “${status}”)`);
  const row = await store.db.selectFrom('reports').select(['agency_key', 'year']).where('id', '=', id).executeTakeFirst();
  if (!row) throw new NotFound(`no report ${id}`);
  const exists = await store.db.selectFrom('findings').select('id').where('report_id', '=', id).where('rule_id', '=', rule).where('keys', '=', JSON.stringify(keys)).executeTakeFirst();
  if (!exists) throw new Invalid(`report ${id} has no ${rule} finding on ${keys.join(', ') || 'the report'}`);
  await store.db.insertInto('reviews').values({ agency_key: row.agency_key, year: row.year, rule_id: rule, keys: JSON.stringify([...keys].sort()), status, comment, who, at: new Date().toISOString() }).execute();
}

/** Read, check and store one uploaded file (as ingest does it); returns its report id (an existing one for known bytes). */
/** A report outside the uploader's region: refused before anything is written. */
export class OutOfScope extends Error {
  readonly region: string | null;
  constructor(region: string | null) { super('outside the region'); this.region = region; }
}

/**
 * Store an upload. It is read in a worker with the per-file budget (a pathological file never
 * runs on the server's event loop), then `allow` is asked about the report's region, and only
 * then is anything written: a refused report leaves the store as it was.
 */
export async function storeUpload(store: Store, pool: ReadPool, name: string, bytes: Uint8Array, allow: (region: string | null) => boolean): Promise<{ id: number; known: boolean }> {
  const hash = createHash('sha256').update(bytes).digest('hex');
  const known = await store.db.selectFrom('documents').leftJoin('reports', 'reports.document_id', 'documents.id').select(['reports.id', 'reports.region', 'documents.error'])
    .where('documents.hash', '=', hash).executeTakeFirst();
  if (known?.id) {
    if (!allow(known.region)) throw new OutOfScope(known.region);
    return { id: known.id, known: true };
  }
  const result = await pool.run({ path: name, bytes });
  if (result.error) throw new ReadError(result.error.code, result.error.message);
  const region = regionOf(result.report!.meta);
  if (!allow(region)) throw new OutOfScope(region);
  const r = await store.write({ path: `upload:${name}`, hash, bytes: bytes.length, ...result, original: { name, data: bytes } });
  if (r.reportId === undefined) throw new Error('the store did not take the report');
  return { id: r.reportId, known: false };
}
