/**
 * Column alignment for sources with geometry but no cell boundaries (PDF). A PDF prints
 * nothing in a blank cell, so `… 1` under seven columns is ambiguous as text; on the page, the
 * 1 stands under one column header. Where the table's columns can be located — from its rows
 * that fill every column, or from its column headers — and every number of a row sits clearly
 * under one column, the row becomes a grid row: its blanks are placed, and they are marked
 * `inferred` with the reason. Anything less clear is left to the solver, unchanged.
 */
import type { Position } from '../types.ts';
import type { RowHit } from './rows.ts';
import type { Token } from './tokens.ts';

/** A token's horizontal extent on its page, when the source has geometry. */
function extent(t: Token): [number, number] | undefined {
  const b = t.pos.origin?.box;
  return b && t.pos.origin?.page !== undefined ? [b[0], b[0] + b[2]] : undefined;
}

const centre = (t: Token): number | undefined => {
  const e = extent(t);
  return e ? (e[0] + e[1]) / 2 : undefined;
};

/** Each item is one number, alone in its piece of the page (a piece holding `0 0` is no use). */
function placeable(hit: RowHit): boolean {
  const origins = new Set<object>();
  for (const t of hit.items) {
    if (t.kind !== 'value' && t.kind !== 'na') return false;
    const o = t.pos.origin;
    if (!o || extent(t) === undefined || origins.has(o)) return false;
    origins.add(o);
  }
  return true;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};

/** Strictly increasing, and far enough apart to tell columns. */
const usable = (c: number[]) => c.every((x, i) => i === 0 || x - c[i - 1]! >= 8);

/**
 * The x-centres of a table's value columns: the median centre of each column over the rows
 * that fill every column (the numbers' own alignment), or failing two such rows, the centres of
 * the column headers found among `header` tokens (the first line of a wrapped header counts:
 * `商业企` for 商业企业). Null when neither gives `labels.length` increasing centres.
 */
export function columnCentres(hits: RowHit[], header: Token[], labels: string[]): number[] | null {
  const full = hits.filter((h) => h.items.length === labels.length && placeable(h));
  if (full.length >= 2 && new Set(full.map((h) => h.items[0]!.pos.origin!.page)).size === 1) {
    const c = labels.map((_, k) => median(full.map((h) => centre(h.items[k]!)!)));
    if (usable(c)) return c;
  }
  const found: number[] = [];
  const used = new Set<Token>();
  for (const label of labels) {
    const t = header.find((h) => !used.has(h) && h.kind === 'text' && h.text.length >= 2 && label.startsWith(h.text) && centre(h) !== undefined);
    if (!t) return null;
    used.add(t);
    found.push(centre(t)!);
  }
  // the headers sit on several lines (自然人 beside 法人或其他组织's sub-headers): order by x
  const sorted = [...found].sort((a, b) => a - b);
  return found.every((x, i) => x === sorted[i]) && usable(found) ? found : null;
}

/**
 * How far from a column's centre a number may stand, as a share of the narrowest gap between
 * columns. Not a half: a number halfway between two columns belongs to neither. A third and a
 * bit leaves room for numbers set right or left in their cells.
 */
const REACH = 0.35;

/**
 * Put a row's numbers under the columns at `centres`, if each sits clearly under one
 * (within REACH of its centre, narrower than a column) and in order. The row's items become
 * one token per column, blanks included, and the hit is marked aligned. Returns whether it was.
 */
export function alignRow(hit: RowHit, centres: number[], labels: string[]): boolean {
  if (hit.items.length === 0 || hit.items.length > centres.length || !placeable(hit)) return false;
  const gap = Math.min(...centres.slice(1).map((x, i) => x - centres[i]!));
  const slots: Array<Token | undefined> = centres.map(() => undefined);
  let last = -1;
  for (const t of hit.items) {
    const [x0, x1] = extent(t)!;
    const x = (x0 + x1) / 2;
    let k = 0;
    for (let j = 1; j < centres.length; j++) if (Math.abs(centres[j]! - x) < Math.abs(centres[k]! - x)) k = j;
    if (Math.abs(centres[k]! - x) > gap * REACH || x1 - x0 >= gap || k <= last) return false;
    slots[k] = t;
    last = k;
  }
  const geometry = hit.items[0]!;
  hit.items = slots.map((t, k): Token => {
    if (t) return { ...t, row: hit.label.row, delimited: true, grid: true, multi: false };
    const box = geometry.pos.origin!.box!;
    const page = geometry.pos.origin!.page!;
    const pos: Position = {
      offset: geometry.pos.offset, length: 0, line: geometry.pos.line, column: geometry.pos.column, page,
      origin: { page, box: [centres[k]!, box[1], 0, box[3]] },
    };
    return {
      kind: 'blank', text: '', raw: '', pos, row: hit.label.row, index: geometry.index, delimited: true, grid: true,
      how: `blank: nothing is printed under ${labels[k]} (x≈${centres[k]!.toFixed(0)}) on page ${page}, where this row's other numbers stand under their columns`,
    };
  });
  hit.aligned = true;
  return true;
}
