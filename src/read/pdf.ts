/**
 * The PDF reader: a PDF with a text layer → SourceDocument, through pdfjs-dist.
 *
 * pdfjs gives positioned text runs. They are gathered into lines (runs whose vertical extents
 * overlap), and each line into pieces where the runs are far apart (the cells of a table row).
 * Lines in the top and bottom margins that are page numbers, or that repeat on most pages
 * (running headers), are dropped. A table that continues over a page break simply continues:
 * the extractor reads rows in order. Every piece keeps its page and box.
 *
 * A PDF with no text layer (a scan) is not an error: the document comes back `scanned`, and
 * the checker reports it.
 */
import { getDocument, type PDFDocumentProxy } from 'pdfjs-dist/legacy/build/pdf.mjs';
import type { TextItem } from 'pdfjs-dist/types/src/display/api.js';
import type { Origin, SourceDocument } from '../types.ts';
import { T2_ROWS, T3_ROWS } from '../schema/editions.ts';
import { CJK, DocumentBuilder, joinPieces } from './builder.ts';
import { pageRules, ruledTables, type RuledTable } from './pdf-rules.ts';
import { compact } from './normalize.ts';
import { isPageFurniture, ReadError, libraryReason } from './text.ts';
import { nodeBuiltin } from './builtin.ts';
import { mendPdfjs } from './pdfjs-fixes.ts';

// before pdfjs loads its worker module (at the first document)
mendPdfjs();

export interface PdfOptions {
  /** Most pages read (default 300): a disclosure report has 3–30. */
  maxPages?: number;
  /** Time budget for the whole file in ms (default 60 s). */
  budgetMs?: number;
  /** Folder of pdfjs's CMaps (needed for CJK fonts); found next to pdfjs-dist by default. */
  cMapDir?: string;
  standardFontDir?: string;
}

function packageDir(sub: string): string | undefined {
  try {
    const url = new URL(`../../${sub}/`, import.meta.resolve('pdfjs-dist/legacy/build/pdf.mjs'));
    if (url.protocol !== 'file:') return url.href;
    const path = decodeURIComponent(url.pathname);
    return /^\/[A-Za-z]:\//.test(path) ? path.slice(1) : path;
  } catch {
    return undefined;
  }
}

interface Run { text: string; x: number; top: number; w: number; h: number }

/** Page numbers as printed in margins: `- 3 -`, `第3页`, `3/6`, `第 3 页 共 6 页`. */
const PAGE_NUMBER = /^[-—–\s]*(?:第\s*\d+\s*页(?:\s*[,，]?\s*共\s*\d+\s*页)?|\d+\s*\/\s*\d+|\d+)[-—–\s]*$/;

/** Gather runs into lines: sorted top to bottom, a run joins the line its height overlaps. */
function lines(runs: Run[]): Run[][] {
  const sorted = [...runs].sort((a, b) => (a.top + a.h / 2) - (b.top + b.h / 2) || a.x - b.x);
  const out: Array<{ top: number; bottom: number; runs: Run[] }> = [];
  for (const r of sorted) {
    const last = out[out.length - 1];
    if (last) {
      const overlap = Math.min(last.bottom, r.top + r.h) - Math.max(last.top, r.top);
      if (overlap >= 0.5 * Math.min(r.h, last.bottom - last.top)) {
        last.runs.push(r);
        last.top = Math.min(last.top, r.top);
        last.bottom = Math.max(last.bottom, r.top + r.h);
        continue;
      }
    }
    out.push({ top: r.top, bottom: r.top + r.h, runs: [r] });
  }
  return out.map((l) => l.runs.sort((a, b) => a.x - b.x));
}

type Piece = { text: string; origin: Origin };

