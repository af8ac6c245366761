/**
 * Questions asked of a corpus: totals of every cell over a selection, the rates users ask for,
 * findings by rule, coverage, roll-ups and exports. Missing stays missing: a blank cell is never
 * counted as 0, and every total says how many reports lacked the cell.
 */
import { SUMMARY_KEYS, SUMMARY_VERSION, t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import { sql, type ExpressionBuilder, type SelectQueryBuilder } from 'kysely';
import type { DB } from './schema.ts';
import { gazetteer, prefixOf, type DivisionLevel } from '../schema/divisions.ts';
import { canonicalRegion, regionCandidates, regionDivision } from './place.ts';
import type { Store } from './store.ts';

/** Where each summary cell stands in a report's summary (after the version). */
const SUMMARY_AT = new Map(SUMMARY_KEYS.map((k, i) => [k, i]));

export type GroupBy = 'year' | 'region' | 'level' | 'agency';

export interface Selection {
  years?: number[];
  /**
   * A region and everything under it: a division code or name (淮安市 selects 江苏省淮安市洪泽区
   * too; see `canonicalRegion`), or a prefix of the printed region of unplaced bodies.
   */
  region?: string;
  level?: string;
  /** Part of the body's name. */
  agency?: string;
}

/** Parse `--where` terms: year=2023, year=2021..2023, region=淮安市, level=county, agency=民政. */
export function parseWhere(terms: string[]): Selection {
  const sel: Selection = {};
  for (const t of terms) {
    const m = /^(year|region|level|agency)\s*=\s*(.+)$/.exec(t.trim());
    if (!m) throw new Error(`--where takes year=…, region=…, level=… or agency=… (got “${t}”)`);
    const v = m[2]!.trim();
    if (m[1] === 'year') {
      const r = /^(\d{4})(?:\.\.(\d{4}))?$/.exec(v);
      if (!r) throw new Error(`year=${v}: give a year (2023) or a range (2021..2023)`);
      const from = Number(r[1]);
      const to = Number(r[2] ?? r[1]);
      sel.years = Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);
    } else if (m[1] === 'level') {
      if (!['national', 'province', 'city', 'county', 'township'].includes(v)) throw new Error(`level=${v}: one of national, province, city, county, township`);
      sel.level = v;
    } else sel[m[1] as 'region' | 'agency'] = v;
  }
  return sel;
}

