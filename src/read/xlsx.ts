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
export const slot = (r: number, c: number) => r * 16384 + c;

/** Column 0 → `A`, 27 → `AB`. */
export function colName(c: number): string {
  let s = '';
  for (let n = c + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

/** [row 2, col 1] → `B3`. */
export const cellRef = (r: number, c: number) => `${colName(c)}${r + 1}`;

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
      open(tag, a) {
        if (tag !== 'Relationship') return;
        const id = a.get('Id');
        const target = a.get('Target');
        if (id && target) targets.set(id, target);
      },
      close() {}, text() {},
    });
  }
  const sheets: Array<{ name: string; path: string }> = [];
  walkXml(workbook, 'xl/workbook.xml', {
    open(tag, a) {
      if (tag !== 'sheet') return;
      const target = targets.get(a.get('r:id') ?? '') ?? `worksheets/sheet${sheets.length + 1}.xml`;
      sheets.push({ name: a.get('name') ?? `Sheet${sheets.length + 1}`, path: target.startsWith('/') ? target.slice(1) : `xl/${target}` });
    },
    close() {}, text() {},
  });
  return sheets;
}

function readSheet(xml: string, part: string, sheet: string, strings: string[], b: DocumentBuilder): void {
  const cells = new Map<number, GridCell>();
  const merges: string[] = [];
  // the cell being read: its record, its type (`t`) and its value's text so far
  let cell: GridCell | null = null;
  let type = 'n';
  let value = '';
  let inValue = false;
  let rowNo = 0;
  let colNo = 0;
  walkXml(xml, part, {
    open(tag, a) {
      if (tag === 'c') {
        const ref = a.get('r');
        let r = rowNo - 1;
        let c = colNo;
        if (ref !== undefined) {
          const at = parseRef(ref);
          if (!at) throw new ReadError('corrupt', `a damaged XLSX: cell reference “${ref}” in ${part}`);
          r = at[0];
          c = at[1];
        }
        colNo = c + 1;
        if (cells.size >= MAX_SHEET_CELLS) throw new ReadError('limit', `sheet ${sheet} has more than ${MAX_SHEET_CELLS} cells`);
        cell = { r, c, rowSpan: 1, colSpan: 1, text: '', origin: { part, sheet, ref: ref ?? '' } };
        cells.set(slot(r, c), cell);
        type = a.get('t') ?? 'n';
        value = '';
      } else if (tag === 'v' || tag === 't') inValue = cell !== null;
      else if (tag === 'row') {
        // Excel writes ASCII row numbers 1…1048576; anything else (`４`) is a damaged file
        const r = a.get('r');
        rowNo = r === undefined ? rowNo + 1 : /^\d{1,7}$/.test(r) ? Number(r) : NaN;
        if (!(rowNo >= 1 && rowNo <= 1_048_576)) throw new ReadError('corrupt', `a damaged XLSX: row number “${r}” in ${part}`);
        colNo = 0;
      } else if (tag === 'mergeCell') {
        const ref = a.get('ref');
        if (ref) merges.push(ref);
      }
    },
    close(tag) {
      if (tag === 'v' || tag === 't') inValue = false;
      else if (tag === 'c' && cell) {
        cell.text = type === 's' ? strings[Number(value)] ?? '' : type === 'n' ? numberText(value.trim()) : type === 'b' ? (value === '1' ? 'TRUE' : 'FALSE') : value;
        cell = null;
      }
    },
    text(t) { if (inValue && cell) value += t; },
  });
  const ranges: Array<[number, number, number, number]> = [];
  for (const m of merges) {
    const [from, to] = m.split(':');
    const a = parseRef(from ?? '');
    const z = parseRef(to ?? from ?? '');
    if (a && z) ranges.push([a[0], a[1], z[0], z[1]]);
  }
  placeSheet(cells, ranges, { part, sheet }, b);
}

/**
 * A sheet's cells (keyed by `slot`) and merged ranges [r0, c0, r1, c1] into the document: the
 * first cell of a range spans it and the others go. Styled empty cells stay: a table row of
 * blank cells is a row of blank cells. A sheet with no text is left out.
 */
