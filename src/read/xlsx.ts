/**
 * The XLSX reader (Excel 2007+, WPS's XLSX): every sheet as a grid, merged ranges
 * (`mergeCells`) kept as spans. Numbers are read as stored, rounded to 15 significant digits
 * (binary floating point: 0.1+0.2 is stored as 0.30000000000000004). Origins: sheet and A1 ref.
 */
import type { GridCell, SourceDocument } from '../types.ts';
import { DocumentBuilder } from './builder.ts';
import { ReadError } from './text.ts';
import { walkXml } from './xml.ts';
import { readParts } from './zip.ts';

/** Most cells read from one sheet: a report has a few hundred. */
export const MAX_SHEET_CELLS = 1_000_000;

/** `B3` → [row 2, col 1]. */
export function parseRef(ref: string): [number, number] | null {
  let c = 0;
  let i = 0;
  for (; i < ref.length && i < 3; i++) {
    const ch = ref.charCodeAt(i);
    if (ch < 65 || ch > 90) break;
    c = c * 26 + (ch - 64);
  }
  if (i === 0 || i === ref.length || ref.length - i > 7) return null;
  let r = 0;
  for (let j = i; j < ref.length; j++) {
    const d = ref.charCodeAt(j) - 48;
    if (d < 0 || d > 9) return null;
    r = r * 10 + d;
  }
  return r > 0 ? [r - 1, c - 1] : null;
}

/** A cell's place as one number (columns stay under 16384 in every Excel version). */
const slot = (r: number, c: number) => r * 16384 + c;

/** A stored number as a person would write it. */
export function numberText(v: string): string {
  const n = Number(v);
  if (!Number.isFinite(n) || !/[eE.]/.test(v)) return v;
  return String(Number(n.toPrecision(15)));
}

function sharedStrings(xml: string | undefined): string[] {
  if (!xml) return [];
  const out: string[] = [];
  let cur: string | null = null;
  let inT = false;
  let phonetic = 0;
  walkXml(xml, 'xl/sharedStrings.xml', {
    open(tag) {
      if (tag === 'si') cur = '';
      else if (tag === 'rPh') phonetic++;
      else if (tag === 't' && phonetic === 0) inT = true;
    },
    close(tag) {
      if (tag === 'si') { out.push(cur ?? ''); cur = null; } else if (tag === 'rPh') phonetic--;
      else if (tag === 't') inT = false;
    },
    text(t) { if (inT && cur !== null) cur += t; },
  });
  return out;
}

function sheetList(workbook: string, rels: string | undefined): Array<{ name: string; path: string }> {
  const targets = new Map<string, string>();
  if (rels) {
    walkXml(rels, 'xl/_rels/workbook.xml.rels', {
      open(tag, a) { if (tag === 'Relationship' && a.Id && a.Target) targets.set(a.Id, a.Target); },
      close() {}, text() {},
    });
  }
  const sheets: Array<{ name: string; path: string }> = [];
  walkXml(workbook, 'xl/workbook.xml', {
    open(tag, a) {
      if (tag !== 'sheet') return;
      const target = targets.get(a['r:id'] ?? '') ?? `worksheets/sheet${sheets.length + 1}.xml`;
      sheets.push({ name: a.name ?? `Sheet${sheets.length + 1}`, path: target.startsWith('/') ? target.slice(1) : `xl/${target}` });
    },
    close() {}, text() {},
  });
  return sheets;
}

function readSheet(xml: string, part: string, sheet: string, strings: string[], b: DocumentBuilder): void {
  const cells = new Map<number, GridCell>();
  const merges: string[] = [];
  let cur: { cell: GridCell; type: string; value: string } | null = null;
  let inValue = false;
  let rowNo = 0;
  let colNo = 0;
  walkXml(xml, part, {
    open(tag, a) {
      if (tag === 'row') { rowNo = Number(a.r ?? rowNo + 1); colNo = 0; } else if (tag === 'c') {
        const at = parseRef(a.r ?? '') ?? [rowNo - 1, colNo];
        colNo = at[1] + 1;
        if (cells.size >= MAX_SHEET_CELLS) throw new ReadError('limit', `sheet ${sheet} has more than ${MAX_SHEET_CELLS} cells`);
        const cell: GridCell = { r: at[0], c: at[1], rowSpan: 1, colSpan: 1, text: '', origin: { part, sheet, ref: a.r ?? '' } };
        cells.set(slot(at[0], at[1]), cell);
        cur = { cell, type: a.t ?? 'n', value: '' };
      } else if (tag === 'v' || tag === 't') inValue = cur !== null;
      else if (tag === 'mergeCell' && a.ref) merges.push(a.ref);
    },
    close(tag) {
      if (tag === 'v' || tag === 't') inValue = false;
      else if (tag === 'c' && cur) {
        cur.cell.text = cur.type === 's' ? strings[Number(cur.value)] ?? '' : cur.type === 'n' ? numberText(cur.value.trim()) : cur.type === 'b' ? (cur.value === '1' ? 'TRUE' : 'FALSE') : cur.value;
        cur = null;
      }
    },
    text(t) { if (inValue && cur) cur.value += t; },
  });
  for (const m of merges) {
    const [from, to] = m.split(':');
    const a = parseRef(from ?? '');
    const z = parseRef(to ?? from ?? '');
    if (!a || !z) continue;
    const key = slot(a[0], a[1]);
    const origin = cells.get(key) ?? { r: a[0], c: a[1], rowSpan: 1, colSpan: 1, text: '', origin: { part, sheet, ref: from! } };
    // a hostile range (A1:XFD1048576) is clamped like an HTML span
    origin.rowSpan = Math.min(z[0] - a[0] + 1, 10000);
    origin.colSpan = Math.min(z[1] - a[1] + 1, 1000);
    for (let r = a[0]; r <= z[0] && r - a[0] < 10000; r++) for (let c = a[1]; c <= z[1] && c - a[1] < 1000; c++) cells.delete(slot(r, c));
    cells.set(key, origin);
  }
  // Styled empty cells stay: a table row of blank cells is a row of blank cells.
  const kept = [...cells.values()];
  if (!kept.some((g) => g.text.trim() !== '')) return;
  const minR = Math.min(...kept.map((g) => g.r));
  const rows = Math.max(...kept.map((g) => g.r + g.rowSpan)) - minR;
  const cols = Math.max(...kept.map((g) => g.c + g.colSpan));
  b.grid(kept.map((g) => ({ ...g, r: g.r - minR })), rows, cols);
}

/** Read every sheet of an XLSX workbook. */
export function readXlsx(bytes: Uint8Array, name = '<input>'): SourceDocument {
  const parts = readParts(bytes, (n) => n === 'xl/workbook.xml' || n === 'xl/_rels/workbook.xml.rels' || n === 'xl/sharedStrings.xml' || /^xl\/worksheets\/[^/]+\.xml$/.test(n));
  const workbook = parts.get('xl/workbook.xml');
  if (!workbook) throw new ReadError('corrupt', 'an XLSX with no xl/workbook.xml');
  const strings = sharedStrings(parts.get('xl/sharedStrings.xml'));
  const b = new DocumentBuilder();
  for (const s of sheetList(workbook, parts.get('xl/_rels/workbook.xml.rels'))) {
    const xml = parts.get(s.path);
    if (xml !== undefined) readSheet(xml, s.path, s.name, strings, b);
  }
  if (b.empty) throw new ReadError('empty', 'a workbook with no text');
  return b.finish({ name, encoding: 'utf-8', bytes: bytes.length, format: 'xlsx' });
}
