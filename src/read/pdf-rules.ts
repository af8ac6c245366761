/**
 * Ruled tables in a PDF: the cell borders a page draws give its tables' grids, as an HTML or
 * Word table gives them. A PDF prints nothing in a blank cell, so text alone cannot say which
 * column a lone number stands in; the ruling lines can. Three painters are met in practice and
 * all come down to axis-aligned segments: stroked cell rectangles (our own writer), stroked
 * lines (WPS and Word exports), and thin filled rectangles (a browser printing a web page's
 * table borders).
 *
 * From the segments of a page: collinear pieces are joined, segments that touch form a table,
 * the distinct x of its vertical rules and y of its horizontal rules cut it into elementary
 * cells, and two neighbouring cells are one merged cell where no rule separates them. Text is
 * then placed in the cell that holds it. A table whose text does not sit cleanly inside its
 * cells (a run crossing a rule, cells that are not rectangles) is not used: its text is read
 * as lines, as before — a grid is taken only when the page determines it.
 */
import { OPS } from 'pdfjs-dist/legacy/build/pdf.mjs';

/** A horizontal (`y` fixed) or vertical (`x` fixed) rule, in page space (y from the top). */
interface Segment { at: number; from: number; to: number }

/** A rectangle on the page: x, y from the top, width, height (points). */
export type Box = [number, number, number, number];

/** A table found from rules: its outer box, its grid lines, and its cells in grid units. */
export interface RuledTable {
  box: Box;
  xs: number[];
  ys: number[];
  cells: Array<{ r: number; c: number; rowSpan: number; colSpan: number; box: Box }>;
}

/** Rules closer than this (points) are one rule; a rule thinner than this is a line. */
const SNAP = 1.5;
const THIN = 2.5;
/** A path with more segments than this is a drawing (a seal, a chart), not table rules. */
const MAX_PATH_SEGMENTS = 4000;
/** More segments than this on one page: not a page of tables; not read as rules. */
const MAX_PAGE_SEGMENTS = 20000;

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1], m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3], m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4], m[1] * n[4] + m[3] * n[5] + m[5],
];

const PAINT = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fill, OPS.eoFill, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);
const STROKES = new Set<number>([OPS.stroke, OPS.closeStroke, OPS.fillStroke, OPS.eoFillStroke, OPS.closeFillStroke, OPS.closeEOFillStroke]);

/**
 * The axis-aligned rules a page's operator list paints. `height` turns PDF space (y up) into
 * page space (y down). Curves end a subpath's use as rules; only straight edges count.
 */
export function pageRules(ops: { fnArray: number[]; argsArray: unknown[] }, height: number): { h: Segment[]; v: Segment[] } {
  const h: Segment[] = [];
  const v: Segment[] = [];
  let ctm: Matrix = [1, 0, 0, 1, 0, 0];
  const stack: Matrix[] = [];
  for (let i = 0; i < ops.fnArray.length; i++) {
    const fn = ops.fnArray[i]!;
    if (fn === OPS.save) stack.push(ctm);
    else if (fn === OPS.restore) ctm = stack.pop() ?? ctm;
    else if (fn === OPS.transform) ctm = multiply(ctm, ops.argsArray[i] as Matrix);
    else if (fn === OPS.constructPath) {
      const [paint, paths] = ops.argsArray[i] as [number, ArrayLike<number>[] | null];
      const data = paths?.[0];
      if (!PAINT.has(paint) || !data || data.length > MAX_PATH_SEGMENTS * 3) continue;
      addPath(data, ctm, height, STROKES.has(paint), h, v);
      if (h.length + v.length > MAX_PAGE_SEGMENTS) return { h: [], v: [] };
    }
  }
  return { h, v };
}

