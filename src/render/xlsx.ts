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
  const files: Record<string, Uint8Array> = {};
  const title = report.meta.title ?? report.source.name;
  tables.forEach((t, i) => { files[`xl/worksheets/sheet${i + 1}.xml`] = strToU8(sheetXml(t, i === 0 ? title : t.heading)); });
  const sheets = tables.map((t, i) => `<sheet name="${SHEET_NAMES[t.id]}" sheetId="${i + 1}" r:id="rId${i + 1}"/>`).join('');
  const rels = tables.map((_, i) => `<Relationship Id="rId${i + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet${i + 1}.xml"/>`).join('');
  files['xl/workbook.xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>${sheets}</sheets></workbook>`);
  files['xl/_rels/workbook.xml.rels'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">${rels}</Relationships>`);
  files['_rels/.rels'] = strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>');
  files['[Content_Types].xml'] = strToU8(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>${tables.map((_, i) => `<Override PartName="/xl/worksheets/sheet${i + 1}.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>`).join('')}</Types>`);
  return zipSync(files, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}