/** Split a line into pieces where the gap between runs is wider than most of a character. */
function pieces(line: Run[], page: number): Piece[] {
  const out: Piece[] = [];
  let text = '';
  let x0 = 0; let x1 = 0; let top = 0; let bottom = 0; let size = 0;
  const push = () => {
    if (text.trim() !== '') out.push({ text, origin: { page, box: [round(x0), round(top), round(x1 - x0), round(bottom - top)] } });
  };
  for (const r of line) {
    const gap = r.x - x1;
    if (text !== '' && gap > 0.8 * Math.min(size, r.h)) { push(); text = ''; }
    if (text === '') {
      text = r.text; x0 = r.x; x1 = r.x + r.w; top = r.top; bottom = r.top + r.h; size = r.h;
      continue;
    }
    const space = gap > 0.2 * Math.min(size, r.h) && !(CJK.test(text[text.length - 1]!) && CJK.test(r.text[0]!));
    text += (space ? ' ' : '') + r.text;
    x1 = Math.max(x1, r.x + r.w);
    top = Math.min(top, r.top);
    bottom = Math.max(bottom, r.top + r.h);
    size = r.h;
  }
  push();
  return out;
}

const NUMERIC = /^[-+]?[\d,.]+$/;

/**
 * A table row's label wrapped in its cell: the first lines of the label sit above the line
 * that holds the row's numbers (which is vertically centred). Lines of text only, starting at
 * the same x as the row's label and just above it, are joined to the front of that label, so
 * `1.申请人无正当理由逾期不补` + `正、行政机关…  0  0  0` reads as one label.
 */
/** A row label's own numbering (`8.`, `（二）`, `三、`): a line starting with one is a row of its own, never a wrapped label's tail. */
const ENUMERATED = /^\s*(?:\d{1,2}\s*[.．、]|[（(][一二三四五六七八九十]{1,3}[）)]|[一二三四五六七八九十]{1,3}、)/;

/** The template's row labels, compact and without numbering: a line that is one of them is complete. */
const compactLabel = (s: string) => compact(s).replace(ENUMERATED, '').replace(/^[（(]\d+[）)]/, '');
const KNOWN_LABELS = new Set([...Object.values(T2_ROWS).flat(), ...Object.values(T3_ROWS).flat()].map((r) => compactLabel(r.label)));

function joinWrappedLabels(lines: Piece[][]): Piece[][] {
  const out: Piece[][] = [];
  const textOnly = (l: Piece[] | undefined) => l !== undefined && l.every((p) => !NUMERIC.test(p.text.trim()));
  const below = (a: Piece, b: Piece) => {
    const [, atop, , ah] = a.origin.box!;
    const [, btop] = b.origin.box!;
    return btop >= atop && btop - (atop + ah) <= ah * 1.5;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    // Numbers alone on a line, between the two lines of their row's label (the label cell is
    // two lines high and the numbers are centred): the label is the line above plus the line
    // below when that one starts at the same x.
    if (line.every((p) => NUMERIC.test(p.text.trim())) && textOnly(out[out.length - 1])) {
      const above = out[out.length - 1]!;
      const label = above[above.length - 1]!;
      if (below(label, line[0]!)) {
        out.pop();
        const next = lines[i + 1];
        if (textOnly(next) && next!.length === 1 && !ENUMERATED.test(next![0]!.text) && Math.abs(next![0]!.origin.box![0] - label.origin.box![0]) <= 3 && below(line[0]!, next![0]!)) {
          label.text += next![0]!.text;
          i++;
        }
        out.push([...above, ...line]);
        continue;
      }
    }
    const first = line[0]!;
    const isRow = line.length >= 2 && NUMERIC.test(line[line.length - 1]!.text.trim()) && !NUMERIC.test(first.text.trim()) && !ENUMERATED.test(first.text);
    while (isRow && out.length > 0) {
      const prev = out[out.length - 1]!;
      const p = prev[0]!;
      // a line that is a whole template label (行政处罚 above 行政强制) is a row of its own
      if (prev.length !== 1 || /\d\s*$/.test(p.text) || KNOWN_LABELS.has(compactLabel(p.text))) break;
      const [px, ptop, , ph] = p.origin.box!;
      const [fx, ftop] = first.origin.box!;
      if (Math.abs(px - fx) > 3 || ftop - (ptop + ph) > ph * 1.5 || ftop < ptop) break;
      out.pop();
      first.text = p.text + first.text;
      first.origin = { ...first.origin, box: [fx, ptop, first.origin.box![2], round(first.origin.box![1] + first.origin.box![3] - ptop)] };
    }
    out.push(line);
  }
  return out;
}