export function placeSheet(cells: Map<number, GridCell>, merges: Array<[number, number, number, number]>, at: { part: string; sheet: string }, b: DocumentBuilder): void {
  for (const [r0, c0, r1, c1] of merges) {
    if (r1 < r0 || c1 < c0) continue;
    const key = slot(r0, c0);
    const first = cells.get(key) ?? { r: r0, c: c0, rowSpan: 1, colSpan: 1, text: '', origin: { ...at, ref: cellRef(r0, c0) } };
    // a hostile range (A1:XFD1048576) is clamped like an HTML span
    first.rowSpan = Math.min(r1 - r0 + 1, 10000);
    first.colSpan = Math.min(c1 - c0 + 1, 1000);
    for (let r = r0; r <= r1 && r - r0 < 10000; r++) for (let c = c0; c <= c1 && c - c0 < 1000; c++) cells.delete(slot(r, c));
    cells.set(key, first);
  }
  fillTables(cells, at);
  const kept = [...cells.values()];
  if (!kept.some((g) => g.text.trim() !== '')) return;
  let minR = Infinity;
  let rows = 0;
  let cols = 0;
  for (const g of kept) {
    minR = Math.min(minR, g.r);
    rows = Math.max(rows, g.r + g.rowSpan);
    cols = Math.max(cols, g.c + g.colSpan);
  }
  // the grid starts at its first row with a cell (the records are this sheet's own: moved in place)
  for (const g of kept) g.r -= minR;
  b.grid(kept, rows - minR, cols);
}

/**
 * A spreadsheet stores no record for a cell nobody styled or typed in, so a table row can
 * arrive as `label … 1` with its blanks missing. Inside a table they are blank cells: between
 * the first and the last row of a run of rows that use two or more columns, every uncovered
 * column up to the run's width gets an empty cell. Titles and notes above or below stay as
 * they are.
 */
function fillTables(cells: Map<number, GridCell>, at: { part: string; sheet: string }): void {
  const used = new Map<number, number[]>(); // row → covered columns, as [from, to) pairs in one list
  for (const g of cells.values()) {
    for (let r = g.r; r < g.r + g.rowSpan; r++) {
      const list = used.get(r);
      if (list) list.push(g.c, g.c + g.colSpan);
      else used.set(r, [g.c, g.c + g.colSpan]);
    }
  }
  const rows = [...used.keys()].sort((x, y) => x - y);
  const wide = (r: number) => {
    const list = used.get(r)!;
    let n = 0;
    for (let k = 0; k < list.length; k += 2) n += list[k + 1]! - list[k]!;
    return n >= 2;
  };
  for (let i = 0; i < rows.length;) {
    let j = i;
    while (j + 1 < rows.length && rows[j + 1] === rows[j]! + 1) j++;
    let first = i;
    let last = j;
    i = j + 1;
    while (first <= last && !wide(rows[first]!)) first++;
    if (first > last) continue;
    while (!wide(rows[last]!)) last--;
    let width = 0;
    for (let k = first; k <= last; k++) {
      const list = used.get(rows[k]!)!;
      for (let m = 1; m < list.length; m += 2) width = Math.max(width, list[m]!);
    }
    if (width > 1000) continue; // a hostile merge: leave it
    const covered = new Uint8Array(width);
    for (let k = first; k <= last; k++) {
      const r = rows[k]!;
      const list = used.get(r)!;
      // (loops, not TypedArray fill: a row is a few columns, and fill is a call into the engine's C++)
      for (let c = 0; c < width; c++) covered[c] = 0;
      for (let m = 0; m < list.length; m += 2) for (let c = list[m]!, z = Math.min(list[m + 1]!, width); c < z; c++) covered[c] = 1;
      for (let c = 0; c < width; c++) {
        if (covered[c]) continue;
        if (cells.size >= MAX_SHEET_CELLS) throw new ReadError('limit', `sheet ${at.sheet} has more than ${MAX_SHEET_CELLS} cells`);
        cells.set(slot(r, c), { r, c, rowSpan: 1, colSpan: 1, text: '', origin: { ...at, ref: cellRef(r, c) } });
      }
    }
  }
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
