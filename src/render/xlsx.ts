/**
 * XLSX workbooks, as people open them in Excel, WPS and LibreOffice: a report's tables laid out
 * like the official template (merged header cells), and the plain sheets of `export`. Numbers are
 * numbers, dates are dates (shown yyyy-mm-dd), every column is as wide as what it holds (so body
 * names, dates and rule lists are not cut off), header rows are bold, wrapped and frozen.
 */
import { strToU8, zipSync } from 'fflate';
import type { Report } from '../types.ts';
import { width } from '../format/text.ts';
import { escapeHtml as esc } from './html.ts';
import { layoutTables, type LayoutTable } from './layout.ts';
import { colName } from '../read/xlsx.ts';

/** A date cell: an ISO day (YYYY-MM-DD), written as a date serial with a date format. */
export interface XlsxDate { date: string }
export type XlsxValue = string | number | null | XlsxDate;

/** Cell styles (cellXfs in styles.xml): 0 plain, 1 a date, 2 a header (bold, wrapped, centred). */
const STYLE = { plain: 0, date: 1, header: 2 } as const;

const STYLES = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<styleSheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><numFmts count="1"><numFmt numFmtId="164" formatCode="yyyy\\-mm\\-dd"/></numFmts><fonts count="2"><font><sz val="11"/><name val="宋体"/><charset val="134"/></font><font><b/><sz val="11"/><name val="宋体"/><charset val="134"/></font></fonts><fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills><borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders><cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs><cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/><xf numFmtId="164" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/><xf numFmtId="0" fontId="1" fillId="0" borderId="0" xfId="0" applyFont="1" applyAlignment="1"><alignment horizontal="center" vertical="center" wrapText="1"/></xf></cellXfs><cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles></styleSheet>`;

const ISO_DAY = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The spreadsheet serial of an ISO day (days since 1899-12-30), or null if it is not one. */
export function dateSerial(day: string): number | null {
  const m = ISO_DAY.exec(day);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const back = new Date(t);
  if (back.getUTCMonth() !== Number(m[2]) - 1 || back.getUTCDate() !== Number(m[3])) return null;
  return t / 86_400_000 + 25_569;
}

const shown = (v: XlsxValue): string => (v === null ? '' : typeof v === 'object' ? v.date : String(v));

/** Widest a column grows (characters), and the most a wrapped header asks of it. */
const MAX_WIDTH = 60;
const HEADER_WIDTH = 16;

/**
 * Column widths from the content, row by row: the widest value of each column (CJK counts double),
 * a header cell counting at most HEADER_WIDTH (it wraps), cells merged across columns not counted.
 */
export class ColumnWidths {
  private readonly widths: number[] = [];
  private readonly spanned: Set<string>;
  /** The last row a spanning cell starts on: rows below it are not looked up (an export's 100,000 reports' rows are below its header's). */
  private readonly lastSpanned: number;
  private readonly headerRows: number;
  constructor(merges: SheetOptions['merges'] = [], headerRows = 0) {
    const spanning = merges.filter(([, c0, , c1]) => c1 > c0);
    this.spanned = new Set(spanning.map(([r0, c0]) => `${r0},${c0}`));
    this.lastSpanned = Math.max(-1, ...spanning.map(([r0]) => r0));
    this.headerRows = headerRows;
  }

  /** Row `r` (counted from 0, header rows included). */
  add(row: ReadonlyArray<XlsxValue>, r: number): void {
    const spans = r <= this.lastSpanned;
    row.forEach((v, c) => {
      if (v === null || (spans && this.spanned.has(`${r},${c}`))) return;
      const w = Math.min(r < this.headerRows ? HEADER_WIDTH : MAX_WIDTH, width(shown(v)));
      this.widths[c] = Math.max(this.widths[c] ?? 0, w);
    });
  }

  /** Each column's width in characters. */
  get columns(): number[] {
    return Array.from(this.widths, (w) => Math.max(6, (w ?? 0) + 2));
  }
}

export interface SheetOptions {
  /** Merged ranges [r0, c0, r1, c1]. */
  merges?: ReadonlyArray<readonly [number, number, number, number]>;
  /** Header rows at the top: bold and wrapped, and kept in view when scrolling. */
  headerRows?: number;
  /** Keep the header rows in view (default true). */
  freeze?: boolean;
}

/** A sheet's XML before its rows: its frozen header and its columns' widths. */
export function sheetStart(widths: readonly number[], headerRows: number, freeze = true): string {
  const pane = headerRows > 0 && freeze ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${headerRows}" topLeftCell="A${headerRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` : '';
  const cols = widths.map((w, i) => `<col min="${i + 1}" max="${i + 1}" width="${w}" customWidth="1"/>`).join('');
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${pane}${cols ? `<cols>${cols}</cols>` : ''}<sheetData>`;
}

/** Row `r` (from 0) of a sheet: numbers as numbers, dates as dates, text inline. */
export function rowXml(row: ReadonlyArray<XlsxValue>, r: number, headerRows: number): string {
  return `<row r="${r + 1}">${row.map((v, c) => {
    const ref = `${colName(c)}${r + 1}`;
    const s = r < headerRows ? ` s="${STYLE.header}"` : '';
    if (v === null || v === '') return s ? `<c r="${ref}"${s}/>` : '';
    if (typeof v === 'number') return `<c r="${ref}"${s}><v>${v}</v></c>`;
    if (typeof v === 'object') {
      const serial = dateSerial(v.date);
      if (serial !== null) return `<c r="${ref}" s="${STYLE.date}"><v>${serial}</v></c>`;
      v = v.date;
    }
    return `<c r="${ref}"${s} t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join('')}</row>`;
}

/** A sheet's XML after its rows: its merged ranges. */
export function sheetEnd(merges: SheetOptions['merges'] = []): string {
  const m = merges.length ? `<mergeCells count="${merges.length}">${merges.map(([r0, c0, r1, c1]) => `<mergeCell ref="${colName(c0)}${r0 + 1}:${colName(c1)}${r1 + 1}"/>`).join('')}</mergeCells>` : '';
  return `</sheetData>${m}</worksheet>`;
}

/** A sheet of rows: numbers as numbers, dates as dates, text inline; columns sized to the content. */
export function rowsSheetXml(rows: ReadonlyArray<ReadonlyArray<XlsxValue>>, opts: SheetOptions = {}): string {
  const headerRows = opts.headerRows ?? 0;
  const widths = new ColumnWidths(opts.merges, headerRows);
  rows.forEach((row, r) => widths.add(row, r));
  return `${sheetStart(widths.columns, headerRows, opts.freeze !== false)}${rows.map((row, r) => rowXml(row, r, headerRows)).join('')}${sheetEnd(opts.merges)}`;
}

/** A table in the template's layout as rows: its title above, its merged cells as merges. */
function layoutSheetXml(t: LayoutTable, title: string): string {
  const rows: XlsxValue[][] = [[title], ...Array.from({ length: t.rows }, () => new Array<XlsxValue>(t.cols).fill(null))];
  for (const c of t.cells) {
    rows[c.r + 1]![c.c] = c.text === '' ? null : c.key && /^-?\d+(?:\.\d+)?$/.test(c.text) ? Number(c.text) : c.text;
  }
  const merges = t.cells.filter((c) => c.rowSpan > 1 || c.colSpan > 1).map((c) => [c.r + 1, c.c, c.r + c.rowSpan, c.c + c.colSpan - 1] as const);
  const headerRows = 1 + Math.min(...t.cells.filter((c) => c.key).map((c) => c.r));
  return rowsSheetXml(rows, { merges, headerRows, freeze: false });
}

const SHEET_NAMES = { t2: '主动公开', t3: '依申请公开', t4: '复议诉讼' };

export function reportXlsx(report: Report): Uint8Array {
  const tables = layoutTables(report);
  const title = report.meta.title ?? report.source.name;
  return workbookXlsx(tables.map((t, i) => ({ name: SHEET_NAMES[t.id], xml: layoutSheetXml(t, i === 0 ? title : t.heading) })));
}

/** Every part of a workbook but its sheets' XML, by path: the workbook (its tabs in `order`), its relations, styles and content types. */
export function workbookParts(names: readonly string[], order: readonly number[] = names.map((_, i) => i)): Record<string, string> {
  // (sheet i is the part sheet{i+1}.xml; `order` is the order of the tabs)
  const list = order.map((i) => `<sheet name="${esc(names[i]!)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = names.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  const stylesRel = `<Relationship Id="rId${names.length + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/>`;
  return {
    'xl/workbook.xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${list}</sheets></workbook>`,
    'xl/_rels/workbook.xml.rels': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}${stylesRel}</Relationships>`,
    'xl/styles.xml': STYLES,
    '_rels/.rels': '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    '[Content_Types].xml': `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>${names.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`,
  };
}

/** The parts' time in the ZIP: fixed, so that the same workbook is the same bytes. */
export const MTIME = new Date('2020-01-01T00:00:00Z');

/** Sheets (name and worksheet XML) into an XLSX workbook. */
export function workbookXlsx(sheets: ReadonlyArray<{ name: string; xml: string }>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((s, i) => { files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(s.xml); });
  for (const [path, text] of Object.entries(workbookParts(sheets.map((s) => s.name)))) files[path] = strToU8(text);
  return zipSync(files, { level: 6, mtime: MTIME });
}
