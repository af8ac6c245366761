/**
 * The DOC reader (Word 97-2003 and WPS's .wps, both the Word binary format inside a compound
 * file): the main document's paragraphs and tables, into the same model as the DOCX reader.
 *
 * How: the FIB locates the piece table (CLX), which maps character positions to 8-bit
 * (cp1252) or UTF-16 text; the paragraph property pages (PAPX FKPs) say which paragraph marks
 * end a table cell and which end a row (sprmPFTtp) — the `\x07` marks alone cannot tell an
 * empty cell from the end of a row. A row's table definition (sprmTDefTable) gives the cell
 * edges, from which column spans follow, and its vertical-merge flags give row spans.
 *
 * Read: body text, tables with horizontal and vertical merges, field results (a field's code
 * is not text). Lost, and said so here: headers, footers, footnotes, comments and text boxes
 * (separate stories of the file), pictures, formatting, and a nested table's own grid (its
 * text is kept inside the outer cell). Refused: Word 6/95 files and encrypted files.
 * Origins: the WordDocument stream and the character position (CP) where a cell or paragraph
 * starts.
 */
import type { GridCell, SourceDocument } from '../types.ts';
import { DocumentBuilder, joinPieces } from './builder.ts';
import { readOle, type Ole, u16, u32 } from './ole.ts';
import { ReadError } from './text.ts';

const PART = 'WordDocument';

const i16 = (b: Uint8Array, i: number) => (u16(b, i) << 16) >> 16;

interface Piece { cp: number; cpEnd: number; fc: number; compressed: boolean }

/** What a paragraph's properties say about tables. */
interface Pap { inTable: boolean; ttp: boolean; itap: number; innerCell: boolean; innerTtp: boolean; edges?: number[]; merges?: number[] }

interface PapRun { fc: number; fcEnd: number; pap: Pap }

const bad = (what: string) => new ReadError('corrupt', `a damaged Word binary file (${what})`);

/** The piece table: which bytes hold which characters. */
function pieces(table: Uint8Array, fcClx: number, lcbClx: number): Piece[] {
  let i = fcClx;
  const end = fcClx + lcbClx;
  if (end > table.length) throw bad('the piece table lies outside the table stream');
  while (i < end && table[i] === 0x01) i += 3 + u16(table, i + 1); // Prc: property modifiers, not text
  if (table[i] !== 0x02) throw bad('no piece table');
  const lcb = u32(table, i + 1);
  const plc = i + 5;
  if (plc + lcb > table.length || lcb < 16) throw bad('a piece table outside the table stream');
  const n = (lcb - 4) / 12;
  if (!Number.isInteger(n)) throw bad('a piece table of odd size');
  const out: Piece[] = [];
  for (let k = 0; k < n; k++) {
    const raw = u32(table, plc + 4 * (n + 1) + 8 * k + 2);
    const compressed = (raw & 0x40000000) !== 0;
    out.push({ cp: u32(table, plc + 4 * k), cpEnd: u32(table, plc + 4 * (k + 1)), fc: compressed ? (raw & 0x3fffffff) / 2 : raw, compressed });
  }
  return out;
}

/** The operand size of a sprm, from its opcode (spra), or -1 when the operand says it. */
const SPRA_SIZE = [1, 1, 2, 4, 2, 2, -1, 3];

/** Table facts from one paragraph's sprms. A row with many cells keeps them in the Data stream. */
function papOf(g: Uint8Array, from: number, to: number, data?: Uint8Array): Pap {
  const pap: Pap = { inTable: false, ttp: false, itap: 0, innerCell: false, innerTtp: false };
  let i = from;
  while (i + 2 <= to) {
    const op = u16(g, i);
    i += 2;
    let size = SPRA_SIZE[op >> 13]!;
    let at = i;
    if (size < 0) {
      if (op === 0xd608) { size = u16(g, i) - 1; at = i + 2; i += 2; } else { size = g[i]!; at = i + 1; i += 1; }
    }
    if (at + size > to) break;
    switch (op) {
      case 0x2416: pap.inTable = g[at] !== 0; if (pap.inTable && pap.itap === 0) pap.itap = 1; break;
      case 0x2417: pap.ttp = g[at] !== 0; break;
      case 0x6649: pap.itap = u32(g, at); break;
      case 0x244b: pap.innerCell = g[at] !== 0; break;
      case 0x244c: pap.innerTtp = g[at] !== 0; break;
      case 0xd608: {
        // TDefTableOperand: cell count, the cells' edges in twips, then a TC80 per cell
        const n = g[at]!;
        if (1 + 2 * (n + 1) > size) break;
        pap.edges = Array.from({ length: n + 1 }, (_, k) => i16(g, at + 1 + 2 * k));
        const tc = at + 1 + 2 * (n + 1);
        pap.merges = Array.from({ length: n }, (_, k) => (tc + 20 * k + 2 <= at + size ? u16(g, tc + 20 * k) : 0));
        break;
      }
      case 0x6646: { // sprmPHugePapx: the properties are too big for the page; they are in the Data stream
        const fc = u32(g, at);
        if (!data || fc + 2 > data.length) break;
        const huge = papOf(data, fc + 2, Math.min(fc + 2 + u16(data, fc), data.length));
        pap.inTable ||= huge.inTable;
        pap.ttp ||= huge.ttp;
        pap.innerCell ||= huge.innerCell;
        pap.innerTtp ||= huge.innerTtp;
        pap.itap = Math.max(pap.itap, huge.itap);
        if (huge.edges) { pap.edges = huge.edges; pap.merges = huge.merges; }
        break;
      }
      case 0xd62b: // sprmTVertMerge: cell index, VerticalMergeFlag
        if (pap.merges && g[at + 1]! < pap.merges.length) pap.merges[g[at + 1]!] = (pap.merges[g[at + 1]!]! & ~0x60) | ((g[at + 2]! & 3) << 5);
        break;
      default: break;
    }
    i = at + size;
  }
  return pap;
}

