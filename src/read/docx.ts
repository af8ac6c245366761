/**
 * The DOCX reader (Word 2007+ and WPS's DOCX): word/document.xml → SourceDocument.
 *
 * Paragraphs become text lines; tables become grids, with merged cells from `w:gridSpan`
 * (columns), `w:vMerge` (rows) and `w:gridBefore` (leading empty grid columns). Text boxes
 * (`w:txbxContent`) are read once (the `mc:Fallback` copy is skipped); deleted revisions and
 * field codes are not text. A table inside a table cell is read as a table of its own, after the
 * cell's own text. Origins: the part and the character offset of the paragraph or cell.
 */
import type { GridCell, Origin, SourceDocument } from '../types.ts';
import { DocumentBuilder, joinPieces } from './builder.ts';
import { ReadError } from './text.ts';
import { walkXml } from './xml.ts';
import { readParts } from './zip.ts';

const PART = 'word/document.xml';

interface TcState { lines: string[]; line: string; span: number; vmerge: 'restart' | 'continue' | null; offset: number }
interface TableState { rows: Array<Array<TcState & { col: number }>>; row: Array<TcState & { col: number }> | null; col: number; cell: TcState | null }

/** Read word/document.xml of a DOCX container. */
export function readDocx(bytes: Uint8Array, name = '<input>'): SourceDocument {
  const parts = readParts(bytes, (n) => n === PART);
  const xml = parts.get(PART);
  if (xml === undefined) throw new ReadError('corrupt', `a DOCX with no ${PART}`);
  const b = new DocumentBuilder();
  const tables: TableState[] = [];
  /** Paragraph buffers: text boxes open a new one inside a paragraph. */
  const paras: Array<{ text: string; offset: number }> = [];
  let skip = 0; // inside mc:Fallback, w:del, w:instrText…
  let inText = false;

  const cell = () => tables[tables.length - 1]?.cell ?? null;

  const endParagraph = () => {
    const p = paras.pop();
    if (!p) return;
    const c = cell();
    // a paragraph inside a text box inside a cell still belongs to the cell
    if (c && paras.length === 0) { c.lines.push(p.text); return; }
    b.paragraph(p.text, { part: PART, offset: p.offset });
  };

  const endTable = () => {
    const t = tables.pop()!;
    const grid: GridCell[] = [];
    const above = new Map<number, GridCell>(); // column → the cell a vMerge continues
    let cols = 0;
    t.rows.forEach((row, r) => {
      for (const tc of row) {
        cols = Math.max(cols, tc.col + tc.span);
        if (tc.vmerge === 'continue') {
          const start = above.get(tc.col);
          if (start) { start.rowSpan = r - start.r + 1; continue; }
        }
        const origin: Origin = { part: PART, offset: tc.offset };
        const g: GridCell = { r, c: tc.col, rowSpan: 1, colSpan: tc.span, text: joinPieces(tc.lines), origin };
        grid.push(g);
        for (let k = 0; k < tc.span; k++) above.set(tc.col + k, g);
      }
    });
    b.grid(grid, t.rows.length, cols);
  };

  walkXml(xml, PART, {
    open(tag, attrs, offset) {
      if (skip > 0) { skip++; return; }
      switch (tag) {
        case 'mc:Fallback': case 'w:del': case 'w:instrText': case 'w:delText': case 'w:hdr': case 'w:ftr':
          skip = 1; return;
        case 'w:p': paras.push({ text: '', offset }); return;
        case 'w:t': inText = true; return;
        case 'w:tab': if (paras.length) paras[paras.length - 1]!.text += ' '; return;
        case 'w:br': case 'w:cr': {
          const p = paras[paras.length - 1];
          const c = cell();
          if (p && c) { c.lines.push(p.text); p.text = ''; } else if (p) { b.paragraph(p.text, { part: PART, offset: p.offset }); p.text = ''; }
          return;
        }
        case 'w:noBreakHyphen': if (paras.length) paras[paras.length - 1]!.text += '-'; return;
        case 'w:tbl': tables.push({ rows: [], row: null, col: 0, cell: null }); return;
        case 'w:tr': { const t = tables[tables.length - 1]; if (t) { t.row = []; t.col = 0; } return; }
        case 'w:gridBefore': { const t = tables[tables.length - 1]; if (t) t.col += Number(attrs.get('w:val') ?? 0) || 0; return; }
        case 'w:tc': { const t = tables[tables.length - 1]; if (t) t.cell = { lines: [], line: '', span: 1, vmerge: null, offset }; return; }
        case 'w:gridSpan': { const c = cell(); if (c) c.span = Math.min(Math.max(1, Number(attrs.get('w:val') ?? 1) || 1), 1000); return; }
        case 'w:vMerge': { const c = cell(); if (c) c.vmerge = attrs.get('w:val') === 'restart' ? 'restart' : 'continue'; return; }
        default: return;
      }
    },
    close(tag) {
      if (skip > 0) { skip--; return; }
      switch (tag) {
        case 'w:t': inText = false; return;
        case 'w:p': endParagraph(); return;
        case 'w:tc': {
          const t = tables[tables.length - 1];
          if (t?.cell && t.row) { t.row.push({ ...t.cell, col: t.col }); t.col += t.cell.span; }
          if (t) t.cell = null;
          return;
        }
        case 'w:tr': { const t = tables[tables.length - 1]; if (t?.row) t.rows.push(t.row); if (t) t.row = null; return; }
        case 'w:tbl': endTable(); return;
        default: return;
      }
    },
    text(text) {
      if (skip > 0 || !inText || paras.length === 0) return;
      paras[paras.length - 1]!.text += text;
    },
  });
  if (b.empty) throw new ReadError('empty', 'a DOCX with no text');
  return b.finish({ name, encoding: 'utf-8', bytes: bytes.length, format: 'docx' });
}