const round = (n: number) => Math.round(n * 10) / 10;

/** A ruled table with the text runs that fall in each of its cells. */
interface PlacedTable { table: RuledTable; runs: Run[]; cellRuns: Run[][] }

/** How far (points) a run may stand over its cell's rules: glyph boxes overhang a little. */
const OVERHANG = 2;
/** A cell holding more lines than this is a frame around text, not a table cell. */
const MAX_CELL_LINES = 8;

/**
 * Put each text run in the cell of a ruled table that holds it. A table is kept only when every
 * run over it sits inside one cell (a run crossing a rule means the rules are not the cells'),
 * no cell holds a page of text, and it holds at least one run.
 */
function placeInTables(tables: RuledTable[], runs: Run[]): PlacedTable[] {
  const out: PlacedTable[] = [];
  for (const table of tables) {
    const [tx, ty, tw, th] = table.box;
    const over = runs.filter((r) => {
      const cx = r.x + r.w / 2;
      const cy = r.top + r.h / 2;
      return cx > tx && cx < tx + tw && cy > ty && cy < ty + th;
    });
    if (over.length === 0) continue;
    const cellRuns: Run[][] = table.cells.map(() => []);
    let clean = true;
    const cellAt = (x: number, y: number) => table.cells.findIndex(({ box: [bx, by, bw, bh] }) => x >= bx && x <= bx + bw && y >= by && y <= by + bh);
    const fits = (r: Run, k: number) => {
      const box = table.cells[k]?.box;
      return box !== undefined && r.x >= box[0] - OVERHANG && r.x + r.w <= box[0] + box[2] + OVERHANG;
    };
    for (const whole of over) {
      const cy = whole.top + whole.h / 2;
      let parts: Run[] | null = [whole];
      if (!fits(whole, cellAt(whole.x + whole.w / 2, cy))) {
        // the rules that stand on this run's line: the edges of the cells it crosses
        const edges = table.cells.filter(({ box: [, by, , bh] }) => cy >= by && cy <= by + bh).flatMap(({ box: [bx, , bw] }) => [bx, bx + bw]);
        parts = splitAtRules(whole, [...new Set(edges)].sort((a, b) => a - b));
      }
      for (const r of parts ?? []) {
        const k = cellAt(r.x + r.w / 2, r.top + r.h / 2);
        if (!fits(r, k)) { parts = null; break; }
        cellRuns[k]!.push(r);
      }
      if (!parts) { clean = false; break; }
    }
    if (!clean || cellRuns.some((rs) => rs.length > 0 && lines(rs).length > MAX_CELL_LINES)) continue;
    out.push({ table, runs: over, cellRuns });
  }
  return out;
}

/**
 * pdfjs joins glyphs that stand close into one run, with a space where the gap was: the text
 * of two narrow cells can come as one run (`本年制发件数 本年废`) over the rule between them. Such
 * a run is cut at its spaces, each word placed by its share of the run's characters, and the
 * words on each side of the rule become runs of their own. A run over a rule with no space
 * where the rule stands cannot be cut: null, and the table is not used.
 */
