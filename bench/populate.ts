/**
 * A large store without reading files: the rows an ingest of `count` current reports would
 * leave in documents, reports, findings, report_agg and cell_agg (cells themselves are left
 * out: the dashboard and stats read the aggregates). Regions are real (the synth lists), years
 * 2019–2024, a third of reports with findings, publication dates around the deadlines.
 */
import { rmSync } from 'node:fs';
import { sql, type Insertable } from 'kysely';
import type { DB } from '../src/store/schema.ts';
import { Store } from '../src/store/store.ts';
import { EXPORT_KEYS } from '../src/store/export.ts';
import { PLACES } from '../src/synth/lists.ts';

const RULES: Array<[string, string]> = [['missing-cell', 'warning'], ['ambiguous-cell', 'warning'], ['t3-balance', 'error'], ['late-publication', 'warning'], ['t3-results-total', 'error'], ['injected-content', 'error']];

export async function populate(store: Store, count: number, onProgress?: (done: number) => void): Promise<number> {
  const regions = PLACES.flatMap((p) => [p.city, ...p.counties.map((c) => `${p.city}${c}`)]);
  const years = [2019, 2020, 2021, 2022, 2023, 2024];
  const keys = EXPORT_KEYS;
  let r = 1;
  const agg = new Map<string, { year: number; region: string; level: string; reports: number; cells: Float64Array; present: Int32Array }>();
  const BATCH = 1000;
  for (let done = 0; done < count; done += BATCH) {
    const reports: Array<Insertable<DB['reports']>> = [];
    const findings: Array<Insertable<DB['findings']>> = [];
    for (let k = 0; k < BATCH && done + k < count; k++, r++) {
      const region = regions[r % regions.length]!;
      const year = years[Math.floor(r / regions.length) % years.length]!;
      const level = region.length > 4 ? 'county' : 'city';
      const government = r % 5 === 0;
      // most publish in the weeks before the deadline, some after it
      const day = (r * 7919) % 120;
      const published = new Date(Date.UTC(year + 1, 0, 1 + day)).toISOString().slice(0, 10);
      reports.push({ document_id: r, agency_key: `${region}|body${Math.floor(r / (regions.length * years.length))}`, agency: `${region}body${r % 97}`, region, level, body_kind: government ? 'government' : 'department', year, edition: year >= 2021 ? '2021' : '2019', published_on: r % 11 === 0 ? null : published, title: null, current: 1, repetition: null, corpus_checked_at: 'x' });
      if (r % 3 === 0) {
        const [rule, severity] = RULES[r % RULES.length]!;
        findings.push({ report_id: r, rule_id: rule, severity, message: '', message_en: null, keys: '[]', position: null, scope: 'report' });
      }
      const g = `${year}|${region}|${level}`;
      const a = agg.get(g) ?? { year, region, level, reports: 0, cells: new Float64Array(keys.length), present: new Int32Array(keys.length) };
      a.reports++;
      for (let c = 0; c < keys.length; c++) if ((r + c) % 7 !== 0) { a.cells[c]! += (r * 31 + c) % 13; a.present[c]!++; }
      agg.set(g, a);
    }
    await store.db.transaction().execute(async (tx) => {
      await tx.insertInto('documents').values(reports.map((x) => ({ hash: `h${x.document_id}`, format: 'text', bytes: 1, ingested_at: 'x', error_code: null, error: null }))).execute();
      await tx.insertInto('reports').values(reports).execute();
      if (findings.length) await tx.insertInto('findings').values(findings).execute();
    });
    onProgress?.(Math.min(count, done + BATCH));
  }
  for (const a of agg.values()) {
    await store.db.insertInto('report_agg').values({ year: a.year, region: a.region, level: a.level, reports: a.reports }).execute();
    const rows = keys.map((key, c) => ({ year: a.year, region: a.region, level: a.level, key, total: a.cells[c]!, present: a.present[c]! }));
    for (let i = 0; i < rows.length; i += 200) await store.db.insertInto('cell_agg').values(rows.slice(i, i + 200)).execute();
  }
  await sql`analyze`.execute(store.db);
  return agg.size;
}

/** An empty store: the SQLite file removed, or every table of the PostgreSQL database dropped (migrations included). */
export async function fresh(url: string | undefined, file: string): Promise<Store> {
  if (!url) {
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${file}${suffix}`, { force: true });
    return Store.open(file);
  }
  const s = await Store.open(url);
  for (const t of ['audit', 'web_sessions', 'users', 'reviews', 'corrections', 'originals', 'sketches', 'findings', 'sections', 'cells', 'cell_agg', 'report_agg', 'reports', 'sources', 'documents', 'kysely_migration', 'kysely_migration_lock']) {
    await s.db.schema.dropTable(t).ifExists().cascade().execute();
  }
  await s.close();
  return Store.open(url);
}