/** A LIKE pattern's literal part (`%`, `_` and `\\` escaped; use with escape '\\'). */
export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * The strings that start with `prefix`, as a range [from, to) in code point order — the order of
 * SQLite's default (binary) collation of UTF-8 text — or null where a range is not the same set
 * as SQLite's LIKE: LIKE ignores the case of ASCII letters. A range is read from an index; `LIKE
 * 'x%'` is not, under SQLite's default settings, and read every row of the aggregates (a city's
 * totals over every year took 0.5 s on a store of 20,000 groups, 17 ms as a range).
 */
export function prefixRange(prefix: string): [string, string] | null {
  if (prefix === '' || /[A-Za-z]/.test(prefix)) return null;
  const chars = [...prefix];
  const next = chars.pop()!.codePointAt(0)! + 1;
  if (next > 0x10ffff || (next >= 0xd800 && next <= 0xdfff)) return null;
  return [prefix, chars.join('') + String.fromCodePoint(next)];
}

/**
 * The selection as conditions on a table with year, region and level columns. `aggregate`, the
 * aggregate table queried: on PostgreSQL a region with no year asks for every year of it in turn
 * (`year = any(…)`: 0, where rule_agg counts reports with no year, and the table's own first to
 * last year), as PostgreSQL does not skip through an index's first column the way SQLite does: the
 * aggregates' indexes start with the year (and the key), then the region.
 */
function whereGroup<T extends 'cell_agg' | 'report_agg' | 'rule_agg' | 'cell_top' | 'rule_top' | 'reports'>(sel: Selection, engine: Store['engine'], aggregate?: 'cell_agg' | 'report_agg' | 'rule_agg') {
  return (eb: ExpressionBuilder<DB, T>) => {
    const and = [];
    const col = (c: string) => eb.ref(c as never);
    if (sel.years?.length) and.push(eb(col('year'), 'in', sel.years as never));
    else if (sel.region && aggregate && engine === 'postgres') {
      const t = sql.table(aggregate);
      and.push(sql<boolean>`${col('year')} = any(array(select 0 union all select generate_series((select min(year) from ${t} where year > 0), (select max(year) from ${t}))))` as never);
    }
    const region = sel.region ? canonicalRegion(sel.region) : null;
    const range = region !== null && engine === 'sqlite' ? prefixRange(region) : null;
    if (range) and.push(eb(col('region'), '>=', range[0] as never), eb(col('region'), '<', range[1] as never));
    else if (region !== null) and.push(eb(col('region'), 'like', sql`${`${escapeLike(region)}%`} escape '\\'` as never));
    if (sel.level) and.push(eb(col('level'), '=', sel.level as never));
    return eb.and(and);
  };
}

/** Groups whose every cell total is read by one statement (`totals` without `keys`). */
const GROUPS_A_PAGE = 2000;

/** The order groups are listed in: `localeCompare`'s, with its collator made once. */
const BY_LOCALE = new Intl.Collator();

/** A cell's totals over a group. */
export interface CellSum {
  /** Sum of the reports that have a number in the cell. */
  total: number;
  /** Reports with a number in it. */
  present: number;
  /** Reports of the group that lack it (blank, ambiguous or not in their template). */
  missing: number;
}

export interface GroupTotals {
  group: Record<string, string | number | null>;
  reports: number;
  cells: CellTotals;
}

/** The cell keys of one question's groups, each given a place the first time it is seen. */
class KeyIndex {
  readonly keys: string[] = [];
  private readonly at = new Map<string, number>();
  /** The key's place, given it when new. */
  of(key: string): number {
    let i = this.at.get(key);
    if (i === undefined) { i = this.keys.length; this.keys.push(key); this.at.set(key, i); }
    return i;
  }
  find(key: string): number | undefined { return this.at.get(key); }
}

const NONE = new Float64Array(0);

/**
 * A group's cell totals, read like a map from cell key to its CellSum (a cell no report of the
 * group has a number in is not there). Kept as two arrays over the question's key index, not a
 * map of objects: by year and region a store holds 20,000 groups × 226 cells, 4.5 million
 * objects that took a gigabyte and a second of adding up.
 */
export class CellTotals implements Iterable<[string, CellSum]> {
  private total: Float64Array;
  private present: Float64Array;
  private reports = 0;
  private readonly index: KeyIndex;

  constructor(index: KeyIndex) {
    this.index = index;
    // (made when the first cell is added: a question of a few cells has a few places, every cell's some 226)
    this.total = NONE;
    this.present = NONE;
  }

  add(key: string, total: number, present: number): void {
    const i = this.index.of(key);
    if (i >= this.total.length) {
      const grown = Math.max(this.index.keys.length + 16, this.total.length * 2);
      const t = new Float64Array(grown); t.set(this.total); this.total = t;
      const p = new Float64Array(grown); p.set(this.present); this.present = p;
    }
    this.total[i]! += total;
    this.present[i]! += present;
  }

  /** The group's report count: each cell's `missing` is counted from it. */
  settle(reports: number): void { this.reports = reports; }

  private at(key: string): number {
    const i = this.index.find(key);
    return i !== undefined && i < this.present.length && this.present[i]! > 0 ? i : -1;
  }

  /** Place i's totals. */
  private sum(i: number): CellSum {
    return { total: this.total[i]!, present: this.present[i]!, missing: this.reports - this.present[i]! };
  }

  get(key: string): CellSum | undefined {
    const i = this.at(key);
    return i < 0 ? undefined : this.sum(i);
  }

  has(key: string): boolean { return this.at(key) >= 0; }

  /** Leave a cell out of the group. */
  delete(key: string): boolean {
    const i = this.at(key);
    if (i < 0) return false;
    this.total[i] = 0;
    this.present[i] = 0;
    return true;
  }

  get size(): number {
    let n = 0;
    for (let i = 0; i < this.present.length; i++) if (this.present[i]! > 0) n++;
    return n;
  }

  *keys(): IterableIterator<string> {
    for (let i = 0; i < this.present.length; i++) if (this.present[i]! > 0) yield this.index.keys[i]!;
  }

  *[Symbol.iterator](): IterableIterator<[string, CellSum]> {
    for (let i = 0; i < this.present.length; i++) {
      if (this.present[i]! > 0) yield [this.index.keys[i]!, this.sum(i)];
    }
  }
}

/**
 * Totals of every cell per group, over current reports. Grouped by year, region and level with
 * no agency filter, this reads the aggregate tables (a million reports answer in milliseconds);
 * by agency, or filtered by agency, it sums the cells themselves. `keys` limits the cells summed;
 * `page` is how many groups' every cell one statement reads (GROUPS_A_PAGE; the tests ask for fewer).
 */
export async function totals(store: Store, by: GroupBy[], sel: Selection, keys?: readonly string[], opts: { page?: number } = {}): Promise<GroupTotals[]> {
  const page = opts.page ?? GROUPS_A_PAGE;
  const fast = !by.includes('agency') && !sel.agency;
  const groups = new Map<string, GroupTotals>();
  /** A group's key from its values of the `by` columns, in order. */
  const groupKey = (values: unknown[]) => values.map((v) => String(v ?? '')).join('\u0001');
  const keyOf = (row: Record<string, unknown>) => groupKey(by.map((b) => row[b]));
  const groupOf = (row: Record<string, unknown>) => Object.fromEntries(by.map((b) => [b, (row[b] ?? null) as string | number | null]));
  const index = new KeyIndex();
  const newGroup = (group: GroupTotals['group'], reports: number): GroupTotals => ({ group, reports, cells: new CellTotals(index) });
  const add = (g: GroupTotals | undefined, key: string, total: number, present: number) => { g?.cells.add(key, total, present); };
  /** Each cell counts the reports of its group lacking it (one no report has a number in is left out). */
  const settle = () => { for (const g of groups.values()) g.cells.settle(g.reports); };
  /**
   * By body, or a selection by body: from each report's summary (one row a report), not from its
   * cells (the dashboard's agency filter summed 440,000 cells a call). False, with nothing added,
   * when a summary is of another version than this code's (its reports are summed from cells).
   */
  const fromSummaries = async (wanted: readonly string[]): Promise<boolean> => {
    const at = wanted.map((k) => SUMMARY_AT.get(k)! + 1);
    const rows = await selected(store, sel).select([...by.map((b) => sql.ref(b === 'agency' ? 'reports.agency' : `reports.${b}`).as(b)), 'reports.summary'] as never).execute() as Array<Record<string, unknown>>;
    const sums = new Map<GroupTotals, { total: Float64Array; present: Int32Array }>();
    for (const r of rows) {
      const v = JSON.parse(String(r.summary ?? 'null')) as Array<number | string | null> | null;
      if (!Array.isArray(v) || v[0] !== SUMMARY_VERSION) { groups.clear(); return false; }
      const k = keyOf(r);
      let g = groups.get(k);
      if (!g) groups.set(k, (g = newGroup(groupOf(r), 0)));
      g.reports++;
      let s = sums.get(g);
      if (!s) sums.set(g, (s = { total: new Float64Array(at.length), present: new Int32Array(at.length) }));
      for (let i = 0; i < at.length; i++) {
        const n = v[at[i]!];
        if (typeof n === 'number') { s.total[i]! += n; s.present[i]!++; }
      }
    }
    for (const [g, s] of sums) for (let i = 0; i < at.length; i++) if (s.present[i]! > 0) add(g, wanted[i]!, s.total[i]!, s.present[i]!);
    return true;
  };
  /**
   * By region, a few of the summary cells: from each year-region-level group's summary (one row
   * a group, `report_agg.summary`), not from its cell totals (eleven cells of 20,000 groups were
   * 220,000 entries to read and add up). False, with nothing added, when a group's summary is
   * missing or of another version than this code's (the cell totals are read instead).
   */
  const fromGroupSummaries = async (wanted: readonly string[]): Promise<boolean> => {
    const at = wanted.map((k) => 1 + 2 * SUMMARY_AT.get(k)!);
    const cols = by as Array<'year' | 'region' | 'level'>;
    const rows = await store.db.selectFrom('report_agg').select([...cols, 'reports', 'summary'])
      .where(whereGroup<'report_agg'>(sel, store.engine, 'report_agg')).execute() as Array<Record<string, unknown>>;
    const sums = new Map<string, { row: Record<string, unknown>; reports: number; total: Float64Array; present: Int32Array }>();
    for (const r of rows) {
      const v = JSON.parse(String(r.summary ?? 'null')) as Array<number | string> | null;
      if (!Array.isArray(v) || v[0] !== SUMMARY_VERSION) return false;
      const k = keyOf(r);
      let s = sums.get(k);
      if (!s) sums.set(k, (s = { row: r, reports: 0, total: new Float64Array(at.length), present: new Int32Array(at.length) }));
      s.reports += Number(r.reports);
      for (let i = 0; i < at.length; i++) { s.total[i]! += v[at[i]!] as number; s.present[i]! += v[at[i]! + 1] as number; }
    }
    for (const [k, s] of sums) {
      if (s.reports <= 0) continue;
      const g = newGroup(groupOf(s.row), s.reports);
      groups.set(k, g);
      for (let i = 0; i < at.length; i++) if (s.present[i] !== 0 || s.total[i] !== 0) add(g, wanted[i]!, s.total[i]!, s.present[i]!);
    }
    return true;
  };
  // without a region (neither asked nor grouped by), the totals per year and level are a few rows (below)
  const regional = Boolean(sel.region) || by.includes('region');
  if (fast && regional && keys && keys.every((k) => SUMMARY_AT.has(k)) && (await fromGroupSummaries(keys))) {
    settle();
  } else if (fast) {
    const cols = by as Array<'year' | 'region' | 'level'>;
    const reps = await store.db.selectFrom('report_agg').select([...cols, sql<number>`sum(reports)`.as('n')]).where(whereGroup<'report_agg'>(sel, store.engine, 'report_agg')).$call((q) => (cols.length ? q.groupBy(cols) : q)).execute();
    for (const r of reps) if (Number(r.n) > 0) groups.set(keyOf(r), newGroup(groupOf(r), Number(r.n)));
    // Without a region, from the totals per year and level (a few rows, not every region's).
    const top = !sel.region && !cols.includes('region');
    const table = (top ? 'cell_top' : 'cell_agg') as 'cell_agg';
    const dims = (top ? ['year', 'level'] : ['year', 'region', 'level']) as Array<'year' | 'region' | 'level'>;
    // Thousands of regions give millions of cell totals, and a row object for each cost more
    // than the query: the rows come packed, a JSON array for each column (flat arrays of numbers
    // or strings parse fast; objects of 226 keys do not, and an array of [key, total, present]
    // entries costs both engines twice the time to build and us twice the time to parse). Entry
    // i of each array comes from the same stored row: both engines feed each row to every
    // aggregate of the query in turn, in one pass (an ORDER BY inside each aggregate would sort
    // each apart, and cost PostgreSQL 0.3 s here for an order that is the same either way).
    const flat = (cols: string[]) => cols.map((c, i) => (store.engine === 'sqlite'
      ? sql<string>`json_group_array(${sql.ref(c)})`
      : sql<string>`cast(json_agg(${sql.ref(c)}) as text)`).as(`c${i}`));
    const unpack = (r: Record<string, unknown>, n: number) => Array.from({ length: n }, (_, i) => JSON.parse(String(r[`c${i}`])) as Array<string | number | null>);
    if (keys) {
      // A few cells (not all of them summary cells, or a group's summary of another version):
      // one row a cell
      const rows = await store.db.selectFrom(table).select(['key', ...flat([...cols, 'total', 'present'])])
        .where(whereGroup<'cell_agg'>(sel, store.engine, 'cell_agg')).where('key', 'in', keys).groupBy('key').execute() as Array<Record<string, string>>;
      let pairs: Map<string, Map<string, GroupTotals>> | undefined;
      /** The groups by their first column's value, then their second's (as `groupKey` writes each). */
      const twoLevels = () => {
        const m = new Map<string, Map<string, GroupTotals>>();
        for (const g of groups.values()) {
          const [a, b] = cols.map((c) => String(g.group[c] ?? '')) as [string, string];
          let inner = m.get(a);
          if (!inner) m.set(a, (inner = new Map()));
          inner.set(b, g);
        }
        return m;
      };
      for (const r of rows) {
        const arrays = unpack(r, cols.length + 2);
        const parts = arrays.slice(0, cols.length);
        const [totals, present] = [arrays[cols.length]!, arrays[cols.length + 1]!];
        // this loop runs groups × cells times: by year and region (the usual table), an entry's
        // group is found by its two values in turn, without making a key string for each entry
        const [p0, p1] = parts;
        if (p0 && p1 && parts.length === 2) {
          const byTwo = (pairs ??= twoLevels());
          for (let i = 0; i < totals.length; i++) add(byTwo.get(String(p0[i] ?? ''))?.get(String(p1[i] ?? '')), r.key!, Number(totals[i]), Number(present[i]));
        } else {
          for (let i = 0; i < totals.length; i++) add(groups.get(groupKey(parts.map((p) => p[i]))), r.key!, Number(totals[i]), Number(present[i]));
        }
      }
    } else {
      // Every cell: one row a year, region and level, in the table's (its key's) order, a page of
      // groups at a time from where the last page ended: 20,000 groups' rows at once were some
      // 150 MB of text held until the last was added up
      let after: unknown[] | null = null;
      for (;;) {
        const from = after;
        const rows = await store.db.selectFrom(table).select([...dims, ...flat(['key', 'total', 'present'])])
          .where(whereGroup<'cell_agg'>(sel, store.engine, 'cell_agg'))
          .$call((q) => (from ? q.where(sql<boolean>`(${sql.join(dims.map((d) => sql.ref(d)))}) > (${sql.join(from)})`) : q))
          .groupBy(dims).$call((q) => dims.reduce((o, d) => o.orderBy(d), q)).limit(page).execute() as Array<Record<string, unknown>>;
        for (const r of rows) {
          const g = groups.get(keyOf(r));
          if (!g) continue;
          const [k, totals, present] = unpack(r, 3) as [string[], number[], number[]];
          for (let i = 0; i < k.length; i++) add(g, k[i]!, Number(totals[i]), Number(present[i]));
        }
        if (rows.length < page) break;
        const last = rows[rows.length - 1]!;
        after = dims.map((d) => last[d]);
      }
    }
    settle();
  } else if (keys && keys.every((k) => SUMMARY_AT.has(k)) && (await fromSummaries(keys))) {
    settle();
  } else {
    const base = selected(store, sel);
    const gcols = by.map((b) => (b === 'agency' ? 'reports.agency_key' : `reports.${b}`)) as never[];
    const reps = await base.select([...by.map((b) => sql.ref(b === 'agency' ? 'reports.agency' : `reports.${b}`).as(b)), sql<number>`count(*)`.as('n')] as never)
      .$call((q) => (gcols.length ? q.groupBy(by.includes('agency') ? [...gcols, 'reports.agency' as never] : gcols) : q)).execute();
    // bodies printed with the same name are one group (the name is what is shown): their rows add up
    for (const r of reps as Array<Record<string, unknown>>) {
      const g = groups.get(keyOf(r));
      if (g) g.reports += Number(r.n);
      else groups.set(keyOf(r), newGroup(groupOf(r), Number(r.n)));
    }
    const rows = await base.innerJoin('cells', 'cells.report_id', 'reports.id').where('cells.num', 'is not', null).$call((q) => (keys ? q.where('cells.key', 'in', keys) : q))
      .select([...by.map((b) => sql.ref(b === 'agency' ? 'reports.agency' : `reports.${b}`).as(b)), 'cells.key', sql<number>`sum(cells.num)`.as('total'), sql<number>`count(*)`.as('present')] as never)
      .groupBy([...gcols, ...(by.includes('agency') ? ['reports.agency' as never] : []), 'cells.key' as never]).execute();
    for (const r of rows as Array<Record<string, unknown>>) add(groups.get(keyOf(r)), String(r.key), Number(r.total), Number(r.present));
    settle();
  }
  // by the groups' keys, made once (not twice a comparison: 20,000 groups were 0.25 s of `stats`)
  return [...groups].sort((a, b) => BY_LOCALE.compare(a[0], b[0])).map(([, g]) => g);
}

/** Current reports in the selection. */
export function selected(store: Store, sel: Selection): SelectQueryBuilder<DB, 'reports', object> {
  let q = store.db.selectFrom('reports').where('reports.current', '=', 1).where(whereGroup<'reports'>(sel, store.engine));
  if (sel.agency) q = q.where('reports.agency', 'like', sql<string>`${`%${escapeLike(sel.agency)}%`} escape '\\'`);
  return q;
}

/** Findings per rule over the selection: how many, in how many reports. */
export async function findingCounts(store: Store, sel: Selection): Promise<Array<{ rule: string; severity: string; findings: number; reports: number }>> {
  // by year, region and level: from the rule counts kept at every write (a count of the
  // findings themselves took a second on 100,000 reports with their nine findings each)
  if (!sel.agency) {
    // without a region, from the counts per year and level
    const agg = await store.db.selectFrom((sel.region ? 'rule_agg' : 'rule_top') as 'rule_agg')
      .select(['rule_id as rule', 'severity', sql<number>`sum(findings)`.as('findings'), sql<number>`sum(reports)`.as('reports')])
      .where(whereGroup<'rule_agg'>(sel, store.engine, 'rule_agg')).groupBy(['rule_id', 'severity']).having(sql`sum(findings)`, '>', 0).orderBy('findings', 'desc').orderBy('rule_id').execute();
    return agg.map((r) => ({ rule: r.rule, severity: r.severity, findings: Number(r.findings), reports: Number(r.reports) }));
  }
  const rows = await selected(store, sel).innerJoin('findings', 'findings.report_id', 'reports.id')
    .select(['findings.rule_id as rule', 'findings.severity as severity', sql<number>`count(*)`.as('findings'), sql<number>`count(distinct findings.report_id)`.as('reports')])
    .groupBy(['findings.rule_id', 'findings.severity']).orderBy('findings', 'desc').execute();
  return rows.map((r) => ({ rule: r.rule, severity: r.severity, findings: Number(r.findings), reports: Number(r.reports) }));
}

// ---------------------------------------------------------------- rates

/** A rate with its formula, its sample, and null (with the reason) below the guard. */
export interface Rate {
  id: string;
  label: string;
  formula: string;
  value: number | null;
  numerator: number;
  denominator: number;
  reason?: string;
}

/** The smallest samples a rate is given for: below these, a rate says more about chance than about the body. */
export const MIN_SAMPLE = { applications: 30, cases: 10, reports: 10 };

/** What the rates read of a group's totals (a CellTotals, or a map summed from several). */
type Cells = { get(key: string): CellSum | undefined };
const sum = (cells: Cells, keys: string[]) => keys.reduce((n, k) => n + (cells.get(k)?.total ?? 0), 0);

const DENIAL_REASONS: Array<[string, string]> = [
  ['secret', '属于国家秘密'], ['law', '其他法律行政法规禁止公开'], ['safety', '危及“三安全一稳定”'], ['third_party', '保护第三方合法权益'],
  ['internal', '属于三类内部事务信息'], ['process', '属于四类过程性信息'], ['case_file', '属于行政执法案卷'], ['query', '属于行政查询事项'],
];

/**
 * The rates of a group, from its totals (`only`: just the rates with these ids). Formulas are part
 * of the output, so a reader can check them.
 */
export function rates(cells: Cells, only?: ReadonlySet<string>): Rate[] {
  const processed = sum(cells, RESULTS);
  const guardA = processed < MIN_SAMPLE.applications ? `fewer than ${MIN_SAMPLE.applications} applications processed (${processed})` : undefined;
  const out: Rate[] = [];
  for (const r of RATES) {
    if (only && !only.has(r.id)) continue;
    if (r.kind === 'share') {
      const n = sum(cells, r.keys);
      out.push({ id: r.id, label: r.label, formula: r.formula, numerator: n, denominator: processed, value: guardA || processed === 0 ? null : n / processed, ...(guardA ? { reason: guardA } : {}) });
    } else {
      const corrected = sum(cells, r.corrected);
      const concluded = sum(cells, r.total) - sum(cells, r.pending);
      const guard = concluded < MIN_SAMPLE.cases ? `fewer than ${MIN_SAMPLE.cases} concluded cases (${concluded})` : undefined;
      out.push({ id: r.id, label: r.label, formula: r.formula, numerator: corrected, denominator: concluded, value: guard || concluded <= 0 ? null : corrected / concluded, ...(guard ? { reason: guard } : {}) });
    }
  }
  return out;
}

const RESULTS = ['t3.results_total.total'];

/**
 * The rates, as data: a share of the applications processed (`keys` over 办理结果总计), or a
 * correction rate of table 四's groups (corrected over concluded: total − pending).
 */
const RATES: ReadonlyArray<
  | { kind: 'share'; id: string; label: string; formula: string; keys: string[] }
  | { kind: 'correction'; id: string; label: string; formula: string; corrected: string[]; total: string[]; pending: string[] }
> = (() => {
  const share = (id: string, label: string, keys: string[], formula: string) => ({ kind: 'share' as const, id, label, formula, keys });
  const corr = (id: string, label: string, groups: string[], formula: string) => ({
    kind: 'correction' as const, id, label, formula,
    corrected: groups.map((g) => `t4.${g}.corrected`), total: groups.map((g) => `t4.${g}.total`), pending: groups.map((g) => `t4.${g}.pending`),
  });
  return [
    share('substantive', '实质公开率 substantive disclosure', ['t3.granted.total', 't3.partial.total'], '(予以公开 + 部分公开) / 本年度办理结果总计'),
    share('granted', '予以公开 granted', ['t3.granted.total'], '予以公开 / 办理结果总计'),
    share('partial', '部分公开 partially granted', ['t3.partial.total'], '部分公开 / 办理结果总计'),
    share('denied', '不予公开 denied', DENIAL_REASONS.map(([r]) => `t3.denied.${r}.total`), '不予公开（8 项之和）/ 办理结果总计'),
    ...DENIAL_REASONS.map(([r, label]) => share(`denied.${r}`, `不予公开·${label}`, [`t3.denied.${r}.total`], `不予公开·${label} / 办理结果总计`)),
    corr('review_correction', '复议纠错率 review correction', ['review'], '行政复议 结果纠正 / (总计 − 尚未审结)'),
    corr('litigation_loss', '诉讼败诉率 litigation loss', ['suit_direct', 'suit_after'], '行政诉讼 结果纠正 / (总计 − 尚未审结)，两类诉讼合计'),
  ];
})();

/**
 * Every cell the rates `only` read (all rates without it): a caller that shows a few rates and
 * cells totals just these. Found by computing the rates over totals that record what is read.
 */
export function rateKeys(only?: ReadonlySet<string>): string[] {
  const read = new Set<string>();
  rates({ get: (k: string) => { read.add(k); return undefined; } } as unknown as Cells, only);
  return [...read];
}

// ---------------------------------------------------------------- coverage

export interface Coverage {
  years: number[];
  bodies: Array<{ key: string; agency: string | null; region: string | null; level: string | null; years: Record<number, boolean> }>;
}

/**
 * Which bodies of the selection have a report for each year. The bodies are those the store
 * knows (a report in any year); the years, the selection's or every year stored.
 */
export async function coverage(store: Store, sel: Selection): Promise<Coverage> {
  const { years: wanted, ...where } = sel;
  const rows = await selected(store, where).select(['agency_key', 'agency', 'region', 'level', 'year']).orderBy('region').orderBy('agency').execute();
  const years = wanted?.length ? wanted : [...new Set(rows.map((r) => r.year).filter((y): y is number => y !== null))].sort();
  const bodies = new Map<string, Coverage['bodies'][number]>();
  for (const r of rows) {
    const b = bodies.get(r.agency_key) ?? { key: r.agency_key, agency: r.agency, region: r.region, level: r.level, years: Object.fromEntries(years.map((y) => [y, false])) };
    if (r.year !== null && years.includes(r.year)) b.years[r.year] = true;
    bodies.set(r.agency_key, b);
  }
  return { years, bodies: [...bodies.values()] };
}

/** Coverage against the gazetteer: the governments of the divisions under a region, year by year. */
export interface DivisionCoverage {
  region: { code: string; name: string; level: string };
  level: string;
  years: number[];
  divisions: Array<{ code: string; name: string; zone: boolean; years: Record<number, boolean> }>;
}

/**
 * Which divisions under a region have their government's report for each year — against the
 * gazetteer, not the bodies the store happens to know: a county that never published is listed.
 * `level` picks the divisions (default: those directly under the region). A government's report
 * is one of kind `government` placed in that very division.
 */
export async function divisionCoverage(store: Store, asked: string, years: number[], level?: DivisionLevel): Promise<DivisionCoverage> {
  const g = gazetteer();
  const top = regionDivision(asked);
  if (!top) {
    const several = regionCandidates(asked);
    throw new RangeError(several.length > 1
      ? `region “${asked}” names ${several.length} divisions (${several.map((d) => `${d.name} ${d.code}`).join('、')}): give the code or the full name`
      : `region “${asked}” is not a division the gazetteer knows: give a code (320800) or a name (淮安市)`);
  }
  const units = level ? g.under(top.code, level) : g.children(top.code).filter((d) => d.level !== 'township' || top.level === 'county');
  const rows = await store.db.selectFrom('reports').select(['division', 'year', 'level']).where('current', '=', 1).where('body_kind', '=', 'government')
    .where('division', 'like', `${prefixOf(top.code)}%`).$if(years.length > 0, (q) => q.where('year', 'in', years)).execute();
  const stored = [...new Set(rows.map((r) => r.year).filter((y): y is number => y !== null))].sort();
  const ys = years.length ? years : stored;
  // the division's own government: placed in it at its level (a town the gazetteer lacks is kept
  // under its county's code, at the township level, and is not the county's government)
  const have = new Set(rows.filter((r) => r.division !== null && r.level === g.get(r.division)?.level).map((r) => `${r.division}|${r.year}`));
  return {
    region: { code: top.code, name: g.fullName(top), level: top.level },
    level: level ?? units[0]?.level ?? '',
    years: ys,
    divisions: units.map((d) => ({ code: d.code, name: d.name, zone: d.zone, years: Object.fromEntries(ys.map((y) => [y, have.has(`${d.code}|${y}`)])) })),
  };
}

// ---------------------------------------------------------------- roll-up

export interface RollUp {
  region: string;
  year: number;
  /** The region's own (government) report, if stored. */
  own: { id: number; agency: string | null } | null;
  parts: Array<{ id: number; agency: string | null; region: string | null }>;
  /** The divisions directly under the region (by the gazetteer) whose government has no report stored for the year. */
  missing: Array<{ code: string; name: string }>;
  rows: Array<{ key: string; own: number | null; parts: number; partsPresent: number; differs: boolean }>;
}

/** The keys compared in a roll-up: the totals of tables 三 and 四 and table 二's counts. */
const ROLLUP_KEYS = (keys: string[]) => keys.filter((k) => /^t3\.[a-z_.]+\.total$|^t4\.|^t2\./.test(k));

/**
 * A region's bodies summed, beside the region's own report: the departments of the region
 * itself and the governments of the regions directly under it (their own reports already sum
 * their departments). Differences are where a 全市/全区 figure does not equal its parts — which
 * matters only where the report says its figures are the whole region's.
 */
const TEMPLATE_ORDER = new Map([...new Set([...t2Keys('2021'), ...t2Keys('2019'), ...t3Keys('2021'), ...t3Keys('2019'), ...t4Keys()])].map((k, i) => [k, i]));

export async function rollUp(store: Store, asked: string, year: number): Promise<RollUp> {
  const region = canonicalRegion(asked);
  const reps = await selected(store, { region, years: [year] }).select(['id', 'agency', 'region', 'division', 'level', 'body_kind']).execute();
  const own = reps.find((r) => r.region === region && r.body_kind === 'government') ?? null;
  const underGovs = reps.filter((r) => r.region !== region && r.body_kind === 'government');
  // the governments of the divisions directly under the region, by the gazetteer's tree (one
  // below a direct child is already in the child's own figures); for a region the gazetteer
  // does not place, by the printed names
  const g = gazetteer();
  const top = regionDivision(asked);
  const direct = top
    ? underGovs.filter((r) => { const d = r.division === null ? undefined : g.get(r.division); return d?.parent?.code === top.code && d.level === r.level; })
    : underGovs.filter((r) => !underGovs.some((o) => o !== r && r.region!.startsWith(o.region!) && o.region!.length < r.region!.length));
  const have = new Set(direct.map((r) => r.division));
  const missing = top ? g.children(top.code).filter((d) => d.level !== 'township' || top.level === 'county').filter((d) => !have.has(d.code)).map((d) => ({ code: d.code, name: d.name })) : [];
  const parts = [...reps.filter((r) => r.region === region && r !== own && r.body_kind !== 'government'), ...direct];
  const ids = parts.map((p) => p.id);
  const sums = new Map<string, { total: number; present: number }>();
  for (let i = 0; i < ids.length; i += 500) {
    const rows = await store.db.selectFrom('cells').select(['key', sql<number>`sum(num)`.as('total'), sql<number>`count(num)`.as('present')])
      .where('report_id', 'in', ids.slice(i, i + 500)).where('num', 'is not', null).groupBy('key').execute();
    for (const r of rows) {
      const s = sums.get(r.key) ?? { total: 0, present: 0 };
      sums.set(r.key, { total: s.total + Number(r.total), present: s.present + Number(r.present) });
    }
  }
  const ownCells = own ? new Map((await store.db.selectFrom('cells').select(['key', 'num']).where('report_id', '=', own.id).execute()).map((c) => [c.key, c.num])) : new Map<string, number | null>();
  // in the template's order (table 二's rows as the template lists them), not by key
  const keys = ROLLUP_KEYS([...new Set([...sums.keys(), ...ownCells.keys()])]).sort((a, b) => (TEMPLATE_ORDER.get(a) ?? 1e9) - (TEMPLATE_ORDER.get(b) ?? 1e9) || (a < b ? -1 : 1));
  return {
    region, year, own: own ? { id: own.id, agency: own.agency } : null,
    parts: parts.map((p) => ({ id: p.id, agency: p.agency, region: p.region })),
    missing,
    rows: keys.map((key) => {
      const s = sums.get(key) ?? { total: 0, present: 0 };
      const o = ownCells.get(key) ?? null;
      return { key, own: o, parts: s.total, partsPresent: s.present, differs: own !== null && o !== null && s.present > 0 && Math.abs(o - s.total) > 1e-9 };
    }),
  };
}

// ---------------------------------------------------------------- peers

export interface PeerRate {
  report: number;
  agency: string | null;
  region: string | null;
  level: string | null;
  year: number | null;
  rate: Rate;
  /** Share of same-level peers (same year, rate given) whose rate is at or below this one; null without a rate. */
  percentile: number | null;
  peers: number;
}

const PEER_KEYS = ['t3.results_total.total', 't3.granted.total', 't3.partial.total', ...DENIAL_REASONS.map(([r]) => `t3.denied.${r}.total`),
  ...['review', 'suit_direct', 'suit_after'].flatMap((g) => ['corrected', 'total', 'pending'].map((c) => `t4.${g}.${c}`))];

/**
 * One rate per current report of the selection, ranked among the peers of the same level and
 * year. Below the sample guard a report has no rate and no rank: a body with three applications
 * is not "worst in the province".
 */
export async function peerRates(store: Store, sel: Selection, rateId: string): Promise<PeerRate[]> {
  const reports = await selected(store, sel).select(['id', 'agency', 'region', 'level', 'year']).execute();
  const cells = new Map<number, Map<string, CellSum>>();
  for (let i = 0; i < reports.length; i += 500) {
    const ids = reports.slice(i, i + 500).map((r) => r.id);
    for (const id of ids) cells.set(id, new Map());
    const rows = await store.db.selectFrom('cells').select(['report_id', 'key', 'num']).where('report_id', 'in', ids).where('key', 'in', PEER_KEYS).where('num', 'is not', null).execute();
    for (const c of rows) cells.get(c.report_id)!.set(c.key, { total: c.num!, present: 1, missing: 0 });
  }
  const out: PeerRate[] = reports.map((r) => {
    const rate = rates(cells.get(r.id)!).find((x) => x.id === rateId);
    if (!rate) throw new Error(`unknown rate “${rateId}”`);
    return { report: r.id, agency: r.agency, region: r.region, level: r.level, year: r.year, rate, percentile: null, peers: 0 };
  });
  const groups = new Map<string, PeerRate[]>();
  for (const p of out) if (p.rate.value !== null) {
    const k = `${p.level}|${p.year}`;
    groups.set(k, [...(groups.get(k) ?? []), p]);
  }
  for (const g of groups.values()) {
    const values = g.map((p) => p.rate.value!).sort((a, b) => a - b);
    for (const p of g) {
      let atOrBelow = 0;
      while (atOrBelow < values.length && values[atOrBelow]! <= p.rate.value!) atOrBelow++;
      p.percentile = atOrBelow / values.length;
      p.peers = values.length;
    }
  }
  return out.sort((a, b) => (b.rate.value ?? -1) - (a.rate.value ?? -1));
}