/** One path's straight edges; a thin filled rectangle is the line it draws. */
function addPath(data: ArrayLike<number>, m: Matrix, height: number, stroked: boolean, h: Segment[], v: Segment[]): void {
  const pt = (x: number, y: number): [number, number] => [m[0] * x + m[2] * y + m[4], height - (m[1] * x + m[3] * y + m[5])];
  const points: Array<[number, number]> = [];
  const flush = () => {
    if (points.length >= 2) edges(points, stroked, h, v);
    points.length = 0;
  };
  let start: [number, number] | undefined;
  for (let k = 0; k < data.length;) {
    const op = data[k]!;
    if (op === 0) { flush(); start = pt(data[k + 1]!, data[k + 2]!); points.push(start); k += 3; }
    else if (op === 1) { points.push(pt(data[k + 1]!, data[k + 2]!)); k += 3; }
    else if (op === 2) { flush(); k += 7; }
    else if (op === 3) { flush(); k += 5; }
    else if (op === 4) { if (start && points.length > 0) points.push(start); flush(); k += 1; }
    else return;
  }
  flush();
}

function edges(points: Array<[number, number]>, stroked: boolean, h: Segment[], v: Segment[]): void {
  if (!stroked) {
    // a filled shape is a rule only when it is a thin bar
    const xs = points.map((p) => p[0]);
    const ys = points.map((p) => p[1]);
    const [x0, x1, y0, y1] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
    if (y1 - y0 <= THIN && x1 - x0 > THIN) h.push({ at: (y0 + y1) / 2, from: x0, to: x1 });
    else if (x1 - x0 <= THIN && y1 - y0 > THIN) v.push({ at: (x0 + x1) / 2, from: y0, to: y1 });
    return;
  }
  for (let k = 1; k < points.length; k++) {
    const [ax, ay] = points[k - 1]!;
    const [bx, by] = points[k]!;
    if (Math.abs(ay - by) <= 0.5 && Math.abs(ax - bx) > THIN) h.push({ at: (ay + by) / 2, from: Math.min(ax, bx), to: Math.max(ax, bx) });
    else if (Math.abs(ax - bx) <= 0.5 && Math.abs(ay - by) > THIN) v.push({ at: (ax + bx) / 2, from: Math.min(ay, by), to: Math.max(ay, by) });
  }
}

/**
 * Join rules on one line that overlap or touch. The rules come sorted by their line, so the ones
 * a rule may join are the last few kept (within SNAP of its line): looked for from the end,
 * not among all kept so far.
 */
function merge(segs: Segment[]): Segment[] {
  const sorted = [...segs].sort((a, b) => a.at - b.at || a.from - b.from);
  const out: Segment[] = [];
  for (const s of sorted) {
    let o: Segment | undefined;
    for (let k = out.length - 1; k >= 0 && s.at - out[k]!.at <= SNAP; k--) {
      const c = out[k]!;
      if (Math.abs(c.at - s.at) <= SNAP && s.from <= c.to + SNAP && s.to >= c.from - SNAP) o = c;
    }
    if (!o) { out.push({ ...s }); continue; }
    o.from = Math.min(o.from, s.from);
    o.to = Math.max(o.to, s.to);
  }
  return out;
}

/** Cluster values within SNAP: their means, sorted. */
function clusters(values: number[]): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const out: number[][] = [];
  for (const x of sorted) {
    const last = out[out.length - 1];
    if (last && x - last[last.length - 1]! <= SNAP) last.push(x);
    else out.push([x]);
  }
  return out.map((c) => c.reduce((a, b) => a + b, 0) / c.length);
}

const covers = (s: Segment, a: number, b: number) => s.from <= a + SNAP && s.to >= b - SNAP;

