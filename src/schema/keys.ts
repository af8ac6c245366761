/**
 * Cell keys (cells v1) and the identities between cells, derived from the edition data.
 */
import { T2_ROWS, T3_COLUMNS, T3_PART_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS, type Edition } from './editions.ts';

export const t3Key = (row: string, col: string): string => `t3.${row}.${col}`;

const ROW_KEYS = new Map<string, string[]>();
/**
 * The cell keys of one row of table 三, made once: a key made afresh for every report is a new
 * string the engine must hash each time it names a property.
 */
export function t3RowKeys(row: string): string[] {
  let keys = ROW_KEYS.get(row);
  if (!keys) ROW_KEYS.set(row, (keys = T3_COLUMNS.map((c) => t3Key(row, c.id))));
  return keys;
}
export const t4Key = (group: string, col: string): string => `t4.${group}.${col}`;

const T2_ROW_KEYS = new WeakMap<object, string[]>();
/** The cell keys of one row of table 二, made once (as t3RowKeys). */
export function t2RowKeys(row: { id: string; columns: ReadonlyArray<{ id: string }> }): string[] {
  let keys = T2_ROW_KEYS.get(row);
  if (!keys) T2_ROW_KEYS.set(row, (keys = row.columns.map((c) => `t2.${row.id}.${c.id}`)));
  return keys;
}

export function t2Keys(edition: Edition): string[] {
  return T2_ROWS[edition].flatMap((r) => t2RowKeys(r));
}
export function t3Keys(edition: Edition): string[] {
  return T3_ROWS[edition].flatMap((r) => t3RowKeys(r.id));
}
export function t4Keys(): string[] {
  return T4_GROUPS.flatMap((g) => T4_COLUMNS.map((c) => t4Key(g.id, c.id)));
}

/**
 * The cells kept on each report as its summary (the store's `reports.summary`): every row's
 * total of table 三, the applicants of its 本年新收 row, and table 四. They are what the dashboard's
 * charts, the rates and the text table of `stats` read, so a selection of reports by body is
 * totalled from one row a report instead of from its cells. A summary is a JSON array, the
 * version first and then a number (or null) for each key in this order: changing the list means a
 * new SUMMARY_VERSION and a migration that writes every summary again (`summarise`, and the
 * groups' sums of them, `groupSummarySql`); a summary of another version is not read (its reports
 * are totalled from their cells, its groups from their cell totals).
 */
export const SUMMARY_KEYS: readonly string[] = [...new Set([
  ...(['2019', '2021'] as const).flatMap((e) => T3_ROWS[e].map((r) => t3Key(r.id, 'total'))),
  ...t3RowKeys('new'),
  ...t4Keys(),
])];
export const SUMMARY_VERSION = 's1';

/** Keys whose values are money in 万元 (fractional allowed). */
export const MONEY_KEYS = new Set(['t2.fees.amount', 't2.procurement.amount']);
/** Keys that may be negative (2019 本年增/减). */
export const SIGNED_KEYS = new Set(
  (['2019', '2021'] as const).flatMap((e) =>
    T2_ROWS[e].flatMap((r) => r.columns.filter((c) => c.signed).map((c) => `t2.${r.id}.${c.id}`))),
);

export type IdentityRule = 'I1' | 'I2' | 'I3' | 'I4';

/** sum(lhs) = sum(rhs). A blank cell counts as 0 in the sum but is never written as 0. */
export interface Identity {
  rule: IdentityRule;
  /** Where the identity comes from: printed in the template, or implied by its structure. */
  basis: 'template' | 'structural';
  /** A stable id for this instance, e.g. `I2:t3.new`. */
  id: string;
  lhs: string[];
  rhs: string[];
  /** What the identity says, in Chinese. */
  statement: string;
}

const cache = new Map<Edition, Identity[]>();

/** Every arithmetic identity of tables 三 and 四 for an edition (format.md: I1–I4). */
export function identities(edition: Edition): Identity[] {
  const hit = cache.get(edition);
  if (hit) return hit;
  const rows = T3_ROWS[edition];
  const out: Identity[] = [];
  for (const c of T3_COLUMNS) {
    out.push({
      rule: 'I1', basis: 'template', id: `I1:${c.id}`,
      lhs: [t3Key('new', c.id), t3Key('carried', c.id)],
      rhs: [t3Key('results_total', c.id), t3Key('carry_next', c.id)],
      statement: `${c.label}列：本年新收 + 上年结转 = 办理结果总计 + 结转下年度继续办理`,
    });
  }
  for (const r of rows) {
    out.push({
      rule: 'I2', basis: 'structural', id: `I2:${r.id}`,
      lhs: [t3Key(r.id, 'total')],
      rhs: T3_PART_COLUMNS.map((c) => t3Key(r.id, c)),
      statement: `${r.label}：总计 = 自然人 + 商业企业 + 科研机构 + 社会公益组织 + 法律服务机构 + 其他`,
    });
  }
  const results = rows.filter((r) => r.result);
  for (const c of T3_COLUMNS) {
    out.push({
      rule: 'I3', basis: 'structural', id: `I3:${c.id}`,
      lhs: [t3Key('results_total', c.id)],
      rhs: results.map((r) => t3Key(r.id, c.id)),
      statement: `${c.label}列：（七）总计 = （一）至（六）各项之和`,
    });
  }
  for (const g of T4_GROUPS) {
    out.push({
      rule: 'I4', basis: 'structural', id: `I4:${g.id}`,
      lhs: [t4Key(g.id, 'total')],
      rhs: ['upheld', 'corrected', 'other', 'pending'].map((c) => t4Key(g.id, c)),
      statement: `${g.label}：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结`,
    });
  }
  cache.set(edition, out);
  return out;
}