/** Paragraph properties by file position, from the PAPX pages of the WordDocument stream. */
function papRuns(doc: Uint8Array, table: Uint8Array, data: Uint8Array | undefined, fc: number, lcb: number): PapRun[] {
  if (lcb < 8 || fc + lcb > table.length) return [];
  const n = (lcb - 4) / 8;
  const runs: PapRun[] = [];
  for (let k = 0; k < n; k++) {
    const page = (u32(table, fc + 4 * (n + 1) + 4 * k) & 0x3fffff) * 512;
    if (page + 512 > doc.length) throw bad('a paragraph-property page outside the document stream');
    const crun = doc[page + 511]!;
    for (let r = 0; r < crun; r++) {
      const from = u32(doc, page + 4 * r);
      const to = u32(doc, page + 4 * (r + 1));
      const bx = doc[page + 4 * (crun + 1) + 13 * r]! * 2;
      let pap: Pap = { inTable: false, ttp: false, itap: 0, innerCell: false, innerTtp: false };
      if (bx > 0) {
        let cb = doc[page + bx]!;
        let start = page + bx + 1;
        let len = 2 * cb - 1;
        if (cb === 0) { cb = doc[page + bx + 1]!; start++; len = 2 * cb; }
        // GrpPrlAndIstd: a style index, then the sprms
        pap = papOf(doc, start + 2, Math.min(start + len, page + 511), data);
      }
      runs.push({ fc: from, fcEnd: to, pap });
    }
  }
  return runs.sort((a, b) => a.fc - b.fc);
}

function papAt(runs: PapRun[], fc: number): Pap | undefined {
  let lo = 0;
  let hi = runs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const r = runs[mid]!;
    if (fc < r.fc) hi = mid - 1;
    else if (fc >= r.fcEnd) lo = mid + 1;
    else return r.pap;
  }
  return undefined;
}

interface DocCell { lines: string[]; cp: number }
interface DocRow { cells: DocCell[]; pap: Pap | undefined }

/** Cell edges closer than this (in twips, 1/1440 inch) are one column edge: Word rounds them per row. */
const EDGE_SLACK = 30;

/** A table's rows → grid cells: columns from the union of every row's cell edges. */
function tableGrid(rows: DocRow[]): { cells: GridCell[]; cols: number } {
  const all = [...new Set(rows.flatMap((r) => (r.pap?.edges && r.pap.edges.length === r.cells.length + 1 ? r.pap.edges : [])))].sort((a, b) => a - b);
  const edges: number[] = [];
  for (const x of all) if (edges.length === 0 || x - edges[edges.length - 1]! > EDGE_SLACK) edges.push(x);
  const column = (x: number) => {
    let best = 0;
    for (let k = 1; k < edges.length; k++) if (Math.abs(edges[k]! - x) < Math.abs(edges[best]! - x)) best = k;
    return best;
  };
  const cells: GridCell[] = [];
  const above = new Map<number, GridCell>(); // column → the cell a vertical merge continues
  let cols = 0;
  rows.forEach((row, r) => {
    const e = row.pap?.edges && row.pap.edges.length === row.cells.length + 1 ? row.pap.edges : undefined;
    let seq = 0;
    let prev: GridCell | undefined;
    row.cells.forEach((cell, k) => {
      const c = e ? column(e[k]!) : seq;
      const span = e ? Math.max(1, column(e[k + 1]!) - c) : 1;
      seq = c + span;
      cols = Math.max(cols, seq);
      const flags = row.pap?.merges?.[k] ?? 0;
      const horz = flags & 3;
      const vert = (flags >> 5) & 3;
      const text = joinPieces(cell.lines);
      if (horz >= 2 && prev) { prev.colSpan = c + span - prev.c; return; } // merged with the cell before (old-style merge)
      if (vert === 1) {
        const start = above.get(c);
        if (start) { start.rowSpan = r - start.r + 1; return; }
      }
      const g: GridCell = { r, c, rowSpan: 1, colSpan: span, text, origin: { part: PART, offset: cell.cp } };
      cells.push(g);
      prev = g;
      for (let d = 0; d < span; d++) above.set(c + d, g);
    });
  });
  return { cells, cols };
}