/** The tables the rules of a page form: groups of touching rules, each cut into its cells. */
export function ruledTables(rules: { h: Segment[]; v: Segment[] }): RuledTable[] {
  const h = merge(rules.h);
  const v = merge(rules.v);
  if (h.length < 2 || v.length < 2) return [];
  // union-find over the rules: a horizontal and a vertical rule that cross or meet are joined
  const parent = [...h, ...v].map((_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  h.forEach((a, i) => v.forEach((b, j) => {
    if (b.at >= a.from - SNAP && b.at <= a.to + SNAP && a.at >= b.from - SNAP && a.at <= b.to + SNAP) parent[find(i)] = find(h.length + j);
  }));
  const groups = new Map<number, { h: Segment[]; v: Segment[] }>();
  h.forEach((s, i) => { const g = groups.get(find(i)) ?? { h: [], v: [] }; g.h.push(s); groups.set(find(i), g); });
  v.forEach((s, j) => { const g = groups.get(find(h.length + j)) ?? { h: [], v: [] }; g.v.push(s); groups.set(find(h.length + j), g); });
  const out: RuledTable[] = [];
  for (const g of groups.values()) {
    if (g.h.length < 2 || g.v.length < 2) continue;
    const t = grid(g.h, g.v);
    if (t) out.push(t);
  }
  return out.sort((a, b) => a.box[1] - b.box[1]);
}

function grid(h: Segment[], v: Segment[]): RuledTable | null {
  const xs = clusters(v.map((s) => s.at));
  const ys = clusters(h.map((s) => s.at));
  const rows = ys.length - 1;
  const cols = xs.length - 1;
  if (rows < 1 || cols < 2 || rows * cols > 20000) return null;
  // is there a rule between elementary cells? right of (r, c): a vertical at xs[c+1] over ys[r]..ys[r+1]
  const vAt = xs.map((x) => v.filter((s) => Math.abs(s.at - x) <= SNAP));
  const hAt = ys.map((y) => h.filter((s) => Math.abs(s.at - y) <= SNAP));
  const ruleRight = (r: number, c: number) => vAt[c + 1]!.some((s) => covers(s, ys[r]!, ys[r + 1]!));
  const ruleBelow = (r: number, c: number) => hAt[r + 1]!.some((s) => covers(s, xs[c]!, xs[c + 1]!));
  const parent = Array.from({ length: rows * cols }, (_, i) => i);
  const find = (i: number): number => (parent[i] === i ? i : (parent[i] = find(parent[i]!)));
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      if (c + 1 < cols && !ruleRight(r, c)) parent[find(r * cols + c)] = find(r * cols + c + 1);
      if (r + 1 < rows && !ruleBelow(r, c)) parent[find(r * cols + c)] = find((r + 1) * cols + c);
    }
  }
  const spans = new Map<number, { r0: number; r1: number; c0: number; c1: number; n: number }>();
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      const k = find(r * cols + c);
      const s = spans.get(k);
      if (!s) spans.set(k, { r0: r, r1: r, c0: c, c1: c, n: 1 });
      else { s.r0 = Math.min(s.r0, r); s.r1 = Math.max(s.r1, r); s.c0 = Math.min(s.c0, c); s.c1 = Math.max(s.c1, c); s.n++; }
    }
  }
  const cells: RuledTable['cells'] = [];
  for (const s of spans.values()) {
    // a merged cell that is not a rectangle: the rules do not make a grid
    if (s.n !== (s.r1 - s.r0 + 1) * (s.c1 - s.c0 + 1)) return null;
    cells.push({ r: s.r0, c: s.c0, rowSpan: s.r1 - s.r0 + 1, colSpan: s.c1 - s.c0 + 1, box: [xs[s.c0]!, ys[s.r0]!, xs[s.c1 + 1]! - xs[s.c0]!, ys[s.r1 + 1]! - ys[s.r0]!] });
  }
  // a frame with nothing inside it (a box around a paragraph) is no table
  if (cells.length < 2) return null;
  cells.sort((a, b) => a.r - b.r || a.c - b.c);
  return { box: [xs[0]!, ys[0]!, xs[cols]! - xs[0]!, ys[rows]! - ys[0]!], xs, ys, cells };
}
