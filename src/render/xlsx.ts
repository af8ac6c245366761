/**
 * A report's tables as an XLSX workbook: one sheet per table, laid out like the official
 * template (merged header cells), numbers as numbers. Supervisors work in Excel and WPS.
 */
import { strToU8, zipSync } from 'fflate';
import type { Report } from '../types.ts';
import { escapeHtml as esc } from './html.ts';
import { layoutTables, type LayoutTable } from './layout.ts';
import { colName } from '../read/xlsx.ts';

function sheetXml(t: LayoutTable, title: string): string {
  const byRow = new Map<number, LayoutTable['cells']>();
  for (const c of t.cells) byRow.set(c.r + 1, [...(byRow.get(c.r + 1) ?? []), c]);
  const rows: string[] = [`<row r="1"><c r="A1" t="inlineStr"><is><t>${esc(title)}</t></is></c></row>`];
  for (let r = 0; r < t.rows; r++) {
    const cells = (byRow.get(r + 1) ?? []).sort((a, b) => a.c - b.c).map((c) => {
      const ref = `${colName(c.c)}${r + 2}`;
      if (c.text === '') return `<c r="${ref}"/>`;
      if (c.key && /^-?\d+(?:\.\d+)?$/.test(c.text)) return `<c r="${ref}"><v>${c.text}</v></c>`;
      return `<c r="${ref}" t="inlineStr"><is><t>${esc(c.text)}</t></is></c>`;
    });
    rows.push(`<row r="${r + 2}">${cells.join('')}</row>`);
  }
  const merges = t.cells.filter((c) => c.rowSpan > 1 || c.colSpan > 1).map((c) => `<mergeCell ref="${colName(c.c)}${c.r + 2}:${colName(c.c + c.colSpan - 1)}${c.r + 1 + c.rowSpan}"/>`);
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>${rows.join('')}</sheetData>${merges.length ? `<mergeCells count="${merges.length}">${merges.join('')}</mergeCells>` : ''}</worksheet>`;
}

const SHEET_NAMES = { t2: '主动公开', t3: '依申请公开', t4: '复议诉讼' };

export function reportXlsx(report: Report): Uint8Array {
  const tables = layoutTables(report);
  const title = report.meta.title ?? report.source.name;
  return workbookXlsx(tables.map((t, i) => ({ name: SHEET_NAMES[t.id], xml: sheetXml(t, i === 0 ? title : t.heading) })));
}

/** A sheet of plain rows: numbers as numbers, text inline, merged ranges [r0, c0, r1, c1]. */
export function rowsSheetXml(rows: ReadonlyArray<ReadonlyArray<string | number | null>>, merges: ReadonlyArray<[number, number, number, number]> = [], frozenRows = 0): string {
  const body = rows.map((row, r) => `<row r="${r + 1}">${row.map((v, c) => {
    const ref = `${colName(c)}${r + 1}`;
    if (v === null || v === '') return '';
    return typeof v === 'number' ? `<c r="${ref}"><v>${v}</v></c>` : `<c r="${ref}" t="inlineStr"><is><t>${esc(v)}</t></is></c>`;
  }).join('')}</row>`).join('');
  const pane = frozenRows > 0 ? `<sheetViews><sheetView workbookViewId="0"><pane ySplit="${frozenRows}" topLeftCell="A${frozenRows + 1}" activePane="bottomLeft" state="frozen"/></sheetView></sheetViews>` : '';
  const m = merges.length ? `<mergeCells count="${merges.length}">${merges.map(([r0, c0, r1, c1]) => `<mergeCell ref="${colName(c0)}${r0 + 1}:${colName(c1)}${r1 + 1}"/>`).join('')}</mergeCells>` : '';
  return `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">${pane}<sheetData>${body}</sheetData>${m}</worksheet>`;
}

/** Sheets (name and worksheet XML) into an XLSX workbook. */
export function workbookXlsx(sheets: ReadonlyArray<{ name: string; xml: string }>): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  sheets.forEach((s, i) => { files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(s.xml); });
  const list = sheets.map((s, i) => `<sheet name="${esc(s.name)}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = sheets.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  files['xl/workbook.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${list}</sheets></workbook>`);
  files['xl/_rels/workbook.xml.rels'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  files['_rels/.rels'] = strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  files['[Content_Types].xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${sheets.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`);
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}
