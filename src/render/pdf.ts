/**
 * A report as a PDF in the official layout: A4 pages, ruled tables with merged header cells,
 * page numbers in the footer. Text uses the standard CJK font STSong-Light (Adobe-GB1, not
 * embedded — every PDF viewer in China has it), so the file stays small and its text layer is
 * exact. Used for test fixtures and synthetic corpora; not a typesetting engine.
 */
import { zlibSync } from 'fflate';
import type { Report } from '../types.ts';
import { reportBlocks } from './document.ts';
import type { LayoutTable } from './layout.ts';

const PAGE_W = 595;
const PAGE_H = 842;
const MARGIN = 50;
const BODY_W = PAGE_W - 2 * MARGIN;

/** Width of a character in ems: ASCII is half width in STSong-Light's proportional range. */
const em = (ch: string) => (ch.charCodeAt(0) < 0x80 ? 0.5 : 1);
const textWidth = (s: string, size: number) => [...s].reduce((w, ch) => w + em(ch) * size, 0);

/** Break text into lines that fit `width` points. */
function wrap(text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let cur = '';
  let w = 0;
  for (const ch of text) {
    const cw = em(ch) * size;
    if (w + cw > width && cur !== '') { lines.push(cur); cur = ''; w = 0; }
    cur += ch;
    w += cw;
  }
  if (cur !== '' || lines.length === 0) lines.push(cur);
  return lines;
}

function hex(s: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) out += s.charCodeAt(i).toString(16).padStart(4, '0');
  return `<${out}>`;
}

const n = (x: number) => (Math.round(x * 100) / 100).toString();

class Pages {
  readonly pages: string[][] = [[]];
  y = PAGE_H - MARGIN;
  get ops(): string[] { return this.pages[this.pages.length - 1]!; }
  newPage(): void { this.pages.push([]); this.y = PAGE_H - MARGIN; }
  ensure(h: number): void { if (this.y - h < MARGIN + 20) this.newPage(); }
  /** Text with its top at `top` (PDF coordinates run upwards from the bottom). */
  text(x: number, top: number, size: number, s: string): void {
    this.ops.push(textOp(x, top - size * 0.88, size, s));
  }
}

/** Show `s` with its baseline at (x, y). */
const textOp = (x: number, y: number, size: number, s: string) => `BT /F1 ${size} Tf ${n(x)} ${n(y)} Td ${hex(s)} Tj ET`;

const COLUMN_WIDTHS: Record<string, (cols: number) => number[]> = {
  t3: () => [36, 64, 150, ...Array<number>(7).fill(35)],
  t2: (cols) => [150, ...Array<number>(cols - 1).fill((BODY_W - 150) / (cols - 1))],
  t4: (cols) => Array<number>(cols).fill(BODY_W / cols),
};

function drawTable(p: Pages, t: LayoutTable): void {
  const widths = COLUMN_WIDTHS[t.id]!(t.cols);
  const xs = widths.reduce<number[]>((a, w) => [...a, a[a.length - 1]! + w], [MARGIN]);
  const size = t.id === 't4' ? 7 : 8;
  const lead = size + 2;
  const cellLines = new Map(t.cells.map((c) => [c, wrap(c.text, size, xs[c.c + c.colSpan]! - xs[c.c]! - 4)]));
  // each row as tall as its single-row cells need
  const heights = Array<number>(t.rows).fill(lead + 6);
  for (const c of t.cells) if (c.rowSpan === 1) heights[c.r] = Math.max(heights[c.r]!, cellLines.get(c)!.length * lead + 6);
  const tops: Array<{ page: number; top: number }> = [];
  for (let r = 0; r < t.rows; r++) {
    p.ensure(heights[r]!);
    tops.push({ page: p.pages.length - 1, top: p.y });
    p.y -= heights[r]!;
  }
  for (const c of t.cells) {
    const start = tops[c.r]!;
    let h = 0;
    for (let r = c.r; r < c.r + c.rowSpan && tops[r]!.page === start.page; r++) h += heights[r]!;
    const x = xs[c.c]!;
    const w = xs[c.c + c.colSpan]! - x;
    const ops = p.pages[start.page]!;
    ops.push(`${n(x)} ${n(start.top - h)} ${n(w)} ${n(h)} re S`);
    const lines = cellLines.get(c)!;
    let top = start.top - (h - lines.length * lead) / 2;
    for (const line of lines) {
      if (line !== '') {
        const lx = x + (w - textWidth(line, size)) / 2;
        ops.push(textOp(lx, top - size * 0.88 - 1, size, line));
      }
      top -= lead;
    }
  }
  p.y -= 10;
}