/** Read the main document of a Word 97-2003 (or WPS) file. */
export function readDoc(bytes: Uint8Array, name = '<input>'): SourceDocument {
  let doc: Uint8Array | undefined;
  let cfb: Ole;
  try {
    cfb = readOle(bytes);
    doc = cfb.stream('WordDocument');
  } catch (e) {
    throw bad((e as Error).message);
  }
  if (!doc || doc.length < 0x200) throw bad('no WordDocument stream');
  if (u16(doc, 0) !== 0xa5ec) throw bad('the document stream does not begin with a Word FIB');
  if (u16(doc, 2) < 0xc1) throw new ReadError('unsupported-format', 'a Word 6/95 document, which this version does not read; save it as DOCX');
  const flags = u16(doc, 0x0a);
  if (flags & 0x0100) throw new ReadError('encrypted', 'a password-protected Word document');
  const table = cfb.stream(flags & 0x0200 ? '1Table' : '0Table');
  if (!table) throw bad('no table stream');
  // FIB: FibBase (32 bytes), then counted arrays of shorts, longs and (fc, lcb) pairs
  const csw = u16(doc, 32);
  const lw = 34 + csw * 2 + 2;
  const cslw = u16(doc, lw - 2);
  const ccpText = u32(doc, lw + 12);
  const fcLcb = lw + cslw * 4 + 2;
  const pair = (k: number) => [u32(doc!, fcLcb + 8 * k), u32(doc!, fcLcb + 8 * k + 4)] as const;
  const [fcPapx, lcbPapx] = pair(13);
  const [fcClx, lcbClx] = pair(33);
  const plist = pieces(table, fcClx, lcbClx);
  const runs = papRuns(doc, table, cfb.stream('Data'), fcPapx, lcbPapx);

  const b = new DocumentBuilder();
  let para: string[] = [];
  let line = '';
  let paraCp = -1;
  let rows: DocRow[] = [];
  let row: DocCell[] = [];
  let cell: DocCell | null = null;
  const fields: boolean[] = []; // per open field: true while in its code (before the separator)

  const flushTable = () => {
    if (rows.length === 0) return;
    const { cells, cols } = tableGrid(rows);
    b.grid(cells, rows.length, cols);
    rows = [];
  };
  const cellOf = (cp: number) => (cell ??= { lines: [], cp });

  const cp1252 = new TextDecoder('windows-1252');
  const utf16 = new TextDecoder('utf-16le');
  for (const p of plist) {
    const from = p.cp;
    const to = Math.min(p.cpEnd, ccpText);
    if (from >= to) continue;
    const width = p.compressed ? 1 : 2;
    if (p.fc + (to - from) * width > doc.length) throw bad('text outside the document stream');
    const raw = doc.subarray(p.fc, p.fc + (to - from) * width);
    const text = p.compressed ? cp1252.decode(raw) : utf16.decode(raw);
    for (let k = 0; k < text.length; k++) {
      const ch = text[k]!;
      const cp = from + k;
      if (ch === '\x13') { fields.push(true); continue; }
      if (ch === '\x14') { if (fields.length) fields[fields.length - 1] = false; continue; }
      if (ch === '\x15') { fields.pop(); continue; }
      if (fields.includes(true)) continue;
      if (paraCp < 0) paraCp = cp;
      if (ch === '\r' || ch === '\x07' || ch === '\x0c') {
        const pap = papAt(runs, p.fc + k * width);
        const inTable = (pap?.itap ?? 0) > 0 || pap?.inTable === true || ch === '\x07';
        para.push(line);
        line = '';
        if (!inTable || ch === '\x0c') {
          flushTable();
          b.paragraph(joinPieces(para), { part: PART, offset: paraCp });
        } else if (ch === '\x07' && (pap ? pap.ttp : cell === null && row.length > 0)) {
          // the end of a row: its own mark carries the table definition. With no paragraph
          // properties to say so, a mark right after a cell's mark is taken as the row's end.
          rows.push({ cells: row, pap });
          row = [];
        } else if (ch === '\x07') {
          cellOf(paraCp).lines.push(...para);
          row.push(cell!);
          cell = null;
        } else {
          // a paragraph inside a cell (or a nested table's cell or row: kept as the cell's text)
          cellOf(paraCp).lines.push(...para);
        }
        para = [];
        paraCp = -1;
        continue;
      }
      if (ch === '\x0b') { para.push(line); line = ''; continue; }
      if (ch === '\t' || ch === '\xa0') { line += ' '; continue; }
      if (ch === '\x1e') { line += '-'; continue; }
      if (ch < ' ') continue; // pictures, footnote marks, optional hyphens
      line += ch;
    }
  }
  if (row.length > 0) rows.push({ cells: row, pap: undefined });
  flushTable();
  if (line || para.length) b.paragraph(joinPieces([...para, line]), { part: PART, offset: Math.max(paraCp, 0) });
  if (b.empty) throw new ReadError('empty', 'a Word document with no text');
  return b.finish({ name, encoding: 'utf-16le', bytes: bytes.length, format: 'doc' });
}