function splitAtRules(r: Run, xs: number[]): Run[] | null {
  const inner = xs.filter((x) => x > r.x + OVERHANG && x < r.x + r.w - OVERHANG);
  if (inner.length === 0) return [r];
  const words = r.text.split(/(\s+)/);
  const chars = [...r.text].length;
  const per = r.w / chars;
  // each word's extent, by its place among the run's characters
  const placed: Array<{ text: string; x0: number; x1: number }> = [];
  let at = 0;
  for (const w of words) {
    const n = [...w].length;
    if (w.trim() !== '') placed.push({ text: w, x0: r.x + at * per, x1: r.x + (at + n) * per });
    at += n;
  }
  const column = (x: number) => xs.findIndex((b, i) => i + 1 < xs.length && x >= b && x < xs[i + 1]!);
  const out: Run[] = [];
  let last = -2;
  for (const w of placed) {
    const c = column((w.x0 + w.x1) / 2);
    // a word over a rule: the rule does not stand in a gap of the run
    if (inner.some((x) => x > w.x0 + per / 2 && x < w.x1 - per / 2)) return null;
    const prev = out[out.length - 1];
    if (prev && c === last) {
      prev.text += ` ${w.text}`;
      prev.w = w.x1 - prev.x;
    } else {
      out.push({ text: w.text, x: w.x0, top: r.top, w: w.x1 - w.x0, h: r.h });
    }
    last = c;
  }
  return out;
}

/** A ruled table as a grid of the document: each cell's lines joined, its box the cell's. */
function emitTable(b: DocumentBuilder, t: PlacedTable, page: number): void {
  const cells = t.table.cells.map((c, k) => {
    const text = joinPieces(lines(t.cellRuns[k]!).flatMap((l) => pieces(l, page).map((p) => p.text)));
    const [x, y, w, h] = c.box;
    return { r: c.r, c: c.c, rowSpan: c.rowSpan, colSpan: c.colSpan, text, origin: { page, box: [round(x), round(y), round(w), round(h)] as [number, number, number, number] } };
  });
  b.grid(cells, t.table.ys.length - 1, t.table.xs.length - 1);
}

const shape = (s: string) => s.replace(/\d+/g, '#').replace(/\s+/g, '');

/** Node's file reading (a browser has none: pdfjs fetches its files there itself). */
const readFile = nodeBuiltin<{ readFile(path: string): Promise<Uint8Array> }>('node:fs/promises');

/**
 * The CMaps and standard fonts pdfjs asks for, read from its package once a thread rather than
 * once a document (a CJK font not embedded costs two CMap files of some 40 kB). pdfjs hands the
 * bytes on to its worker side, which may take them over, so each call gets its own copy.
 */
