/**
 * The dashboard's questions, each answered from the aggregate tables or an index, never a scan
 * of the cells: a 100,000-report store answers each in well under 200 ms (bench/serve.bench.ts).
 *
 * The rule filter narrows what is counted per report (findings, regions, publication dates, the
 * report list). Cell totals come from the aggregates, which know no findings; with a rule
 * filter they still cover the whole selection, and the response says so.
 */
import { sql } from 'kysely';
import { T3_COLUMNS, T3_ROWS } from '../schema/editions.ts';
import { findingCounts, parseWhere, rates, selected, totals, type CellSum, type Rate, type Selection, MIN_SAMPLE } from '../store/query.ts';
import type { Store } from '../store/store.ts';
import { gazetteer, type Division, type Gazetteer } from '../schema/divisions.ts';
import { regionDivision } from '../store/place.ts';

export interface Filters extends Selection { rule?: string }

/** Query-string filters: year=2023 or 2021..2023, region, level, agency (as `--where` takes them), rule. */
export function parseFilters(q: Record<string, unknown>): Filters {
  const str = (k: string) => (typeof q[k] === 'string' && (q[k] as string).trim() ? (q[k] as string).trim().slice(0, 100) : undefined);
  const terms = (['year', 'region', 'level', 'agency'] as const).flatMap((k) => { const v = str(k); return v ? [`${k}=${v}`] : []; });
  let f: Filters;
  try { f = parseWhere(terms); } catch (e) { throw new RangeError((e as Error).message.replace(/^--where takes/, 'filters are')); }
  if ((f.years?.length ?? 0) > 50) throw new RangeError('a year range spans at most 50 years');
  const rule = str('rule');
  return rule ? { ...f, rule } : f;
}

/**
 * Current reports of the selection that have a finding of the rule, if one is filtered on.
 * Written as `id IN (reports with the rule)`: as a correlated EXISTS, SQLite scanned every report
 * and searched its findings (4 s a call on 1,000 reports); this way it reads the rule's index.
 */
function filtered(store: Store, f: Filters) {
  const q = selected(store, f);
  return f.rule ? q.where('reports.id', 'in', store.db.selectFrom('findings').select('findings.report_id').where('findings.rule_id', '=', f.rule)) : q;
}

const APPLICANTS = T3_COLUMNS.filter((c) => c.id !== 'total');
const DENIALS = T3_ROWS['2021'].filter((r) => r.id.startsWith('denied.'));
/** The outcome groups of table 三's results (2019's 其他处理 is one row, 2021's three: summed). */
const OUTCOMES = [
  { id: 'granted', label: '予以公开', rows: ['granted'] },
  { id: 'partial', label: '部分公开', rows: ['partial'] },
  { id: 'denied', label: '不予公开', rows: DENIALS.map((r) => r.id) },
  { id: 'unable', label: '无法提供', rows: ['unable.no_info', 'unable.must_create', 'unable.unclear'] },
  { id: 'rejected', label: '不予处理', rows: ['rejected.complaint', 'rejected.repeat', 'rejected.publication', 'rejected.mass', 'rejected.confirm'] },
  { id: 'other', label: '其他处理', rows: ['other', 'other.no_correction', 'other.no_fee', 'other.other'] },
];

/** The cells the charts and rates read (a few dozen of the ~250 the aggregates hold per group). */
const CHART_KEYS = [...new Set([
  ...T3_COLUMNS.map((c) => `t3.new.${c.id}`),
  ...OUTCOMES.flatMap((o) => o.rows.map((r) => `t3.${r}.total`)),
  't3.results_total.total',
  ...['review', 'suit_direct', 'suit_after'].flatMap((g) => ['corrected', 'total', 'pending'].map((c) => `t4.${g}.${c}`)),
])];

export interface Dashboard {
  reports: number;
  /** Applications received (本年新收) per year, by applicant type. */
  applicants: { years: number[]; series: Array<{ id: string; label: string; values: Array<number | null> }> };
  outcomes: Array<{ id: string; label: string; value: number }>;
  denials: Array<{ id: string; label: string; value: number }>;
  rates: { overall: Rate[]; byYear: Array<{ year: number; review: Rate; litigation: Rate; substantive: Rate }> };
  note: string | null;
}

