/**
 * Exports: one row per current report with every cell as a column, plus its findings. CSV is
 * UTF-8 with a byte-order mark (Excel then opens Chinese correctly); XLSX has a sheet per table
 * headed like the official template (each template row a merged group over its columns);
 * JSON and Parquet for machines. An ambiguous cell is `?` in CSV, XLSX and JSON, and null in
 * Parquet with its key listed in `ambiguous`: never a guessed number.
 */
import { csvLine } from '../format/csv.ts';
import { rowsSheetXml, workbookXlsx, type XlsxValue } from '../render/xlsx.ts';
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS } from '../schema/editions.ts';
import { t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import { selected, type Selection } from './query.ts';
import type { Store } from './store.ts';

export const META_COLUMNS = ['report_id', 'agency', 'region', 'level', 'body_kind', 'year', 'edition', 'published_on', 'path', 'format', 'repetition', 'errors', 'warnings', 'rules'] as const;

/** Every cell key of both editions, in template order. */
export const EXPORT_KEYS: string[] = [...new Set([...t2Keys('2021'), ...t2Keys('2019'), ...t3Keys('2021'), ...t3Keys('2019'), ...t4Keys()])];

function group<T>(rows: readonly T[], key: (r: T) => number): Map<number, T[]> {
  const out = new Map<number, T[]>();
  for (const r of rows) { const k = key(r); const list = out.get(k); if (list) list.push(r); else out.set(k, [r]); }
  return out;
}

export interface ExportRow {
  meta: Record<(typeof META_COLUMNS)[number], string | number | null>;
  /** key → number text, null (blank) or '?' (ambiguous); absent keys are not in the report's template. */
  cells: Map<string, string | null>;
  findings: Array<{ rule: string; severity: string; message: string; keys: string[] }>;
}

/**
 * Current reports of the selection (and with a finding of `rule`, when given: exactly what the
 * dashboard shows), in batches: memory stays flat and time linear for an export of any size.
 */
export async function* exportRows(store: Store, sel: Selection & { rule?: string }, batch = 500): AsyncGenerator<ExportRow> {
  let after = 0;
  for (;;) {
    let q = selected(store, sel).innerJoin('documents', 'documents.id', 'reports.document_id')
      .select(['reports.id', 'reports.agency', 'reports.region', 'reports.level', 'reports.body_kind', 'reports.year', 'reports.edition', 'reports.published_on', 'reports.repetition', 'documents.format', 'documents.id as doc'])
      .where('reports.id', '>', after);
    if (sel.rule) q = q.where('reports.id', 'in', store.db.selectFrom('findings').select('findings.report_id').where('findings.rule_id', '=', sel.rule));
    const reports = await q.orderBy('reports.id').limit(batch).execute();
    if (reports.length === 0) return;
    after = reports[reports.length - 1]!.id;
    const ids = reports.map((r) => r.id);
    const cells = await store.db.selectFrom('cells').select(['report_id', 'key', 'value', 'status']).where('report_id', 'in', ids).execute();
    const findings = await store.db.selectFrom('findings').select(['report_id', 'rule_id', 'severity', 'message', 'keys']).where('report_id', 'in', ids).orderBy('id').execute();
    const paths = await store.db.selectFrom('sources').select(['document_id', 'path']).where('document_id', 'in', reports.map((r) => r.doc)).orderBy('seen_at').execute();
    // grouped once per batch (filtering the batch's arrays per report was quadratic in the batch)
    const cellsOf = group(cells, (c) => c.report_id);
    const findingsOf = group(findings, (f) => f.report_id);
    const pathOf = new Map<number, string>();
    for (const p of paths) if (!pathOf.has(p.document_id)) pathOf.set(p.document_id, p.path);
    for (const r of reports) {
      const mine = findingsOf.get(r.id) ?? [];
      yield {
        meta: {
          report_id: r.id, agency: r.agency, region: r.region, level: r.level, body_kind: r.body_kind, year: r.year, edition: r.edition,
          published_on: r.published_on, path: pathOf.get(r.doc) ?? null, format: r.format,
          repetition: r.repetition === null ? null : Number(r.repetition.toFixed(4)),
          errors: mine.filter((f) => f.severity === 'error').length, warnings: mine.filter((f) => f.severity === 'warning').length,
          rules: [...new Set(mine.map((f) => f.rule_id))].join(','),
        },
        cells: new Map((cellsOf.get(r.id) ?? []).map((c) => [c.key, c.status === 'ambiguous' ? '?' : c.value])),
        findings: mine.map((f) => ({ rule: f.rule_id, severity: f.severity, message: f.message, keys: JSON.parse(f.keys) as string[] })),
      };
    }
  }
}

/** CSV, streamed: a BOM, a header line, one line per report. */
export async function* exportCsv(rows: AsyncIterable<ExportRow>): AsyncGenerator<string> {
  yield `\ufeff${csvLine([...META_COLUMNS, ...EXPORT_KEYS])}`;
  for await (const r of rows) yield csvLine([...META_COLUMNS.map((c) => r.meta[c]), ...EXPORT_KEYS.map((k) => r.cells.get(k))]);
}

/** JSON lines (one object per report), streamed. */
export async function* exportJson(rows: AsyncIterable<ExportRow>): AsyncGenerator<string> {
  for await (const r of rows) yield `${JSON.stringify({ ...r.meta, cells: Object.fromEntries(r.cells), findings: r.findings })}\n`;
}

export async function exportParquet(rows: AsyncIterable<ExportRow>): Promise<Uint8Array> {
  const all: ExportRow[] = [];
  for await (const r of rows) all.push(r);
  const text = (c: string) => ({ name: c, type: 'STRING' as const, data: all.map((r) => (r.meta[c as keyof ExportRow['meta']] === null ? null : String(r.meta[c as keyof ExportRow['meta']]))) });
  const columns = [
    { name: 'report_id', type: 'INT32' as const, data: all.map((r) => r.meta.report_id as number) },
    ...['agency', 'region', 'level', 'body_kind'].map(text),
    { name: 'year', type: 'INT32' as const, data: all.map((r) => r.meta.year as number | null) },
    ...['edition', 'published_on', 'path', 'format'].map(text),
    { name: 'repetition', type: 'DOUBLE' as const, data: all.map((r) => r.meta.repetition as number | null) },
    { name: 'errors', type: 'INT32' as const, data: all.map((r) => r.meta.errors as number) },
    { name: 'warnings', type: 'INT32' as const, data: all.map((r) => r.meta.warnings as number) },
    text('rules'),
    { name: 'ambiguous', type: 'STRING' as const, data: all.map((r) => [...r.cells].filter(([, v]) => v === '?').map(([k]) => k).join(',')) },
    ...EXPORT_KEYS.map((k) => ({ name: k, type: 'DOUBLE' as const, data: all.map((r) => { const v = r.cells.get(k); return v === undefined || v === null || v === '?' ? null : Number(v); }) })),
  ];
  // the Parquet writer loads when Parquet is asked for: stats and the other exports start without it
  const { parquetWriteBuffer } = await import('hyparquet-writer');
  return new Uint8Array(parquetWriteBuffer({ columnData: columns }));
}

const META_HEAD = ['机关 agency', '地区 region', '层级 level', '年度 year', '模板 edition', '发布日期 published', '错误 errors', '警告 warnings', '规则 rules'];
const metaCells = (r: ExportRow): XlsxValue[] => [r.meta.agency, r.meta.region, r.meta.level, r.meta.year, r.meta.edition, r.meta.published_on ? { date: String(r.meta.published_on) } : null, r.meta.errors, r.meta.warnings, r.meta.rules] as XlsxValue[];

/**
 * XLSX: a sheet per table, headed like the template: a first header row with each template row
 * merged over its columns, a second with the column labels, then one row per report.
 */
export async function exportXlsx(rows: AsyncIterable<ExportRow>): Promise<Uint8Array> {
  const all: ExportRow[] = [];
  for await (const r of rows) all.push(r);
  const tables: Array<{ name: string; groups: Array<{ label: string; columns: Array<{ key: string; label: string }> }> }> = [
    { name: '二、主动公开', groups: [...T2_ROWS['2021'], ...T2_ROWS['2019'].filter((r) => !T2_ROWS['2021'].some((x) => x.id === r.id))].map((row) => ({ label: row.label, columns: [...new Map([...T2_ROWS['2021'], ...T2_ROWS['2019']].filter((x) => x.id === row.id).flatMap((x) => x.columns).map((c) => [c.id, c])).values()].map((c) => ({ key: `t2.${row.id}.${c.id}`, label: c.label })) })) },
    { name: '三、依申请公开', groups: [...T3_ROWS['2021'], ...T3_ROWS['2019'].filter((r) => !T3_ROWS['2021'].some((x) => x.id === r.id))].map((row) => ({ label: row.label, columns: T3_COLUMNS.map((c) => ({ key: `t3.${row.id}.${c.id}`, label: c.label })) })) },
    { name: '四、复议诉讼', groups: T4_GROUPS.map((g) => ({ label: g.label, columns: T4_COLUMNS.map((c) => ({ key: `t4.${g.id}.${c.id}`, label: c.label })) })) },
  ];
  const sheets = tables.map((t) => {
    const top: XlsxValue[] = [...META_HEAD];
    const second: XlsxValue[] = META_HEAD.map(() => null);
    const merges: Array<[number, number, number, number]> = META_HEAD.map((_, c) => [0, c, 1, c]);
    const keys: string[] = [];
    for (const g of t.groups) {
      const from = top.length;
      g.columns.forEach((c, i) => { top.push(i === 0 ? g.label : null); second.push(c.label); keys.push(c.key); });
      if (g.columns.length > 1) merges.push([0, from, 0, from + g.columns.length - 1]);
    }
    const body = all.map((r) => [...metaCells(r), ...keys.map((k) => { const v = r.cells.get(k); return v === undefined || v === null ? null : v === '?' ? '?' : Number(v); })]);
    return { name: t.name, xml: rowsSheetXml([top, second, ...body], { merges, headerRows: 2 }) };
  });
  const findings: XlsxValue[][] = [['机关 agency', '年度 year', '规则 rule', '级别 severity', '说明 message', '单元格 cells'], ...all.flatMap((r) => r.findings.map((f) => [r.meta.agency, r.meta.year, f.rule, f.severity, f.message, f.keys.join(' ')] as XlsxValue[]))];
  sheets.push({ name: '问题 findings', xml: rowsSheetXml(findings, { headerRows: 1 }) });
  return workbookXlsx(sheets);
}

