/**
 * Exports: one row per current report with every cell as a column, plus its findings. CSV is
 * UTF-8 with a byte-order mark (Excel then opens Chinese correctly); XLSX has a sheet per table
 * headed like the official template (each template row a merged group over its columns);
 * JSON and Parquet for machines. An ambiguous cell is `?` in CSV, XLSX and JSON, and null in
 * Parquet with its key listed in `ambiguous`: never a guessed number.
 */
import { CompiledQuery, sql, type Kysely } from 'kysely';
import { Worker } from 'node:worker_threads';
import { bind } from './db.ts';
import { damagedStore, storeError } from './errors.ts';
import { batchSql, GivenLayouts, readBatch, type BatchRows, type BatchSql } from './export-batch.ts';
import type { ReaderData } from './export-reader.ts';
import { csvLine } from '../format/csv.ts';
import { concat, SharedStrings, SheetRows, sheetEnd, sheetStart, type XlsxValue } from '../render/xlsx.ts';
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS } from '../schema/editions.ts';
import { t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import { selected, type Selection } from './query.ts';
import type { DB } from './schema.ts';
import type { Store } from './store.ts';
import { LEVEL, WorkbookStream } from './workbook-stream.ts';

export { WorkbookTooLarge } from './workbook-stream.ts';

export const META_COLUMNS = ['report_id', 'agency', 'region', 'level', 'body_kind', 'year', 'edition', 'published_on', 'path', 'format', 'repetition', 'errors', 'warnings', 'rules'] as const;

/** Every cell key of both editions, in template order. */
export const EXPORT_KEYS: string[] = [...new Set([...t2Keys('2021'), ...t2Keys('2019'), ...t3Keys('2021'), ...t3Keys('2019'), ...t4Keys()])];

/** Each key's column in EXPORT_KEYS. */
const COLUMN = new Map(EXPORT_KEYS.map((k, i) => [k, i]));

/** The keys a report has (`cell_layouts`): the same few sets recur report after report. */
interface Layout {
  /** As the layout lists them (the order of the report's packed values). */
  keys: string[];
  /** Places in `keys` in the keys' code point order: the order a report's cells are listed in (JSON, Parquet). */
  sorted: Int32Array;
  /** keys[i]'s column in EXPORT_KEYS, -1 for a key that is in neither edition. */
  column: Int32Array;
  /** key → its place in `keys`. */
  at: Map<string, number>;
  /** Each key's JSON text with its colon, in `sorted`'s order; null when a key looks like an array index (a JavaScript object would list it first). */
  json: string[] | null;
  /** The same as UTF-8 bytes, one after another, each after `{` (the first) or `,`; `ends[i]` is where the i-th ends. Null with `json`. */
  heads: { bytes: Uint8Array; ends: Int32Array } | null;
  /** For a list of keys (an XLSX sheet's columns), each one's place in `keys` (-1: not there); made when first asked for. */
  places: Map<readonly string[], Int32Array>;
}

/** A layout made from its keys' JSON text (`cell_layouts.keys`), once for an export. */
function layoutOf(keysJson: string): Layout {
  const keys = JSON.parse(keysJson) as string[];
  const sorted = Int32Array.from(keys.keys()).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
  const json = keys.some((k) => /^(?:0|[1-9]\d*)$/.test(k)) ? null : Array.from(sorted, (i) => `${JSON.stringify(keys[i])}:`);
  let heads: Layout['heads'] = null;
  if (json !== null) {
    const parts = json.map((k, i) => Buffer.from(`${i === 0 ? '{' : ','}${k}`));
    let end = 0;
    heads = { bytes: Buffer.concat(parts), ends: Int32Array.from(parts, (b) => (end += b.length)) };
  }
  const at = new Map(keys.map((k, i) => [k, i]));
  return { keys, sorted, column: Int32Array.from(keys, (k) => COLUMN.get(k) ?? -1), at, json, heads, places: new Map() };
}

/** A report's cells in an export: key → number text, null (blank) or '?' (ambiguous); a key the report does not have is undefined. */
export class ExportCells implements Iterable<[string, string | null]> {
  private readonly layout: Layout;
  /** The values in the layout's order. */
  private readonly values: ReadonlyArray<string | null>;
  constructor(layout: Layout, values: ReadonlyArray<string | null>) {
    this.layout = layout;
    this.values = values;
  }

  static readonly NONE = new ExportCells(layoutOf('[]'), []);

  get(key: string): string | null | undefined {
    const i = this.layout.at.get(key);
    return i === undefined ? undefined : this.values[i];
  }

  /** Each of `keys`' place among the values, for `value` (-1 where the report has no such cell): made once a layout for a list. */
  places(keys: readonly string[]): Int32Array {
    const { places, at } = this.layout;
    let p = places.get(keys);
    if (p === undefined) places.set(keys, p = Int32Array.from(keys, (k) => at.get(k) ?? -1));
    return p;
  }

  /** The value at a place `places` gave. */
  value(place: number): string | null | undefined {
    return place < 0 ? undefined : this.values[place];
  }

  /** The values in EXPORT_KEYS's order (undefined where the report has no such cell), after `before` places left for the caller. */
  columns(before = 0): Array<string | number | null | undefined> {
    const out = new Array<string | number | null | undefined>(before + EXPORT_KEYS.length).fill(undefined);
    const { column } = this.layout;
    const values = this.values;
    for (let i = 0; i < column.length; i++) if (column[i]! >= 0) out[before + column[i]!] = values[i];
    return out;
  }

  /** The cells as a JSON object's text, the keys in code point order: `JSON.stringify(Object.fromEntries(this))`, made without the object. */
  json(): string {
    const { json, sorted } = this.layout;
    if (json === null) return JSON.stringify(Object.fromEntries(this));
    const values = this.values;
    const parts = new Array<string>(json.length);
    for (let i = 0; i < json.length; i++) parts[i] = json[i]! + valueJson(values[sorted[i]!]!);
    return `{${parts.join(',')}}`;
  }

  /**
   * `json()` as UTF-8 bytes, written straight into a buffer: the keys' bytes made once a layout,
   * and a value of printable ASCII that JSON writes as it is copied code by code (making the text
   * and then encoding it was a fifth of a JSON export's time). Anything else goes through `json()`.
   */
  jsonBytes(): Uint8Array {
    const { heads, sorted } = this.layout;
    if (heads === null || sorted.length === 0) return Buffer.from(this.json());
    const values = this.values;
    let size = heads.bytes.length + 1;
    for (let i = 0; i < sorted.length; i++) {
      const v = values[sorted[i]!]!;
      if (v === null) { size += 4; continue; }
      for (let j = 0; j < v.length; j++) {
        const c = v.charCodeAt(j);
        if (c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c) return Buffer.from(this.json());
      }
      size += v.length + 2;
    }
    const out = Buffer.allocUnsafe(size);
    const { bytes, ends } = heads;
    let at = 0;
    for (let i = 0, from = 0; i < sorted.length; i++) {
      for (const end = ends[i]!; from < end; from++) out[at++] = bytes[from]!;
      const v = values[sorted[i]!]!;
      if (v === null) { out[at++] = 0x6e; out[at++] = 0x75; out[at++] = 0x6c; out[at++] = 0x6c; continue; }
      out[at++] = 0x22;
      for (let j = 0; j < v.length; j++) out[at++] = v.charCodeAt(j);
      out[at++] = 0x22;
    }
    out[at] = 0x7d;
    return out;
  }

  /**
   * The values as numbers into `columns` (EXPORT_KEYS's order) at `row`: null for a blank, an
   * undetermined (`?`) cell or one the report does not have. (`columns()` made an array a report
   * to push from; Parquet's 100,000-row groups wrote 22 million values so.)
   */
  numbersInto(columns: Array<Array<number | null>>, row: number): void {
    for (let j = 0; j < columns.length; j++) columns[j]![row] = null;
    const { column } = this.layout;
    const values = this.values;
    for (let i = 0; i < column.length; i++) {
      const v = values[i];
      if (column[i]! >= 0 && v !== null && v !== undefined && v !== '?') columns[column[i]!]![row] = Number(v);
    }
  }

  /** The keys of the undetermined (`?`) cells in code point order, joined by commas (Parquet's `ambiguous` column). */
  ambiguousKeys(): string {
    const { keys, sorted } = this.layout;
    const values = this.values;
    let out = '';
    for (let i = 0; i < sorted.length; i++) if (values[sorted[i]!] === '?') out += out === '' ? keys[sorted[i]!]! : `,${keys[sorted[i]!]!}`;
    return out;
  }

  /** Key and value, the keys in code point order. */
  *[Symbol.iterator](): Iterator<[string, string | null]> {
    const { keys, sorted } = this.layout;
    const values = this.values;
    for (const i of sorted) yield [keys[i]!, values[i]!];
  }
}

/**
 * JSON.stringify of a cell's value (a number's text, `?` or null): a string of characters JSON
 * writes as they are is put in quotes here, without a call for each of a report's 200 cells.
 */
export function valueJson(v: string | null): string {
  if (v === null) return 'null';
  for (let i = 0; i < v.length; i++) {
    const c = v.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(v);
  }
  return `"${v}"`;
}

const UTF8 = new TextDecoder();
/** Text the database gave as a string or as UTF-8 bytes. */
const asText = (t: string | Uint8Array): string => (typeof t === 'string' ? t : UTF8.decode(t));

export interface ExportRow {
  meta: Record<(typeof META_COLUMNS)[number], string | number | null>;
  cells: ExportCells;
  /**
   * The findings as a JSON array's text (`[{"rule","severity","message","keys"}…]`, in the order
   * they were found), made by the database, or its UTF-8 bytes (`json: true`, on SQLite); `[]`
   * unless asked for (`findings: true`): CSV and Parquet carry only the counts and rules in `meta`.
   */
  findings: string | Uint8Array;
}

/** An export's finding, as `ExportRow.findings` lists it. */
export interface ExportFinding { rule: string; severity: string; message: string; keys: string[] }

export interface ExportOptions {
  /** Each report's findings themselves (JSON and XLSX list them); without, only the counts and rule ids in `meta`. */
  findings?: boolean;
  /** For the JSON export: on SQLite, the findings as UTF-8 bytes, written out as they are (never decoded to be encoded again). */
  json?: boolean;
  /** Reports read a round. */
  batch?: number;
}

/** A packed row's layout, given with its batch or one before (the store's foreign key keeps every one there). */
function layoutFor(where: string, layouts: ReadonlyMap<string, Layout>, hash: string): Layout {
  const l = layouts.get(hash);
  if (l === undefined) throw damagedStore(where, `it has no cell layout ${hash}`);
  return l;
}

/** A report's packed values under their layout: as many as it has keys, or the store is damaged and the export stops (a value under another key's column would be a wrong number, not a blank). */
function packedCells(where: string, id: number, layout: Layout, text: string): ExportCells {
  const values = JSON.parse(text) as unknown;
  if (!Array.isArray(values) || values.length !== layout.keys.length) {
    throw damagedStore(where, `report ${id}'s packed cells do not fit their layout (${Array.isArray(values) ? values.length : 'no'} values for ${layout.keys.length} keys)`);
  }
  return new ExportCells(layout, values as Array<string | null>);
}

/** The rule ids of a report's findings, each once, in the order of the findings. */
const ruleList = (ids: string): string => [...new Set(ids.split(','))].join(',');

/**
 * Current reports of the selection (and with a finding of `rule`, when given: exactly what the
 * dashboard shows), in batches: memory stays flat and time linear for an export of any size. The
 * selection's ids are found first (a few bytes a report), then read a batch at a time: a report
 * that is no longer current when its batch is read is left out.
 */
export async function* exportRows(store: Store, sel: Selection & { rule?: string }, opts: ExportOptions = {}): AsyncGenerator<ExportRow> {
  const batch = opts.batch ?? 500;
  const q = batchSql(store.engine, { findings: opts.findings === true, bytes: store.engine === 'sqlite' && opts.json === true });
  let ids = selected(store, sel).select('reports.id');
  if (sel.rule) ids = ids.where('reports.id', 'in', store.db.selectFrom('findings').select('findings.report_id').where('findings.rule_id', '=', sel.rule));
  const idsQuery = ids.orderBy('reports.id');
  const compiled = idsQuery.compile();
  const batches = store.file !== null
    ? inReader({ file: store.file, ids: { sql: compiled.sql, parameters: compiled.parameters.map(bind) }, sql: q, batch })
    : inProcess(store, (await idsQuery.execute()).map((r) => r.id), q, batch);
  // the layouts of the reports' cells, each given once, with the first batch that has it
  const layouts = new Map<string, Layout>();
  for await (const { reports, formats, cells, layouts: fresh, findings, paths } of batches) {
    for (const l of fresh) layouts.set(l.hash, layoutOf(l.keys));
    const formatOf = new Map(formats.map((d) => [d.id, d.format]));
    const cellsOf = new Map(cells.map((c) => [c.report_id, c]));
    const findingsOf = new Map(findings.map((f) => [f.report_id, f]));
    const pathOf = new Map<number, string>();
    for (const p of paths) if (!pathOf.has(p.document_id)) pathOf.set(p.document_id, p.path);
    for (const r of reports) {
      const c = cellsOf.get(r.id);
      const found = findingsOf.get(r.id);
      yield {
        meta: {
          report_id: r.id, agency: r.agency, region: r.region, level: r.level, body_kind: r.body_kind, year: r.year, edition: r.edition,
          published_on: r.published_on, path: pathOf.get(r.document_id) ?? null, format: formatOf.get(r.document_id) ?? null,
          repetition: r.repetition === null ? null : Number(r.repetition.toFixed(4)),
          errors: Number(found?.errors ?? 0), warnings: Number(found?.warnings ?? 0), rules: found ? ruleList(found.rules) : '',
        },
        cells: c ? packedCells(store.where, r.id, layoutFor(store.where, layouts, c.layout), c.cell_values) : ExportCells.NONE,
        findings: found?.list ?? '[]',
      };
    }
  }
}

/**
 * Batches read in this thread (PostgreSQL; SQLite in memory). On PostgreSQL each batch's queries
 * run in a transaction of their own without JIT compilation (the batch queries' estimated costs
 * made the server compile them, 10–40 ms each time, more than a query takes), and the next batch
 * is asked for before this one is written out: two connections, so the server's two processes
 * share the cores. A batch asked for and then not wanted (the export stopped) fails quietly.
 */
async function* inProcess(store: Store, ids: readonly number[], q: BatchSql, batch: number): AsyncGenerator<BatchRows> {
  const postgres = store.engine === 'postgres';
  const given = new GivenLayouts();
  const read = (part: readonly number[]) => given.during((fresh) => postgres
    ? store.db.transaction().execute(async (tx) => {
      await sql`set local jit = off`.execute(tx);
      return readBatch((text, list) => rows(tx, text, list), q, part, fresh);
    })
    // (SQLite: no transaction, which would take the write lock)
    : readBatch((text, list) => rows(store.db, text, JSON.stringify(list)), q, part, fresh));
  let next: Promise<BatchRows> | null = ids.length > 0 ? read(ids.slice(0, batch)) : null;
  for (let at = batch; next !== null; at += batch) {
    const cur: Promise<BatchRows> = next;
    next = at < ids.length ? read(ids.slice(at, at + batch)) : null;
    next?.catch(() => undefined);
    yield await cur;
  }
}

/** A batch query's rows (its text as it is: its one placeholder is the engine's own). */
const rows = async (db: Kysely<DB>, text: string, ids: unknown) => (await db.executeQuery(CompiledQuery.raw(text, [ids]))).rows;

/** What a callback hands over (the reading thread's messages), taken by an async loop. */
class Inbox<T> {
  private readonly items: T[] = [];
  private wake: (() => void) | null = null;
  readonly put = (item: T): void => { this.items.push(item); this.wake?.(); this.wake = null; };

  /** The next item, when it comes. */
  async next(): Promise<T> {
    while (this.items.length === 0) await new Promise<void>((resolve) => { this.wake = resolve; });
    return this.items.shift()!;
  }
}

const READER = new URL(import.meta.url.endsWith('.ts') ? './export-reader.ts' : './export-reader.js', import.meta.url);

/**
 * Batches read by a thread of its own (a SQLite file, `export-reader.ts`), two ahead of the one
 * being written out: on two cores the export reads and writes at once. Stopping the export stops
 * the thread.
 */
async function* inReader(data: ReaderData): AsyncGenerator<BatchRows> {
  const worker = new Worker(READER, { workerData: data, resourceLimits: { maxYoungGenerationSizeMb: 64 } });
  type Message = { rows: BatchRows } | { done: true } | { error: string; code?: unknown; errcode?: unknown };
  const inbox = new Inbox<Message>();
  worker.on('message', inbox.put);
  worker.on('error', (e) => inbox.put({ error: e.message }));
  worker.on('exit', () => inbox.put({ error: 'the thread reading the store stopped' }));
  try {
    worker.postMessage('more');
    worker.postMessage('more');
    for (;;) {
      const m = await inbox.next();
      if ('error' in m) {
        // a locked, unreadable or vanished store is the store's failure, told as such
        const e = Object.assign(new Error(`reading the store for the export: ${m.error}`), { code: m.code, errcode: m.errcode });
        throw storeError(e, data.file) ?? e;
      }
      if ('done' in m) return;
      worker.postMessage('more');
      yield m.rows;
    }
  } finally {
    worker.removeAllListeners('exit');
    await worker.terminate();
  }
}

/**
 * CSV, streamed: a BOM, a header line, one line per report. Nothing is given before the first
 * report is read (or found to be none): a store that cannot be read fails the export before its
 * first byte, so that the web app answers with the reason, not a download cut short.
 */
export async function* exportCsv(rows: AsyncIterable<ExportRow>): AsyncGenerator<string> {
  const it = rows[Symbol.asyncIterator]();
  try {
    const first = await it.next();
    yield `\ufeff${csvLine([...META_COLUMNS, ...EXPORT_KEYS])}`;
    for (let step = first; !step.done; step = await it.next()) {
      const r = step.value;
      const line = r.cells.columns(META_COLUMNS.length);
      META_COLUMNS.forEach((c, i) => { line[i] = r.meta[c]; });
      yield csvLine(line);
    }
  } finally {
    // (stopped early: the rows' reading stops too)
    await it.return?.();
  }
}

const FINDINGS = Buffer.from(',"findings":');
const END = Buffer.from('}\n');
const bytes = (t: string | Uint8Array): Uint8Array => (typeof t === 'string' ? Buffer.from(t) : t);

/** JSON lines (one object per report), streamed as UTF-8 (the database's own text of cells and findings, as it came). */
export async function* exportJson(rows: AsyncIterable<ExportRow>): AsyncGenerator<Uint8Array> {
  // (the meta's object, then the cells' text and the findings: what JSON.stringify of all three gives)
  for await (const r of rows) yield Buffer.concat([Buffer.from(`${JSON.stringify(r.meta).slice(0, -1)},"cells":`), r.cells.jsonBytes(), FINDINGS, bytes(r.findings), END]);
}

export async function exportParquet(rows: AsyncIterable<ExportRow>): Promise<Uint8Array> {
  // the Parquet writer loads when Parquet is asked for: stats and the other exports start without it
  const { ByteWriter, ParquetWriter, schemaFromColumnData } = await import('hyparquet-writer');
  // a row group at a time (a Parquet file is written by column, a group of rows after another), in
  // the groups the writer makes of a whole file (1,000 rows, then 100,000 each): the same bytes,
  // with the columns of one group in memory, not of every report
  type Meta = ExportRow['meta'];
  const int = (name: string, of: (m: Meta) => number | null) => ({ name, type: 'INT32' as const, data: [] as Array<number | null>, of });
  const text = (c: keyof Meta) => ({ name: c, type: 'STRING' as const, data: [] as Array<string | null>, of: (m: Meta) => (m[c] === null ? null : String(m[c])) });
  const meta = [
    int('report_id', (m) => m.report_id as number),
    ...(['agency', 'region', 'level', 'body_kind'] as const).map(text),
    int('year', (m) => m.year as number | null),
    ...(['edition', 'published_on', 'path', 'format'] as const).map(text),
    { name: 'repetition', type: 'DOUBLE' as const, data: [] as Array<number | null>, of: (m: Meta) => m.repetition as number | null },
    int('errors', (m) => m.errors as number),
    int('warnings', (m) => m.warnings as number),
    text('rules'),
  ];
  let ambiguous: string[] = [];
  let cells = EXPORT_KEYS.map(() => [] as Array<number | null>);
  const writer = new ByteWriter();
  let file: InstanceType<typeof ParquetWriter> | undefined;
  let written = 0;
  const group = () => {
    const columnData = [
      ...meta.map(({ name, type, data }) => ({ name, type, data })),
      { name: 'ambiguous', type: 'STRING' as const, data: ambiguous },
      ...EXPORT_KEYS.map((k, i) => ({ name: k, type: 'DOUBLE' as const, data: cells[i]! })),
    ];
    file ??= new ParquetWriter({ writer, schema: schemaFromColumnData({ columnData }) });
    written += ambiguous.length;
    if (ambiguous.length > 0) void file.write({ columnData, rowGroupSize: ambiguous.length });
    for (const c of meta) c.data.length = 0;
    ambiguous = [];
    cells = EXPORT_KEYS.map(() => []);
  };
  for await (const r of rows) {
    for (const c of meta) (c.data as unknown[]).push(c.of(r.meta));
    r.cells.numbersInto(cells, ambiguous.length);
    ambiguous.push(r.cells.ambiguousKeys());
    if (ambiguous.length === (written === 0 ? 1000 : 100_000)) group();
  }
  group();
  file!.finish();
  return new Uint8Array(writer.getBuffer());
}

const META_HEAD = ['机关 agency', '地区 region', '层级 level', '年度 year', '模板 edition', '发布日期 published', '错误 errors', '警告 warnings', '规则 rules'];
const metaCells = (r: ExportRow): XlsxValue[] => [r.meta.agency, r.meta.region, r.meta.level, r.meta.year, r.meta.edition, r.meta.published_on ? { date: String(r.meta.published_on) } : null, r.meta.errors, r.meta.warnings, r.meta.rules] as XlsxValue[];

/** A sheet of the XLSX export: its header rows and merges, and how a report's rows are written in it (`meta` its meta cells, made once a report; `row` gives each row's number). */
interface XlsxSheet {
  name: string;
  head: XlsxValue[][];
  merges: Array<[number, number, number, number]>;
  write: (r: ExportRow, meta: readonly XlsxValue[], rows: SheetRows, row: () => number) => void;
}

/** The XLSX export's sheets: one per table, headed like the template, and the findings. */
function xlsxSheets(): XlsxSheet[] {
  const tables: Array<{ name: string; groups: Array<{ label: string; columns: Array<{ key: string; label: string }> }> }> = [
    { name: '二、主动公开', groups: [...T2_ROWS['2021'], ...T2_ROWS['2019'].filter((r) => !T2_ROWS['2021'].some((x) => x.id === r.id))].map((row) => ({ label: row.label, columns: [...new Map([...T2_ROWS['2021'], ...T2_ROWS['2019']].filter((x) => x.id === row.id).flatMap((x) => x.columns).map((c) => [c.id, c])).values()].map((c) => ({ key: `t2.${row.id}.${c.id}`, label: c.label })) })) },
    { name: '三、依申请公开', groups: [...T3_ROWS['2021'], ...T3_ROWS['2019'].filter((r) => !T3_ROWS['2021'].some((x) => x.id === r.id))].map((row) => ({ label: row.label, columns: T3_COLUMNS.map((c) => ({ key: `t3.${row.id}.${c.id}`, label: c.label })) })) },
    { name: '四、复议诉讼', groups: T4_GROUPS.map((g) => ({ label: g.label, columns: T4_COLUMNS.map((c) => ({ key: `t4.${g.id}.${c.id}`, label: c.label })) })) },
  ];
  const sheets = tables.map((t): XlsxSheet => {
    const top: XlsxValue[] = [...META_HEAD];
    const second: XlsxValue[] = META_HEAD.map(() => null);
    const merges: Array<[number, number, number, number]> = META_HEAD.map((_, c) => [0, c, 1, c]);
    const keys: string[] = [];
    for (const g of t.groups) {
      const from = top.length;
      g.columns.forEach((c, i) => { top.push(i === 0 ? g.label : null); second.push(c.label); keys.push(c.key); });
      if (g.columns.length > 1) merges.push([0, from, 0, from + g.columns.length - 1]);
    }
    const first = META_HEAD.length;
    return {
      name: t.name, head: [top, second], merges,
      // the report's meta, then each cell: a number, `?`, or nothing for a blank or a cell it does not have
      write: (r, meta, rows, row) => {
        rows.begin(row());
        for (let c = 0; c < meta.length; c++) rows.cell(c, meta[c]!);
        const places = r.cells.places(keys);
        for (let j = 0; j < places.length; j++) {
          const v = r.cells.value(places[j]!);
          if (v === undefined || v === null) continue;
          if (v === '?') rows.text(first + j, '?');
          else rows.numberText(first + j, v);
        }
        rows.end();
      },
    };
  });
  sheets.push({
    name: '问题 findings', head: [['机关 agency', '年度 year', '规则 rule', '级别 severity', '说明 message', '单元格 cells']], merges: [],
    write: (r, meta, rows, row) => {
      // (a row's cells one by one, as `rows.row` would write them, without an array a finding)
      for (const f of JSON.parse(asText(r.findings)) as ExportFinding[]) {
        rows.begin(row());
        rows.cell(0, meta[0]!);
        rows.cell(1, meta[3]!);
        rows.cell(2, f.rule);
        rows.cell(3, f.severity);
        rows.cell(4, f.message);
        rows.cell(5, f.keys.join(' '));
        rows.end();
      }
    },
  });
  return sheets;
}

/** The most rows a sheet may have: Excel's and WPS's limit (a file with more does not open whole). */
export const XLSX_MAX_ROWS = 1_048_576;

/**
 * The most bytes of XML a sheet's rows may take: a ZIP entry (without ZIP64, which fflate does not
 * write) holds at most 4 GiB, and its size would wrap round unseen. A sheet of table 三 is some
 * 4.5 kB a report, so 950,000 reports would pass it within Excel's row limit; half a gigabyte is
 * left for the row being written, the sheet's start and its end.
 */
export const XLSX_MAX_BYTES = 3.5 * 2 ** 30;

/**
 * XLSX: a sheet per table, headed like the template (a first header row with each template row
 * merged over its columns, a second with the column labels, then one row per report), and the
 * findings. Made in one pass over the reports: each sheet's rows are written as XML bytes and
 * compressed as they come, and its start (the columns' widths, sized to what the rows hold) is made
 * when they are done and put before them (`WorkbookStream`). Memory holds the compressed sheets,
 * not every report (the first version held both, 1.5 GB for 20,000 reports). A sheet that would
 * pass `maxRows` (Excel's limit: the findings of some 115,000 reports), or whose rows' XML would
 * pass `maxBytes` (a ZIP entry's), goes on in another, `(2)`, `(3)` after its name, headed the same
 * and its columns as wide; a workbook whose compressed bytes would pass `most` (what a ZIP without
 * ZIP64 holds) is refused (`WorkbookTooLarge`). Its bytes come when the last
 * report is written: `signal` gives it up before (the web app's download cut off or timed out).
 */
export async function* exportXlsx(rows: AsyncIterable<ExportRow>, opts: { maxRows?: number; maxBytes?: number; most?: number; signal?: AbortSignal } = {}): AsyncGenerator<Uint8Array> {
  const maxRows = opts.maxRows ?? XLSX_MAX_ROWS;
  const maxBytes = opts.maxBytes ?? XLSX_MAX_BYTES;
  const sheets = xlsxSheets();
  const book = new WorkbookStream({ most: opts.most });
  const shared = new SharedStrings();
  /** The compressors that asked the XML's making to wait for them. */
  let waits: Array<Promise<void>> = [];
  const kinds = sheets.map((s) => {
    // a sheet kind's header rows are written once, and its columns' widths grow over all its parts
    const head: Uint8Array[] = [];
    const writer = new SheetRows((piece) => head.push(piece.slice()), { merges: s.merges, headerRows: s.head.length, buffer: () => book.buffer(), shared });
    s.head.forEach((row, r) => writer.row(row, r));
    writer.flush();
    return { writer, head, parts: [] as number[], at: s.head.length, from: 0 };
  });
  /** Sheet kind `k`'s next part: its rows go to a new sheet of the workbook. */
  const open = (k: number) => {
    const kind = kinds[k]!;
    const s = sheets[k]!;
    if (kind.parts.length > 0) { kind.writer.raw(sheetEnd(s.merges)); kind.writer.flush(); }
    const i = book.add(kind.parts.length === 0 ? s.name : `${s.name} (${kind.parts.length + 1})`, k < 3 ? LEVEL.numbers : LEVEL.text);
    kind.parts.push(i);
    kind.writer.out = (piece) => { const wait = book.push(i, piece); if (wait) waits.push(wait); };
    kind.at = s.head.length;
    kind.from = kind.writer.written;
  };
  sheets.forEach((_, k) => open(k));
  let ended = false;
  try {
    for await (const r of rows) {
      // (given up: the reading and the compressing stop now, not when the workbook would be done)
      opts.signal?.throwIfAborted();
      const meta = metaCells(r);
      for (let k = 0; k < sheets.length; k++) {
        const kind = kinds[k]!;
        sheets[k]!.write(r, meta, kind.writer, () => {
          if (kind.at >= maxRows || kind.writer.written - kind.from >= maxBytes) open(k);
          return kind.at++;
        });
      }
      if (waits.length > 0) { await Promise.all(waits); waits = []; }
    }
    const starts: Uint8Array[] = [];
    kinds.forEach((kind, k) => {
      const s = sheets[k]!;
      kind.writer.raw(sheetEnd(s.merges));
      kind.writer.flush();
      const start = concat([Buffer.from(sheetStart(kind.writer.columns, s.head.length)), ...kind.head]);
      for (const i of kind.parts) starts[i] = start;
    });
    const bytes = await book.end(starts, kinds.flatMap((kind) => kind.parts), shared.used ? shared.xml() : undefined);
    ended = true;
    yield* bytes;
  } finally {
    // stopped before its end (the download's reader went away): the compressors stop too
    if (!ended) book.abort();
  }
}