/** A PDF of the given content-stream operations per page; `footer` adds page numbers. */
export function pdfFromPages(pages: string[][], footer = true): Uint8Array {
  const objects: Array<string | Uint8Array> = [];
  const add = (o: string | Uint8Array) => { objects.push(o); return objects.length; };
  const catalog = add('');
  const pagesObj = add('');
  const font = add('');
  const cid = add('');
  const desc = add('');
  objects[font - 1] = `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UCS2-H /DescendantFonts [${cid} 0 R] >>`;
  objects[cid - 1] = `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 2 >> /FontDescriptor ${desc} 0 R /DW 1000 /W [1 95 500] >>`;
  objects[desc - 1] = '<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>';
  const kids: number[] = [];
  pages.forEach((ops, i) => {
    const pageNumber = textOp(PAGE_W / 2 - 12, 30, 9, `- ${i + 1} -`);
    const raw = new TextEncoder().encode(`0.5 w\n${[...ops, ...(footer ? [pageNumber] : [])].join('\n')}\n`);
    const z = zlibSync(raw, { level: 6 });
    const head = new TextEncoder().encode(`<< /Length ${z.length} /Filter /FlateDecode >>\nstream\n`);
    const tail = new TextEncoder().encode('\nendstream');
    const stream = new Uint8Array(head.length + z.length + tail.length);
    stream.set(head); stream.set(z, head.length); stream.set(tail, head.length + z.length);
    const content = add(stream);
    kids.push(add(`<< /Type /Page /Parent ${pagesObj} 0 R /MediaBox [0 0 ${PAGE_W} ${PAGE_H}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${content} 0 R >>`));
  });
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesObj} 0 R >>`;
  objects[pagesObj - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(' ')}] /Count ${kids.length} >>`;
  const enc = new TextEncoder();
  const chunks: Uint8Array[] = [enc.encode('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n')];
  let offset = chunks[0]!.length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(offset);
    const parts = [enc.encode(`${i + 1} 0 obj\n`), typeof o === 'string' ? enc.encode(o) : o, enc.encode('\nendobj\n')];
    for (const c of parts) { chunks.push(c); offset += c.length; }
  });
  const xref = `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R >>\nstartxref\n${offset}\n%%EOF\n`;
  chunks.push(enc.encode(xref));
  const out = new Uint8Array(chunks.reduce((s, c) => s + c.length, 0));
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

export function reportPdf(report: Report): Uint8Array {
  const p = new Pages();
  for (const b of reportBlocks(report)) {
    if (b.kind === 'table') { drawTable(p, b.table); continue; }
    const size = b.kind === 'title' ? 16 : b.kind === 'heading' ? 12 : 10.5;
    const lines = wrap(b.text, size, BODY_W - (b.kind === 'para' ? size * 2 : 0));
    lines.forEach((line, i) => {
      p.ensure(size + 6);
      const indent = b.kind === 'para' && i === 0 ? size * 2 : 0;
      const x = b.kind === 'title' ? (PAGE_W - textWidth(line, size)) / 2 : MARGIN + indent;
      p.text(x, p.y, size, line);
      p.y -= size + 6;
    });
    if (b.kind !== 'para') p.y -= 4;
  }
  return pdfFromPages(p.pages);
}
