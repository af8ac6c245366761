/**
 * Comparisons: one body across years (every cell's trend, and whether each year's 上年结转
 * continues the year before's 结转下年度), two bodies side by side, bodies found by name.
 */
import { sql } from 'kysely';
import { T3_COLUMNS } from '../schema/editions.ts';
import { regionParts } from '../extract/body.ts';
import { canonicalRegion } from '../store/place.ts';
import { escapeLike } from '../store/query.ts';
import type { Store } from '../store/store.ts';

const LEVEL_RANK: Record<string, number> = { national: 0, province: 1, city: 2, county: 3, township: 4 };

/**
 * How well a body's name answers the text typed: in its own name (民政 in 民政局, first where the
 * name starts with it), in its region's name (洪泽 in 洪泽区人民政府), or only across the words of
 * 人民政府 (民政 in 人民政府: no match at all).
 */
export function nameScore(agency: string | null, region: string | null, text: string): number {
  const own = agency ? regionParts(agency).rest : '';
  if (own.startsWith(text)) return 4;
  if (own.replace(/人民政府/g, '　').includes(text)) return 3;
  if ((agency ?? '').replace(/人民政府/g, '　').includes(text)) return 2;
  return (region ?? '').includes(text) ? 1 : 0;
}

/**
 * Bodies whose name or region contains the text, within the scope (a division's full name, or
 * a name the store's regions start with), best answers first: by how the name matches, then
 * by level (a province's before a township's), region and name.
 */
export async function searchBodies(store: Store, text: string, scope: string, limit = 50) {
  const like = sql<string>`${`%${escapeLike(text)}%`} escape '\\'`;
  const within = scope ? canonicalRegion(scope) : '';
  const rows = await store.db.selectFrom('reports')
    .select(['agency_key', sql<string>`max(agency)`.as('agency'), sql<string>`max(region)`.as('region'), sql<string>`max(level)`.as('level'), sql<number>`count(*)`.as('years'), sql<number>`max(year)`.as('last')])
    .where('current', '=', 1)
    .where((eb) => eb.or([eb('agency', 'like', like), eb('region', 'like', like)]))
    .$call((q) => (within ? q.where('region', 'like', sql<string>`${`${escapeLike(within)}%`} escape '\\'`) : q))
    // enough candidates to rank (a name as short as 局 matches thousands: the ranking keeps the best of the first 2,000)
    .groupBy('agency_key').orderBy('agency_key').limit(2000).execute();
  return rows.map((r) => ({ ...r, years: Number(r.years), last: Number(r.last), score: nameScore(r.agency, r.region, text) }))
    .filter((r) => r.score > 0)
    .sort((a, b) => b.score - a.score || (LEVEL_RANK[a.level ?? ''] ?? 9) - (LEVEL_RANK[b.level ?? ''] ?? 9) || (a.region ?? '').localeCompare(b.region ?? '', 'zh') || (a.agency ?? '').localeCompare(b.agency ?? '', 'zh'))
    .slice(0, limit)
    .map(({ score: _score, ...r }) => r);
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
