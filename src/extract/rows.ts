/**
 * Reading a table's rows from the token stream, anchored on the template's own labels, and
 * turning each row's values into cells through the solver.
 */
import { solveRow, type Piece, type Reading, type RowIdentity, type SolveResult } from '../solve/solver.ts';
import type { Cell, Position, Shown } from '../types.ts';
import type { Token } from './tokens.ts';

export interface RowSpec {
  id: string;
  slots: number;
  ids: RowIdentity[];
  /** Does this text token label the row? */
  accept: (t: Token) => boolean;
  /** May be recognised when rows before it are missing. */
  distinctive: boolean;
}

export interface RowHit {
  spec: number;
  label: Token;
  items: Token[];
  /** The items were placed under their columns from the page's geometry (one per column). */
  aligned?: boolean;
}

/**
 * Walk tokens [from, to) and find the rows of `specs` in order. A row's values are the value,
 * blank and mark tokens after its label, up to the next label or to the first text that
 * follows its values (a block header, a sentence).
 */
export function findRows(tokens: Token[], from: number, to: number, specs: RowSpec[]): RowHit[] {
  const hits: RowHit[] = [];
  let expect = 0;
  let cur: RowHit | null = null;
  let closed = false;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text') {
      let m = -1;
      for (let j = expect; j < specs.length && !t.header; j++) {
        if (j > expect && !specs[j]!.distinctive) continue;
        if (specs[j]!.accept(t)) { m = j; break; }
      }
      if (m >= 0) {
        cur = { spec: m, label: t, items: [] };
        hits.push(cur);
        expect = m + 1;
        closed = false;
      } else if (cur && cur.items.some((v) => v.kind !== 'blank')) closed = true;
      continue;
    }
    if (cur && !closed) cur.items.push(t);
  }
  return hits;
}

export interface PieceSource { pieces: Piece[]; tokens: Token[] }

/**
 * Values of a row → solver pieces. Blank cells on lines that hold no value are layout padding
 * of merged cells, and blanks before the first or after the last value cannot be placed: both
 * are dropped, leaving the solver free to place blanks there.
 */
export function toPieces(hit: RowHit): PieceSource {
  const valueRows = new Set<number>([hit.label.row]);
  for (const t of hit.items) if (t.kind !== 'blank') valueRows.add(t.row);
  let list = hit.items.filter((t) => t.kind !== 'blank' || valueRows.has(t.row));
  // A row of a real table grid (spans resolved) has its blank cells in place: keep them all.
  const grid = hit.aligned === true || (list.length > 0 && hit.label.grid === true && list.every((t) => t.grid === true && t.row === hit.label.row));
  let a = 0;
  let b = list.length;
  if (!grid) {
    while (a < b && list[a]!.kind === 'blank') a++;
    while (b > a && list[b - 1]!.kind === 'blank') b--;
  }
  list = list.slice(a, b);
  const pieces = list.map((t, i): Piece => {
    const prev = list[i - 1];
    const rigidBefore = !!prev && t.delimited && prev.delimited && prev.row === t.row;
    if (t.kind === 'value') {
      const splittable = t.multi === true && /^-?\d+(?:\.\d+)?$/.test(t.text) && t.text.replace(/^-/, '').split('.')[0]!.length > 1;
      return { kind: splittable ? 'run' : 'num', text: t.text, rigidBefore };
    }
    return { kind: t.kind, text: t.text, rigidBefore };
  });
  return { pieces, tokens: list };
}

const shownOf = (value: string | null, kind: string): Shown =>
  value === null ? (kind === 'na' ? 'na' : kind === 'text' ? 'text' : 'blank') : Number(value) === 0 ? 'zero' : 'number';

/** Move the decimal point `places` to the left: exact money conversion 元 → 万元. */
export function shiftDecimal(value: string, places: number): string {
  const neg = value.startsWith('-');
  const [int = '0', frac = ''] = value.replace(/^-/, '').split('.');
  const digits = (int.padStart(places + 1, '0') + frac);
  const point = digits.length - frac.length - places;
  let out = `${digits.slice(0, point).replace(/^0+(?=\d)/, '')}.${digits.slice(point)}`.replace(/\.?0+$/, '');
  if (out === '' || out === '.') out = '0';
  return (neg && out !== '0' ? '-' : '') + out;
}