class CachedBinaryData {
  static readonly #files = new Map<string, Promise<Uint8Array>>();
  readonly #base: Record<string, string | null>;
  constructor(urls: { cMapUrl?: string | null; standardFontDataUrl?: string | null; wasmUrl?: string | null }) {
    this.#base = { cMapUrl: urls.cMapUrl ?? null, standardFontDataUrl: urls.standardFontDataUrl ?? null, wasmUrl: urls.wasmUrl ?? null };
  }
  async fetch({ kind, filename }: { kind: string; filename: string }): Promise<Uint8Array> {
    const base = this.#base[kind];
    if (!base) throw new Error(`no folder for pdfjs's ${kind}`);
    const path = `${base}${filename}`;
    let file = CachedBinaryData.#files.get(path);
    if (!file) {
      file = readFile!.readFile(path).then((b) => new Uint8Array(b.buffer, b.byteOffset, b.byteLength));
      CachedBinaryData.#files.set(path, file);
      // a failed read is not kept: the next document tries again
      file.catch(() => CachedBinaryData.#files.delete(path));
    }
    return (await file).slice();
  }
}

async function open(bytes: Uint8Array, opts: PdfOptions): Promise<{ pdf: PDFDocumentProxy; destroy: () => Promise<void> }> {
  const cMapUrl = opts.cMapDir ?? packageDir('cmaps');
  const standardFontDataUrl = opts.standardFontDir ?? packageDir('standard_fonts');
  const task = getDocument({
    // pdfjs takes ownership of the buffer it is given: give it a copy
    data: new Uint8Array(bytes),
    ...(cMapUrl ? { cMapUrl, cMapPacked: true } : {}),
    ...(standardFontDataUrl ? { standardFontDataUrl } : {}),
    ...(readFile ? { BinaryDataFactory: CachedBinaryData } : {}),
    verbosity: 0,
    disableFontFace: true,
    stopAtErrors: false,
  });
  try {
    return { pdf: await task.promise, destroy: () => task.destroy() };
  } catch (e) {
    await task.destroy();
    const err = e as Error;
    if (err.name === 'PasswordException') throw new ReadError('encrypted', 'a password-protected PDF');
    throw new ReadError('corrupt', `a damaged PDF (${err.message})`);
  }
}

// ------------------------------------------------------------------ pdfjs's stray rejections

/**
 * pdfjs runs its "worker" in this thread, and on some damaged files (a broken cross-reference
 * entry met while loading a font) it rejects a promise of its own that nobody awaits: Node's
 * default is to print a stack trace and end the process, taking the rest of a batch with it.
 * While a PDF is being read, such a rejection is caught and makes that file `a damaged PDF`;
 * one that comes when no PDF is being read is pdfjs's about a file already done, and dropped.
 * Anything not from pdfjs is thrown again, as Node would.
 */
const reading = new Set<{ errors: string[] }>();
let watching = false;
const PDFJS_ERROR = /(?:XRef(?:Entry|Parse)?Exception|FormatError|InvalidPDFException|UnknownErrorException|MissingDataException|AbortException)/;

function fromPdfjs(reason: unknown): boolean {
  const e = reason as { name?: unknown; message?: unknown; stack?: unknown } | null;
  const text = `${String(e?.name ?? '')} ${String(e?.message ?? reason)} ${typeof e?.stack === 'string' ? e.stack : ''}`;
  return PDFJS_ERROR.test(text) || /pdfjs-dist|pdf\.worker/.test(text);
}

function watchStrayRejections(): void {
  const proc = (globalThis as { process?: { on?: (ev: string, fn: (reason: unknown) => void) => void } }).process;
  if (watching || typeof proc?.on !== 'function') return;
  watching = true;
  proc.on('unhandledRejection', (reason) => {
    if (!fromPdfjs(reason)) throw reason;
    const message = String((reason as Error)?.message ?? reason).replace(/^\w+Exception:\s*/, '');
    for (const r of reading) r.errors.push(message);
  });
}

/**
 * Let pdfjs's stray rejections of this file surface while it is still being read (a few turns
 * of the event loop). Node reports an unhandled rejection once the microtasks of a turn have
 * run, so a turn is enough: `setImmediate`'s, not a timer's (a timer of 0 waits a millisecond,
 * three of them were a sixth of reading a one-page PDF).
 */
const immediate = (globalThis as { setImmediate?: (fn: () => void) => unknown }).setImmediate;
const turn = () => new Promise<void>((resolve) => { if (immediate) immediate(resolve); else setTimeout(resolve, 0); });
const settle = async () => { for (let k = 0; k < 3; k++) await turn(); };

/** Read a PDF's text layer into a SourceDocument. */
export async function readPdf(bytes: Uint8Array, name = '<input>', opts: PdfOptions = {}): Promise<SourceDocument> {
  watchStrayRejections();
  const stray = { errors: [] as string[] };
  reading.add(stray);
  try {
    const doc = await readPdfPages(bytes, name, opts);
    await settle();
    if (stray.errors.length > 0) throw new ReadError('corrupt', `a damaged PDF (${stray.errors[0]})`);
    return doc;
  } finally {
    reading.delete(stray);
  }
}

async function readPdfPages(bytes: Uint8Array, name: string, opts: PdfOptions): Promise<SourceDocument> {
  const maxPages = opts.maxPages ?? 300;
  const budget = opts.budgetMs ?? 60_000;
  const started = Date.now();
  const { pdf, destroy } = await open(bytes, opts);
  try {
    if (pdf.numPages > maxPages) throw new ReadError('limit', `${pdf.numPages} pages; the limit is ${maxPages}`);
    const pages: Array<{ height: number; lines: Run[][]; tables: PlacedTable[] }> = [];
    let chars = 0;
    for (let p = 1; p <= pdf.numPages; p++) {
      if (Date.now() - started > budget) throw new ReadError('limit', `reading took more than ${Math.round(budget / 1000)} s (stopped at page ${p} of ${pdf.numPages})`);
      let page;
      let content;
      try {
        page = await pdf.getPage(p);
        content = await page.getTextContent();
      } catch (e) {
        throw new ReadError('corrupt', `a damaged PDF: page ${p} cannot be read (${libraryReason(e)})`);
      }
      const [, , , height] = page.view as [number, number, number, number];
      const runs: Run[] = [];
      let numbers = 0;
      for (const item of content.items as TextItem[]) {
        if (typeof item.str !== 'string' || item.str.trim() === '') continue;
        const [a, b, c, d, e, f] = item.transform as number[];
        const h = Math.hypot(c!, d!) || Math.hypot(a!, b!) || item.height;
        // pdfjs reports the baseline; the box's top is about one em above it
        runs.push({ text: item.str, x: e!, top: height - f! - h * 0.88, w: item.width, h });
        chars += item.str.trim().length;
        if (NUMERIC.test(item.str.trim())) numbers++;
      }
      // a page with numbers on it may hold ruled tables: their cells come from the rules drawn
      let tables: PlacedTable[] = [];
      if (numbers >= 1) {
        try {
          tables = placeInTables(ruledTables(pageRules(await page.getOperatorList(), height)), runs);
        } catch (e) {
          if (e instanceof ReadError) throw e;
          tables = []; // drawing operators pdfjs cannot give: the text is read as lines
        }
      }
      const inTable = new Set(tables.flatMap((t) => t.runs));
      pages.push({ height, lines: lines(runs.filter((r) => !inTable.has(r))), tables });
      page.cleanup();
    }
    const b = new DocumentBuilder();
    if (chars >= 20) {
      // running headers/footers: the same shape in the same margin on most pages
      const seen = new Map<string, number>();
      const margin = (l: Run[], h: number) => l[0]!.top < h * 0.09 || l[0]!.top + l[0]!.h > h * 0.91;
      for (const pg of pages) {
        for (const k of new Set(pg.lines.filter((l) => margin(l, pg.height)).map((l) => shape(l.map((r) => r.text).join(''))))) seen.set(k, (seen.get(k) ?? 0) + 1);
      }
      pages.forEach((pg, i) => {
        const kept: Piece[][] = [];
        for (const l of pg.lines) {
          const ps = pieces(l, i + 1);
          if (margin(l, pg.height)) {
            const t = l.map((r) => r.text).join('');
            // a page number is one short piece; a row of a table that runs into the margin is not
            if (PAGE_NUMBER.test(t.trim()) && ps.length === 1 && t.replace(/\D/g, '').length <= 4) continue;
            if (isPageFurniture(ps.map((p) => p.text).join('  '))) continue;
            if (pages.length >= 3 && (seen.get(shape(t)) ?? 0) > pages.length / 2) continue;
          }
          kept.push(ps);
        }
        // the page top to bottom: its lines, and each ruled table where it stands
        const tables = [...pg.tables];
        for (const l of joinWrappedLabels(kept)) {
          while (tables.length > 0 && tables[0]!.table.box[1] < l[0]!.origin.box![1]) emitTable(b, tables.shift()!, i + 1);
          b.line(l);
        }
        for (const t of tables) emitTable(b, t, i + 1);
      });
    }
    const base = { name, encoding: 'pdf', bytes: bytes.length, format: 'pdf' as const };
    return b.finish(base, { pages: pdf.numPages, ...(chars < 20 ? { scanned: true } : {}) });
  } finally {
    await destroy();
  }
}
