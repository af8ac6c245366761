/**
 * A readable summary of a report for a person: metadata, each table laid out as a table,
 * ambiguous cells marked `?` with their candidates listed below.
 */
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS, type Edition } from '../schema/editions.ts';
import { cellList, type Cell, type Report } from '../types.ts';

/** A code unit of the BMP that takes two columns: Hangul jamo, CJK, full-width forms. */
export const wide = (c: number): boolean =>
  (c >= 0x1100 && c <= 0x115f) || (c >= 0x2e80 && c <= 0xa4cf) || (c >= 0xac00 && c <= 0xd7a3) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xfe30 && c <= 0xfe4f) || (c >= 0xff00 && c <= 0xff60) || (c >= 0xffe0 && c <= 0xffe6);

/** Display width: CJK and full-width characters take two columns (a character beyond the BMP one). */
export function width(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x1100) w++;
    else if (c >= 0xd800 && c <= 0xdbff) { w++; i++; }
    else w += wide(c) ? 2 : 1;
  }
  return w;
}
const pad = (s: string, w: number, right = false, has = width(s)) => {
  const fill = ' '.repeat(Math.max(0, w - has));
  return right ? fill + s : s + fill;
};

function show(c: Cell | undefined): string {
  if (!c) return '';
  if (c.status === 'ambiguous') return '?';
  if (c.shown === 'na') return c.raw.trim() || '—';
  if (c.shown === 'text') return '?';
  if (c.value === null) return '·';
  return c.status === 'inferred' ? `${c.value}*` : c.value;
}

/** Aligned columns for a terminal; columns from `rightFrom` on are right-aligned (numbers). */
export function grid(header: string[], rows: string[][], rightFrom = 1): string[] {
  const all = [header, ...rows];
  const measured = all.map((r) => r.map(width));
  const widths = header.map((_, i) => measured.reduce((m, r) => Math.max(m, r[i] ?? 0), 0));
  const line = (r: string[], k: number) => r.map((v, i) => pad(v, widths[i]!, i >= rightFrom, measured[k]![i])).join('  ').trimEnd();
  return [line(header, 0), widths.map((w) => '─'.repeat(w)).join('  '), ...rows.map((r, k) => line(r, k + 1))];
}

/** A label as the text table shows it: the template's note dropped, a long one cut with an ellipsis. */
function shortLabel(label: string, max = 20): string {
  const l = label.replace(/（区分处理的.*）/, '');
  return l.length > max ? `${l.slice(0, max - 1)}…` : l;
}

/**
 * Table 三's rows as the template lays them out: 三、本年度办理结果 over the result rows, and the group
 * headings （三）不予公开, （四）无法提供, （五）不予处理 (and 2021's （六）其他处理) over their numbered items,
 * each level indented.
 */
function t3Rows(ed: Edition, c: Report['cells']): string[][] {
  const blank = T3_COLUMNS.map(() => '');
  const rows: string[][] = [];
  let group: string | undefined;
  for (const r of T3_ROWS[ed]) {
    const inResults = r.result || r.id === 'results_total';
    if (r.id === 'granted') rows.push(['三、本年度办理结果', ...blank]);
    const sub = r.group?.startsWith('（') ? r.group : undefined;
    if (sub && sub !== group) rows.push([`  ${sub}`, ...blank]);
    group = sub;
    const indent = sub ? '    ' : inResults ? '  ' : '';
    rows.push([indent + shortLabel(r.label), ...T3_COLUMNS.map((col) => show(c[`t3.${r.id}.${col.id}`]))]);
  }
  return rows;
}

export function formatText(report: Report): string {
  const m = report.meta;
  const out: string[] = [];
  out.push(`${m.title ?? report.source.name}`);
  out.push(`  机关 agency     ${m.agency ?? '—'}${m.region ? `（${m.region}${m.level ? `, ${m.level}` : ''}）` : ''}${m.bodyKind ? `  ${m.bodyKind === 'government' ? '政府本级 government' : '部门 department'}` : ''}`);
  out.push(`  年度 year       ${m.year ?? '—'}`);
  out.push(`  模板 edition    ${m.edition ?? '—'}${m.editionEvidence.length ? `  (${m.editionEvidence.join('; ')})` : ''}`);
  out.push(`  发布 published  ${m.published ?? '—'}${m.publishedFrom === 'signature' ? ' (落款日期)' : ''}`);
  if (m.index) out.push(`  索引号 index   ${m.index}`);
  out.push(`  章节 sections   ${report.sections.map((s) => s.title).join(' / ') || '—'}`);
  const c = report.cells;

  if (report.tables.t2.found && report.tables.t2.edition) {
    const ed = report.tables.t2.edition;
    out.push('', `表二 主动公开政府信息情况 (${ed})`);
    const maxCols = Math.max(...T2_ROWS[ed].map((r) => r.columns.length));
    const rows = T2_ROWS[ed].map((r) => [r.label, ...r.columns.map((col) => `${col.label}=${show(c[`t2.${r.id}.${col.id}`]) || '—'}`), ...new Array(maxCols - r.columns.length).fill('')]);
    for (const r of rows) out.push(`  ${r.filter(Boolean).join('  ')}`);
  }
  if (report.tables.t3.found && report.tables.t3.edition) {
    const ed = report.tables.t3.edition;
    out.push('', `表三 收到和处理政府信息公开申请情况 (${ed})`);
    const header = ['', ...T3_COLUMNS.map((col) => col.label)];
    out.push(...grid(header, t3Rows(ed, c)).map((l) => `  ${l}`));
  }
  if (report.tables.t4.found) {
    out.push('', '表四 政府信息公开行政复议、行政诉讼情况');
    const header = ['', ...T4_COLUMNS.map((col) => col.label)];
    const rows = T4_GROUPS.map((g) => [g.label, ...T4_COLUMNS.map((col) => show(c[`t4.${g.id}.${col.id}`]))]);
    out.push(...grid(header, rows).map((l) => `  ${l}`));
  }
  const listed = cellList(c);
  const amb = listed.filter((x) => x.status === 'ambiguous');
  const inferred = listed.filter((x) => x.status === 'inferred');
  out.push('', '  · blank 空白   * inferred 推断   ? ambiguous 存疑');
  if (amb.length) {
    out.push('', `存疑 ambiguous cells (${amb.length}):`);
    for (const a of amb) {
      const cand = (a.candidates ?? []).map((v) => (v === null ? '空白' : v)).join(' | ');
      out.push(`  ${a.key}  ${a.position ? `${a.position.line}:${a.position.column}` : ''}  “${a.raw}” → ${cand || 'no reading'}`);
    }
  }
  if (inferred.length) out.push('', `推断 inferred cells: ${inferred.length}`);
  for (const n of report.notes) out.push(`  note ${n.code}: ${n.message}`);
  return `${out.join('\n')}\n`;
}