/** The cell charts, all from one aggregate query grouped by year. */
export async function cellCharts(store: Store, f: Filters): Promise<Dashboard> {
  const byYear = await totals(store, ['year'], f, CHART_KEYS);
  const years = byYear.map((g) => Number(g.group.year));
  const cell = (g: (typeof byYear)[number], key: string) => g.cells.get(key)?.total ?? 0;
  const all = new Map<string, CellSum>();
  for (const g of byYear) for (const [k, v] of g.cells) {
    const a = all.get(k) ?? { total: 0, present: 0, missing: 0 };
    all.set(k, { total: a.total + v.total, present: a.present + v.present, missing: a.missing + v.missing });
  }
  const sum = (keys: string[]) => keys.reduce((n, k) => n + (all.get(k)?.total ?? 0), 0);
  const pick = (r: Rate[], id: string) => r.find((x) => x.id === id)!;
  return {
    reports: byYear.reduce((n, g) => n + g.reports, 0),
    applicants: {
      years,
      series: APPLICANTS.map((c) => ({ id: c.id, label: c.label, values: byYear.map((g) => (g.cells.has(`t3.new.${c.id}`) ? cell(g, `t3.new.${c.id}`) : null)) })),
    },
    outcomes: OUTCOMES.map((o) => ({ id: o.id, label: o.label, value: sum(o.rows.map((r) => `t3.${r}.total`)) })),
    denials: DENIALS.map((r) => ({ id: r.id, label: r.label.replace(/^\d\./, ''), value: sum([`t3.${r.id}.total`]) })),
    rates: {
      overall: rates(all),
      byYear: byYear.map((g) => {
        const r = rates(g.cells);
        return { year: Number(g.group.year), review: pick(r, 'review_correction'), litigation: pick(r, 'litigation_loss'), substantive: pick(r, 'substantive') };
      }),
    },
    note: f.rule ? 'the numbers of the tables cover the whole selection; the rule filter narrows the findings, regions, dates and reports' : null,
  };
}

export async function ruleCounts(store: Store, f: Filters) {
  const rows = await findingCounts(store, f);
  return f.rule ? rows.filter((r) => r.rule === f.rule) : rows;
}

/** How many of the rows' reports have an error-level finding (each report's count is kept on it). */
const withErrors = sql<number>`sum(case when reports.errors > 0 then 1 else 0 end)`;

/** Regions ranked by the share of their reports with an error-level finding. */
export async function regionDefects(store: Store, f: Filters) {
  const reports = await filtered(store, f)
    .select(['reports.region', sql<number>`count(*)`.as('n'), withErrors.as('bad')]).groupBy('reports.region').execute();
  const errors = new Map(reports.map((r) => [r.region, Number(r.bad)]));
  // the sample guard of `stats`: a region with a handful of reports is not ranked by its rate
  // (one report with an error is not a 100% region); it is listed after the ranked ones
  return reports.map((r) => {
    const n = Number(r.n);
    const withErrors = errors.get(r.region) ?? 0;
    return { region: r.region, reports: n, withErrors, rate: n >= MIN_SAMPLE.reports ? withErrors / n : null };
  }).sort((a, b) => (b.rate ?? -1) - (a.rate ?? -1) || b.reports - a.reports);
}

export interface MapArea {
  code: string;
  name: string;
  reports: number;
  withErrors: number;
  /** Share of the reports with an error-level finding; null below the sample guard. */
  rate: number | null;
  /** Counties (not zones) under the area whose government has a report for `year`, of `counties`. */
  published: number;
  counties: number;
  coverage: number | null;
}

/**
 * The dashboard's map: every province or city (地级) of the gazetteer within the selection's
 * region, with its reports, error rate and coverage — the share of its counties whose government
 * has a report for the selection's latest year. Areas with no report are listed too (coverage
 * 0): on a map, the blank places are the news.
 */
