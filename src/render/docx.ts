/**
 * A report as a DOCX in the official layout: merged header cells as gridSpan/vMerge, as in
 * the template Word file the General Office distributes.
 */
import { strToU8, zipSync } from 'fflate';
import type { Report } from '../types.ts';
import { escapeHtml as esc } from './html.ts';
import { reportBlocks } from './document.ts';
import type { LayoutTable } from './layout.ts';


/** Table text as the template sets it: 10 pt, 宋体 for Chinese. */
const TABLE_RUN = { size: 20, eastAsia: '宋体' };

function para(text: string, opts: { bold?: boolean; center?: boolean; size?: number; eastAsia?: string } = {}): string {
  const ppr = opts.center ? '<w:pPr><w:jc w:val="center"/></w:pPr>' : '';
  const props = `${opts.eastAsia ? `<w:rFonts w:eastAsia="${opts.eastAsia}"/>` : ''}${opts.bold ? '<w:b/>' : ''}${opts.size ? `<w:sz w:val="${opts.size}"/><w:szCs w:val="${opts.size}"/>` : ''}`;
  const rpr = props ? `<w:rPr>${props}</w:rPr>` : '';
  return `<w:p>${ppr}${text === '' ? '' : `<w:r>${rpr}<w:t xml:space="preserve">${esc(text)}</w:t></w:r>`}</w:p>`;
}

/** The page's text width (A4, 2.54 cm margins), which the tables fill. */
const TABLE_WIDTH = 9000;

export function tableXml(t: LayoutTable): string {
  // the template's column widths, scaled to the page
  const total = t.widths.reduce((a, b) => a + b, 0);
  const cols = t.widths.map((w) => Math.round((w * TABLE_WIDTH) / total));
  const span = (from: number, n: number) => cols.slice(from, from + n).reduce((a, b) => a + b, 0);
  // which cell covers each slot, to write vMerge continuation cells where a rowspan passes
  const at = new Map<string, (typeof t.cells)[number]>();
  for (const c of t.cells) for (let r = c.r; r < c.r + c.rowSpan; r++) at.set(`${r},${c.c}`, c);
  const rows: string[] = [];
  for (let r = 0; r < t.rows; r++) {
    const tcs: string[] = [];
    for (let col = 0; col < t.cols;) {
      const c = at.get(`${r},${col}`);
      if (!c) { tcs.push(`<w:tc><w:tcPr><w:tcW w:w="${cols[col]}" w:type="dxa"/></w:tcPr>${para('')}</w:tc>`); col++; continue; }
      const gridSpan = c.colSpan > 1 ? `<w:gridSpan w:val="${c.colSpan}"/>` : '';
      const vm = c.rowSpan > 1 ? (c.r === r ? '<w:vMerge w:val="restart"/>' : '<w:vMerge/>') : '';
      tcs.push(`<w:tc><w:tcPr><w:tcW w:w="${span(col, c.colSpan)}" w:type="dxa"/>${gridSpan}${vm}<w:vAlign w:val="center"/></w:tcPr>${para(c.r === r ? c.text : '', { center: true, ...TABLE_RUN })}</w:tc>`);
      col += c.colSpan;
    }
    rows.push(`<w:tr>${tcs.join('')}</w:tr>`);
  }
  const grid = `<w:tblGrid>${cols.map((w) => `<w:gridCol w:w="${w}"/>`).join('')}</w:tblGrid>`;
  const borders = ['top', 'left', 'bottom', 'right', 'insideH', 'insideV'].map((b) => `<w:${b} w:val="single" w:sz="4" w:space="0" w:color="000000"/>`).join('');
  // fixed layout: Word, WPS and LibreOffice keep the template's widths instead of fitting to content
  return `<w:tbl><w:tblPr><w:tblW w:w="${TABLE_WIDTH}" w:type="dxa"/><w:jc w:val="center"/><w:tblBorders>${borders}</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/></w:tblCellMar></w:tblPr>${grid}${rows.join('')}</w:tbl>`;
}

export function reportDocx(report: Report): Uint8Array {
  const body = reportBlocks(report).map((b) => {
    switch (b.kind) {
      case 'title': return para(b.text, { bold: true, center: true, size: 36 });
      case 'heading': return para(b.text, { bold: true });
      case 'para': return para(b.text);
      case 'table': return tableXml(b.table) + para('');
    }
  }).join('');
  const document = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>${body}<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="1440" w:right="1440" w:bottom="1440" w:left="1440" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>`;
  return zipSync({
    '[Content_Types].xml': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'),
    '_rels/.rels': strToU8('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>'),
    'word/document.xml': strToU8(document),
  }, { level: 6, mtime: new Date('2020-01-01T00:00:00Z') });
}
