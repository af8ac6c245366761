/**
 * Comparisons: one body across years (every cell's trend, and whether each year's 上年结转
 * continues the year before's 结转下年度), two bodies side by side, bodies found by name.
 */
import { sql } from 'kysely';
import { T3_COLUMNS } from '../schema/editions.ts';
import { escapeLike } from '../store/query.ts';
import type { Store } from '../store/store.ts';

/** Bodies whose name or region contains the text, within the scope. */
export async function searchBodies(store: Store, text: string, scope: string, limit = 50) {
  const like = sql<string>`${`%${escapeLike(text)}%`} escape '\\'`;
  const rows = await store.db.selectFrom('reports')
    .select(['agency_key', sql<string>`max(agency)`.as('agency'), sql<string>`max(region)`.as('region'), sql<string>`max(level)`.as('level'), sql<number>`count(*)`.as('years'), sql<number>`max(year)`.as('last')])
    .where('current', '=', 1)
    .where((eb) => eb.or([eb('agency', 'like', like), eb('region', 'like', like)]))
    .$call((q) => (scope ? q.where('region', 'like', sql<string>`${`${escapeLike(scope)}%`} escape '\\'`) : q))
    .groupBy('agency_key').orderBy('agency_key').limit(limit).execute();
  return rows.map((r) => ({ ...r, years: Number(r.years), last: Number(r.last) }));
}

export interface BodyYears {
  key: string;
  agency: string | null;
  region: string | null;
  reports: Array<{ id: number; year: number; edition: string | null; published: string | null }>;
  /** key → year → value (null: blank or undetermined). */
  cells: Record<string, Record<number, string | null>>;
  /** Each year after the first: its 上年结转 against the year before's 结转下年度, per column. */
  continuity: Array<{ year: number; column: string; carried: string | null; previous: string | null; ok: boolean | null }>;
}

export async function bodyYears(store: Store, key: string): Promise<BodyYears | null> {
  const reps = await store.db.selectFrom('reports').select(['id', 'year', 'agency', 'region', 'edition', 'published_on'])
    .where('agency_key', '=', key).where('current', '=', 1).where('year', 'is not', null).orderBy('year').execute();
  if (!reps.length) return null;
  const cells = await store.db.selectFrom('cells').select(['report_id', 'key', 'value', 'status']).where('report_id', 'in', reps.map((r) => r.id)).execute();
  const yearOf = new Map(reps.map((r) => [r.id, r.year!]));
  const out: BodyYears['cells'] = {};
  for (const c of cells) (out[c.key] ??= {})[yearOf.get(c.report_id)!] = c.status === 'ambiguous' ? null : c.value;
  const continuity: BodyYears['continuity'] = [];
  for (const r of reps) {
    if (!reps.some((p) => p.year === r.year! - 1)) continue;
    for (const col of T3_COLUMNS) {
      const carried = out[`t3.carried.${col.id}`]?.[r.year!] ?? null;
      const previous = out[`t3.carry_next.${col.id}`]?.[r.year! - 1] ?? null;
      continuity.push({ year: r.year!, column: col.label, carried, previous, ok: carried === null || previous === null ? null : Number(carried) === Number(previous) });
    }
  }
  const last = reps[reps.length - 1]!;
  return { key, agency: last.agency, region: last.region, reports: reps.map((r) => ({ id: r.id, year: r.year!, edition: r.edition, published: r.published_on })), cells: out, continuity };
}