export async function mapAreas(store: Store, f: Filters, level: 'province' | 'city'): Promise<{ year: number | null; areas: MapArea[] }> {
  const g = gazetteer();
  const width = level === 'province' ? 2 : 4;
  const top = f.region ? regionDivision(f.region) : null;
  // the one area the selected region lies in, or the areas within it (all of China without one)
  const around = top ? g.path(top).find((d) => d.level === level) : undefined;
  const units = around ? [around] : (top ? [top] : g.provinces()).flatMap((p) => (level === 'province' ? [p] : citiesOf(g, p)));
  const prefix = sql<string>`substr(reports.division, 1, ${width})`;
  const counts = await filtered(store, f).where('reports.division', 'is not', null)
    .select([prefix.as('p'), sql<number>`count(*)`.as('n'), withErrors.as('bad')]).groupBy(prefix).execute();
  const years = await filtered(store, f).select(sql<number>`max(reports.year)`.as('y')).executeTakeFirst();
  const year = years?.y ? Number(years.y) : null;
  const govs = year === null ? [] : await selected(store, { ...f, years: [year] }).where('reports.body_kind', '=', 'government').where('reports.level', '=', 'county')
    .where('reports.division', 'is not', null).select('reports.division').distinct().execute();
  const n = new Map(counts.map((r) => [r.p, Number(r.n)]));
  const e = new Map(counts.map((r) => [r.p, Number(r.bad)]));
  const published = new Map<string, number>();
  for (const r of govs) {
    const d = g.get(r.division!);
    if (!d || d.zone || d.level !== 'county') continue;
    const p = r.division!.slice(0, width);
    published.set(p, (published.get(p) ?? 0) + 1);
  }
  return {
    year,
    areas: units.map((u) => {
      const p = u.code.slice(0, width);
      const reports = n.get(p) ?? 0;
      const withErrors = e.get(p) ?? 0;
      const counties = g.under(u.code, 'county').filter((d) => !d.zone).length;
      const pub = published.get(p) ?? 0;
      return {
        code: u.code, name: u.name, reports, withErrors, rate: reports >= MIN_SAMPLE.reports ? withErrors / reports : null,
        published: pub, counties, coverage: counties && year !== null ? pub / counties : null,
      };
    }),
  };
}

/** The areas of the city map in a province: its cities and the counties it governs directly (仙桃市); a municipality is one area. */
function citiesOf(g: Gazetteer, p: Division): Division[] {
  const cities = g.children(p.code).filter((d) => d.level === 'city');
  return cities.length ? g.children(p.code) : [p];
}

/**
 * Publication dates against the deadline of each report (31 January of the next year for a
 * department, 31 March for a government's own report), in weeks: negative is early.
 */
export async function publication(store: Store, f: Filters) {
  const rows = await filtered(store, f).where('reports.published_on', 'is not', null).where('reports.year', 'is not', null)
    .select(['reports.year', 'reports.body_kind', 'reports.published_on', sql<number>`count(*)`.as('n')])
    .groupBy(['reports.year', 'reports.body_kind', 'reports.published_on']).execute();
  const undated = await filtered(store, f).where('reports.published_on', 'is', null).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  const MIN = -12; const MAX = 16;
  const weeks = Array.from({ length: MAX - MIN + 1 }, (_, i) => MIN + i);
  const bins = { department: weeks.map(() => 0), government: weeks.map(() => 0) };
  let late = 0; let dated = 0;
  for (const r of rows) {
    const kind = r.body_kind === 'government' ? 'government' : 'department';
    const deadline = Date.UTC(r.year! + 1, kind === 'government' ? 2 : 0, 31);
    const days = (Date.parse(`${r.published_on}T00:00:00Z`) - deadline) / 86_400_000;
    if (!Number.isFinite(days)) continue;
    const w = Math.min(MAX, Math.max(MIN, Math.ceil(days / 7)));
    bins[kind][w - MIN]! += Number(r.n);
    dated += Number(r.n);
    if (days > 0) late += Number(r.n);
  }
  return { weeks, department: bins.department, government: bins.government, dated, late, undated: Number(undated?.n ?? 0) };
}

export type SortKey = 'agency' | 'region' | 'year' | 'published' | 'errors' | 'warnings';
const SORTS: Record<SortKey, string> = { agency: 'reports.agency', region: 'reports.region', year: 'reports.year', published: 'reports.published_on', errors: 'reports.errors', warnings: 'reports.warnings' };

/** A page of the selection's reports, with their finding counts, sorted. */
export async function reportList(store: Store, f: Filters, sort: string, desc: boolean, offset: number, limit: number) {
  const by = SORTS[sort as SortKey] ?? SORTS.year;
  // each report's error and warning counts are kept on it (tallyFindings): sorting by them reads an index
  const rows = await filtered(store, f)
    .select(['reports.id', 'reports.agency', 'reports.region', 'reports.level', 'reports.year', 'reports.published_on', 'reports.body_kind', 'reports.errors', 'reports.warnings'])
    .orderBy(sql.ref(by), desc ? 'desc' : 'asc').orderBy('reports.id').offset(offset).limit(limit).execute();
  const total = await filtered(store, f).select(sql<number>`count(*)`.as('n')).executeTakeFirst();
  return { total: Number(total?.n ?? 0), rows: rows.map((r) => ({ ...r, errors: Number(r.errors), warnings: Number(r.warnings) })) };
}