function slotPosition(src: Token, start?: number, length?: number): Position {
  if (start === undefined || length === undefined || src.raw.length !== src.text.length) return src.pos;
  return { ...src.pos, offset: src.pos.offset + start, column: src.pos.column + start, length };
}

export interface CellOptions {
  keys: string[];
  /** Slots holding money in 万元. */
  money?: boolean[];
}

/** Cells of one row from the solver's surviving readings. */
export function cellsOf(src: PieceSource, result: SolveResult, readings: Reading[], opts: CellOptions): Cell[] {
  const cells: Cell[] = [];
  opts.keys.forEach((key, k) => {
    if (result.overflow || readings.length === 0) {
      const raw = src.tokens.map((t) => t.raw).join(' ');
      cells.push({
        key, value: null, shown: 'text', status: 'ambiguous', raw, position: src.tokens[0]?.pos ?? null, candidates: [],
        how: result.overflow ? 'too many possible readings to enumerate' : `the row's values (${raw}) do not fit its ${opts.keys.length} cells`,
      });
      return;
    }
    const seen = new Map<string, { value: string | null; unit?: '元' }>();
    for (const r of readings) {
      const s = r[k]!;
      const tok = s.piece >= 0 ? src.tokens[s.piece] : undefined;
      let value = s.value;
      const yuan = opts.money?.[k] && tok?.unit === '元' && value !== null && (s.start === undefined || s.start + (s.length ?? 0) === tok.text.length);
      if (yuan && value !== null) value = shiftDecimal(value, 4);
      const id = value === null ? `~${s.kind}` : value;
      if (!seen.has(id)) seen.set(id, yuan ? { value, unit: '元' } : { value });
    }
    const first = readings[0]![k]!;
    const tok = first.piece >= 0 ? src.tokens[first.piece] : undefined;
    if (seen.size > 1) {
      const candidates = [...seen.values()].map((v) => v.value).sort((x, y) => (x === null ? 1 : y === null ? -1 : Number(x) - Number(y)));
      const runs = [...new Set(readings.map((r) => r[k]!.piece).filter((p) => p >= 0).map((p) => src.tokens[p]!))];
      cells.push({
        key, value: null, shown: 'text', status: 'ambiguous',
        raw: runs.map((t) => t.raw).join(' '), position: runs[0]?.pos ?? tok?.pos ?? null, candidates,
        how: `${readings.length} readings of “${src.tokens.map((t) => t.raw).join(' ')}” fit the row; they disagree on this cell`,
      });
      return;
    }
    const only = [...seen.values()][0]!;
    const split = first.length !== undefined && tok !== undefined && first.length < tok.text.length;
    const placedBlank = first.piece < 0;
    const inferred = result.structural !== 1 && !result.identityBroken;
    const cell: Cell = {
      key, value: only.value, shown: shownOf(only.value, first.kind),
      status: inferred || split || placedBlank ? 'inferred' : 'read',
      raw: tok?.raw ?? '', position: tok ? slotPosition(tok, first.start, first.length) : null,
    };
    if (cell.status === 'inferred') {
      cell.how = placedBlank
        ? `blank: ${src.pieces.length} values for ${opts.keys.length} cells; every reading consistent with the identities leaves this cell empty`
        : split
          ? `split from the squashed run “${tok!.raw}”: every reading consistent with the identities gives ${only.value}`
          : `every reading of the row consistent with the identities puts “${tok!.raw}” here`;
    }
    if (tok?.how && only.value === null) { cell.status = 'inferred'; cell.how = tok.how; }
    if (only.unit) { cell.unit = '元'; cell.how = `${cell.how ? `${cell.how}; ` : ''}converted from ${tok!.raw} (元) to 万元`; }
    cells.push(cell);
  });
  return cells;
}

export function solveHit(hit: RowHit, spec: RowSpec, money?: boolean[]): { src: PieceSource; result: SolveResult } {
  const src = toPieces(hit);
  return { src, result: solveRow(src.pieces, spec.slots, spec.ids, money ? { fractional: money } : {}) };
}
