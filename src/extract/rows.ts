/**
 * Reading a table's rows from the token stream, anchored on the template's own labels, and
 * turning each row's values into cells through the solver.
 */
import { canonical, numberOf, printedBreaks, solveRow, type Piece, type Reading, type RowIdentity, type SlotValue, type SolveResult } from '../solve/solver.ts';
import type { Cell, Note, Position, Shown } from '../types.ts';
import { keep } from '../read/normalize.ts';
import type { Token } from './tokens.ts';

export interface RowSpec {
  id: string;
  slots: number;
  ids: RowIdentity[];
  /** Does this text token label the row? Decided by the token's text alone: findRows keeps its answers by text. */
  accept: (t: Token) => boolean;
  /** May be recognised when rows before it are missing. */
  distinctive: boolean;
  /** The official label, compact, numbering included (`3.其他`): printed exactly, it is found even out of order. */
  official?: string;
}

export interface RowHit {
  /** The spec the row was found as; -1 for an orphan (values on a row of their own, no label). */
  spec: number;
  label: Token;
  items: Token[];
  /** The items were placed under their columns from the page's geometry (one per column). */
  aligned?: boolean;
  /** How the row was found when not by its label: a near match of it, or (orphans) by order. */
  placed?: 'near-label' | 'order';
  /** The label was found by its first line (`5.要求行政机关确认或`): the rest still to come below. */
  rest?: string;
}

/** The share of `a`'s characters that `b` matches in order (longest common subsequence). */
function likeness(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 0;
  let prev = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    const cur = new Array<number>(b.length + 1).fill(0);
    for (let j = 1; j <= b.length; j++) cur[j] = a[i - 1] === b[j - 1] ? prev[j - 1]! + 1 : Math.max(prev[j]!, cur[j - 1]!);
    prev = cur;
  }
  return prev[b.length]! / Math.max(a.length, b.length);
}

const NUMBERED = /^(?:[(（][一二三四五六七八九十]{1,2}[)）]|[一二三四五六七八九十]{1,2}、|\d{1,2}[.．、])/;
const bare = (s: string) => s.replace(NUMBERED, '');

/** A spec's official label without its numbering, and (for nearLabel) without a trailing （区分处理的…）: made once a spec. */
const FORMS = new WeakMap<RowSpec, { bare: string; near: string }>();
function officialForms(spec: RowSpec): { bare: string; near: string } {
  let f = FORMS.get(spec);
  if (!f) {
    const b = spec.official === undefined ? '' : bare(spec.official);
    FORMS.set(spec, (f = { bare: b, near: b.replace(/（区分处理的.*）$/, '') }));
  }
  return f;
}

/**
 * A label as OCR leaves it: one or two characters differ from the expected row's official label
 * (形近字: 己/已, 末/未). Only the next expected row is tried, and only labels of six characters or
 * more, so that a near match cannot be another row's label.
 */
function nearLabel(t: Token, spec: RowSpec | undefined): boolean {
  if (!spec?.official || t.text.length > 64) return false;
  const want = officialForms(spec).near;
  if (want.length < 6) return false;
  const got = bare(t.text).replace(/[(（]区分处理的.*[)）]$/, '');
  const l = likeness(got, want);
  return l >= 0.8 && want.length - Math.round(l * want.length) <= 2;
}

/** Where a label's own numbering starts in a line that may begin with a group heading (`（五）不予处理5.要求…`). */
const LAST_NUMBERING = /(?:\d{1,2}[.．、]|[(（][一二三四五六七八九十]{1,2}[)）])(?!.*(?:\d{1,2}[.．、]|[(（][一二三四五六七八九十]{1,2}[)）]))/;

/**
 * A label wrapped in its cell, its first line on the row's line (`5.要求行政机关确认或  0 0 0`,
 * `重新出具已获取信息` below): the first line is the start of exactly one template label (five
 * characters or more, after its own numbering), and that label is a row still to come. Returns
 * the row and the part of its label still to come, or null.
 */
function wrappedLabel(t: Token, specs: RowSpec[], expect: number): { spec: number; rest: string } | null {
  if (t.text.length > 64) return null;
  const at = LAST_NUMBERING.exec(t.text);
  const got = bare(at ? t.text.slice(at.index) : t.text);
  if (got.length < 5) return null;
  let found: { spec: number; rest: string } | null = null;
  for (let j = 0; j < specs.length; j++) {
    const want = officialForms(specs[j]!).bare;
    if (want.length <= got.length || !want.startsWith(got)) continue;
    if (found || j < expect || (j > expect && !specs[j]!.distinctive)) return null; // not one row's, or not one to come
    found = { spec: j, rest: want.slice(got.length) };
  }
  return found;
}

/**
 * The rest of a wrapped label, on a line of its own below: the text is the rest (or its start),
 * perhaps after the tail of the group heading beside it (`法提供  行制作` for （四）无法提供 and
 * 2.没有现成信息需要另行制作). Returns what still remains, or null when this is other text.
 */
function labelRest(t: Token, rest: string): string | null {
  if (rest.startsWith(t.text)) return rest.slice(t.text.length);
  const k = t.text.indexOf(rest);
  if (k > 0 && k <= 4 && k + rest.length === t.text.length && !/\d/.test(t.text.slice(0, k))) return '';
  return null;
}

/**
 * Walk tokens [from, to) and find the rows of `specs` in order. A row's values are the value,
 * blank and mark tokens after its label, up to the next label or to the first text that
 * follows its values (a block header, a sentence). Header-row text is never a label. A
 * delimited source row of values with no label (its label cell left empty) is an orphan row,
 * returned with spec -1: only the template's order can place it.
 */
export function findRows(tokens: Token[], from: number, to: number, specs: RowSpec[]): RowHit[] {
  const hits: RowHit[] = [];
  const memos = labelMemos(specs);
  let expect = 0;
  let cur: RowHit | null = null;
  // the current row has values on its label's own source row (a table row, not a label above its
  // values): kept as its values come, not looked for among them at each new source row
  let own = false;
  let closed = false;
  let lastRow = -1;
  for (let i = from; i < to; i++) {
    const t = tokens[i]!;
    const newRow = t.row !== lastRow;
    lastRow = t.row;
    if (t.kind === 'text') {
      // the rest of a wrapped label, below its first line: part of the label, not the row's end
      if (cur?.rest && !t.header) {
        const left = labelRest(t, cur.rest);
        if (left !== null) { cur.rest = left; continue; }
      }
      const { m, near, rest } = t.header ? NO_LABEL : labelOf(t, specs, expect, memos);
      if (m >= 0) {
        cur = { spec: m, label: t, items: [] };
        own = false;
        if (near) cur.placed = 'near-label';
        if (rest) cur.rest = rest;
        hits.push(cur);
        expect = m + 1;
        closed = false;
      } else if (cur && newRow && t.delimited && !t.header && own) {
        // a delimited row whose label is no template label: an orphan, if values follow
        cur = { spec: -1, label: t, items: [], placed: 'order' };
        own = false;
        hits.push(cur);
        closed = false;
      } else if (cur && cur.items.some((v) => v.kind !== 'blank' || v.delimited)) closed = true;
      continue;
    }
    // values on a delimited row of their own, after a row that has its values: an orphan row
    if (cur && newRow && t.delimited && own && !cur.items.some((v) => v.row === t.row)) {
      cur = { spec: -1, label: t, items: [], placed: 'order' };
      own = false;
      hits.push(cur);
      closed = false;
      if (t.kind === 'blank') continue; // the empty label cell
    }
    if (cur && !closed) {
      cur.items.push(t);
      if (t.row === cur.label.row && t.delimited) own = true;
    }
  }
  return hits;
}

interface LabelFound { m: number; near: boolean; rest: string | undefined }
const NO_LABEL: LabelFound = { m: -1, near: false, rest: undefined };

/**
 * The answers of labelSearch kept by specs, the row expected and the text: a report's labels are
 * the template's, the same in report after report, and most cost a pattern for each row tried
 * (a text that is no label, all of them, its likeness to the row expected, and its start against
 * every label). Bounded: a table of answers past MEMO_MOST texts is emptied.
 */
const LABEL_MEMO = new WeakMap<RowSpec[], Array<Map<string, LabelFound>>>();
const MEMO_MOST = 1024;

/** The tables of labelSearch's answers for `specs`, by the row expected. */
function labelMemos(specs: RowSpec[]): Array<Map<string, LabelFound>> {
  let byExpect = LABEL_MEMO.get(specs);
  if (!byExpect) LABEL_MEMO.set(specs, (byExpect = []));
  return byExpect;
}

function labelOf(t: Token, specs: RowSpec[], expect: number, byExpect: Array<Map<string, LabelFound>>): LabelFound {
  // (a text longer than any label is searched each time: it is none, and quickly found so)
  if (t.text.length > 64) return labelSearch(t, specs, expect);
  let memo = byExpect[expect];
  if (!memo) byExpect[expect] = memo = new Map();
  return memo.get(t.text) ?? keep(memo, t.text, MEMO_MOST, labelSearch(t, specs, expect));
}

/** The row a text token labels, from row `expect` on: by its label, a near match of the row expected, or the first line of a wrapped label. */
function labelSearch(t: Token, specs: RowSpec[], expect: number): LabelFound {
  for (let j = expect; j < specs.length; j++) {
    const spec = specs[j]!;
    if (j > expect && !spec.distinctive && t.text !== spec.official) continue;
    if (spec.accept(t)) return { m: j, near: false, rest: undefined };
  }
  if (nearLabel(t, specs[expect])) return { m: expect, near: true, rest: undefined };
  const w = wrappedLabel(t, specs, expect);
  return w ? { m: w.spec, near: false, rest: w.rest } : NO_LABEL;
}

/**
 * Orphan rows (spec -1) placed by the template's order: between two rows found by their labels,
 * as many orphans as template rows missing there take those rows in order. Orphans that order
 * cannot place are returned apart, with their values unread.
 */
export function placeOrphans(found: RowHit[], specs: number, slots: number): { hits: RowHit[]; unplaced: RowHit[] } {
  const out: RowHit[] = [];
  const unplaced: RowHit[] = [];
  // an orphan is a row of values: a header or block title with none is no row
  const hits = found.filter((h) => h.spec >= 0 || h.items.some((v) => v.kind === 'value') || h.items.filter((v) => v.delimited).length >= slots);
  for (let i = 0; i < hits.length;) {
    if (hits[i]!.spec >= 0) { out.push(hits[i]!); i++; continue; }
    let j = i;
    while (j < hits.length && hits[j]!.spec < 0) j++;
    const before = out.length ? out[out.length - 1]!.spec : -1;
    const after = j < hits.length ? hits[j]!.spec : specs;
    const gap = after - before - 1;
    const orphans = hits.slice(i, j);
    // values that belong to no gap, or more orphans than gaps: no order places them
    if (gap === orphans.length && j < hits.length) orphans.forEach((h, k) => out.push({ ...h, spec: before + 1 + k }));
    else unplaced.push(...orphans);
    i = j;
  }
  return { hits: out, unplaced };
}

export interface PieceSource { pieces: Piece[]; tokens: Token[] }

/**
 * The tokens of a row that become its pieces. Blank cells on lines that hold no value are layout
 * padding of merged cells, and blanks before the first or after the last value cannot be placed:
 * both are dropped, leaving the solver free to place blanks there.
 */
function rowValues(hit: RowHit): Token[] {
  const items = hit.items;
  const labelRow = hit.label.row;
  // a row's values on its label's line (a delimited table row, the common case), or with no
  // blank among them (one cell per line), are all kept
  let oneRow = true;
  let blank = false;
  for (let i = 0; i < items.length; i++) {
    if (items[i]!.row !== labelRow) oneRow = false;
    if (items[i]!.kind === 'blank') blank = true;
  }
  let list = items;
  if (!oneRow && blank) {
    // (a row's few values are looked through for one on a blank's line; many go through a set)
    const valueRows = items.length > 16 ? new Set<number>(items.filter((t) => t.kind !== 'blank').map((t) => t.row)) : null;
    const valueOn = (row: number) => (valueRows ? valueRows.has(row) : items.some((v) => v.kind !== 'blank' && v.row === row));
    list = items.filter((t) => t.kind !== 'blank' || t.row === labelRow || valueOn(t.row));
  }
  // A row of a real table grid (spans resolved) has its blank cells in place: keep them all.
  const grid = hit.aligned === true || (list.length > 0 && hit.label.grid === true && list.every((t) => t.grid === true && t.row === labelRow));
  let a = 0;
  let b = list.length;
  if (!grid) {
    while (a < b && list[a]!.kind === 'blank') a++;
    while (b > a && list[b - 1]!.kind === 'blank') b--;
  }
  return a > 0 || b < list.length ? list.slice(a, b) : list;
}

/** The solver's pieces of a row's value tokens. */
function piecesOf(list: Token[]): Piece[] {
  const pieces = new Array<Piece>(list.length);
  for (let i = 0; i < list.length; i++) {
    const t = list[i]!;
    const prev = i > 0 ? list[i - 1]! : undefined;
    const rigidBefore = prev !== undefined && t.delimited && prev.delimited && prev.row === t.row;
    pieces[i] = { kind: pieceKind(t), text: t.text, rigidBefore };
  }
  return pieces;
}

/** A token's kind of piece: a number that may be several squashed cells is a run. */
const pieceKind = (t: Token): Piece['kind'] => (t.kind !== 'value' ? t.kind : t.multi === true && splittable(t.text) ? 'run' : 'num');

/** A number that may be several squashed cells: digits only (a sign, a fraction allowed), two or more before any point. */
function splittable(text: string): boolean {
  return /^-?\d+(?:\.\d+)?$/.test(text) && text.replace(/^-/, '').split('.')[0]!.length > 1;
}

const shownOf = (value: string | null, kind: string): Shown =>
  value === null ? (kind === 'na' ? 'na' : kind === 'text' ? 'text' : 'blank') : isZero(value) ? 'zero' : 'number';

/** `Number(value) === 0` for a number's text: `0` is, one that starts with a digit 1–9 is not, and neither needs a conversion. */
function isZero(value: string): boolean {
  if (value === '0') return true;
  const k = value.charCodeAt(0);
  return k >= 49 && k <= 57 ? false : Number(value) === 0;
}

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

/** Is slot `k`'s value under one reading money printed in 元, to be shifted to 万元? */
function inYuan(s: SlotValue, tok: Token | undefined, k: number, money: boolean[] | undefined): boolean {
  return money?.[k] === true && tok?.unit === '元' && s.value !== null && (s.start === undefined || s.start + (s.length ?? 0) === tok.text.length);
}

/** Slot `k`'s value under one reading (money printed in 元 shifted to 万元). */
function valueIn(r: Reading, k: number, src: PieceSource, money: boolean[] | undefined): { value: string | null; unit?: '元' } {
  const s = r[k]!;
  return inYuan(s, s.piece >= 0 ? src.tokens[s.piece] : undefined, k, money) ? { value: shiftDecimal(s.value!, 4), unit: '元' } : { value: s.value };
}

/**
 * Cells of one row from the solver's surviving readings: `readings`, or (undefined) the result's
 * own. A row read as printed whose readings nothing narrowed or picked is read from its tokens,
 * slot k from token k, without its one reading made (see `solveHit`).
 */
export function cellsOf(src: PieceSource, result: SolveResult, readings: Reading[] | undefined, opts: CellOptions): Cell[] {
  const { keys } = opts;
  const cells: Cell[] = [];
  const printed = readings === undefined ? result.printed : undefined;
  if (printed) {
    // (a printed row has one token and one value for each of its keys)
    for (let k = 0; k < keys.length; k++) {
      const tok = src.tokens[k]!;
      const kind = tok.kind === 'value' ? 'num' : tok.kind;
      const value = printed[k]!;
      const yuan = opts.money?.[k] === true && tok.unit === '元' && value !== null;
      cells.push(cellAt(keys[k]!, yuan ? shiftDecimal(value!, 4) : value, yuan, kind, tok, undefined, undefined, false, src, keys));
    }
    return cells;
  }
  const rs = readings ?? result.readings;
  for (let k = 0; k < keys.length; k++) {
    const key = keys[k]!;
    if (result.overflow || rs.length === 0) {
      const raw = src.tokens.map((t) => t.raw).join(' ');
      cells.push({
        key, value: null, shown: 'text', status: 'ambiguous', raw, position: src.tokens[0]?.pos ?? null, candidates: [],
        how: result.overflow ? 'too many possible readings to enumerate' : `the row's values (${raw}) do not fit its ${keys.length} cells`,
      });
      continue;
    }
    const first = rs[0]![k]!;
    const tok = first.piece >= 0 ? src.tokens[first.piece] : undefined;
    // one reading (the common case) needs no comparing
    let value: string | null;
    let yuan: boolean;
    if (rs.length === 1) {
      yuan = inYuan(first, tok, k, opts.money);
      value = yuan ? shiftDecimal(first.value!, 4) : first.value;
    } else {
      const seen = new Map<string, { value: string | null; unit?: '元' }>();
      for (const r of rs) {
        const v = valueIn(r, k, src, opts.money);
        const id = v.value === null ? `~${r[k]!.kind}` : v.value;
        if (!seen.has(id)) seen.set(id, v);
      }
      if (seen.size > 1) {
        const candidates = [...seen.values()].map((v) => v.value).sort((x, y) => (x === null ? 1 : y === null ? -1 : Number(x) - Number(y)));
        const runs = [...new Set(rs.map((r) => r[k]!.piece).filter((p) => p >= 0).map((p) => src.tokens[p]!))];
        cells.push({
          key, value: null, shown: 'text', status: 'ambiguous',
          raw: runs.map((t) => t.raw).join(' '), position: runs[0]?.pos ?? tok?.pos ?? null, candidates,
          how: `${rs.length} readings of “${src.tokens.map((t) => t.raw).join(' ')}” fit the row; they disagree on this cell`,
        });
        continue;
      }
      const only = seen.values().next().value!;
      value = only.value;
      yuan = only.unit === '元';
    }
    const inferred = result.structural !== 1 && !result.identityBroken;
    cells.push(cellAt(key, value, yuan, first.kind, tok, first.start, first.length, inferred, src, keys));
  }
  return cells;
}

/**
 * A cell that one value fills: `tok` its token (none for a blank the solver placed), [start,
 * start + length) the part of it taken from a squashed run, `inferred` when only the identities
 * chose the row's reading.
 */
function cellAt(key: string, value: string | null, yuan: boolean, kind: SlotValue['kind'], tok: Token | undefined, start: number | undefined, length: number | undefined, inferred: boolean, src: PieceSource, keys: string[]): Cell {
  const split = length !== undefined && tok !== undefined && length < tok.text.length;
  const placedBlank = tok === undefined;
  const cell: Cell = {
    key, value, shown: shownOf(value, kind),
    status: inferred || split || placedBlank ? 'inferred' : 'read',
    raw: tok?.raw ?? '', position: tok ? slotPosition(tok, start, length) : null,
  };
  if (cell.status === 'inferred') {
    cell.how = placedBlank
      ? `blank: ${src.tokens.length} values for ${keys.length} cells; every reading consistent with the identities leaves this cell empty`
      : split
        ? `split from the squashed run “${tok!.raw}”: every reading consistent with the identities gives ${value}`
        : `every reading of the row consistent with the identities puts “${tok!.raw}” here`;
  }
  if (tok?.how && value === null) { cell.status = 'inferred'; cell.how = tok.how; }
  if (tok?.ocr && value !== null && !split) { cell.how = cell.how ? `${tok.how}; ${cell.how}` : tok.how; cell.status = 'inferred'; cell.ocr = true; }
  if (yuan) { cell.unit = '元'; cell.how = `${cell.how ? `${cell.how}; ` : ''}converted from ${tok!.raw} (元) to 万元`; }
  return cell;
}

/**
 * The cells of a row found without its own label: `inferred` with the reason, or — when the
 * identities do not confirm the placement (`doubt`) — `?` between the value and blank (the
 * values may belong to another row).
 */
export function markPlacement(cells: Cell[], hit: RowHit, official: string): void {
  if (!hit.placed) return;
  const why = hit.placed === 'order'
    ? `the row has no template label (“${hit.label.raw.trim()}”): the template's order places it under ${official}, the only row missing here`
    : `the label “${hit.label.raw.trim()}” differs from the template's ${official} by a character or two (as OCR leaves it)`;
  for (const c of cells) {
    c.placed = hit.placed;
    if (c.status === 'ambiguous') continue;
    c.how = c.how ? `${why}; ${c.how}` : why;
    c.status = 'inferred';
  }
}

/**
 * A number read through OCR's letters (`1O5` as 105) stands only where an identity confirms it:
 * `confirmed` false (the row's identity fails, or the table has none) makes it `?` with the
 * reading as its candidate.
 */
export function confirmOcr(cells: Cell[], confirmed: boolean, why: string): void {
  if (confirmed) return;
  for (const c of cells) {
    if (!c.ocr || c.status === 'ambiguous') continue;
    c.candidates = [c.value];
    c.how = `${c.how ?? ''}; ${why}, so the reading is not certain`;
    c.status = 'ambiguous';
    c.value = null;
    c.shown = 'text';
  }
}

/** A placed cell the identities contradict: `?` between its value and blank. */
export function doubtPlacement(c: Cell, identity: string): void {
  if (c.status === 'ambiguous') return;
  c.candidates = [c.value, null].filter((v, i, a) => a.indexOf(v) === i);
  c.how = `${c.how ?? ''}; but ${identity} fails with the row placed there, so the placement is in doubt`;
  c.status = 'ambiguous';
  c.value = null;
  c.shown = 'text';
}

/**
 * Keep the readings of a row that agree with the values a reviewer picked for its cells: a pick
 * for one cell of a squashed run (`27` of `272720`) narrows its neighbours. A pick no reading
 * agrees with (it contradicts the printed digits) narrows nothing and is noted
 * (`pin-contradiction`), so the caller can refuse it.
 */
export function pinReadings(readings: Reading[], keys: readonly string[], pins: Record<string, string | null> | undefined, notes: Note[]): Reading[] {
  if (!pins) return readings;
  const pinned = keys.map((k, i) => [i, k] as const).filter(([, k]) => k in pins);
  if (pinned.length === 0) return readings;
  const canon = (v: string | null) => (v === null ? null : canonical(v));
  const kept = readings.filter((r) => pinned.every(([i, k]) => (r[i]?.value ?? null) === canon(pins[k]!)));
  if (kept.length > 0) return kept;
  notes.push({ code: 'pin-contradiction', keys: pinned.map(([, k]) => k), message: `the values picked for ${pinned.map(([, k]) => k).join(', ')} agree with no reading of the row as printed` });
  return readings;
}

/**
 * A row's values solved into its cells. A row whose values fill its cells one each, none a run
 * to split (a delimited table row: most rows), reads one way, as printed (`solveRow` says so
 * too): only its identities are checked, on its numbers, and its pieces and its one reading are
 * made when something asks for them (a reviewer's picks, table 三's column identities), which
 * for most reports nothing does. (Made for every such row, and then not read, they were a
 * twentieth of a plain report's parse.)
 */
export function solveHit(hit: RowHit, spec: RowSpec, money?: boolean[]): { src: PieceSource; result: SolveResult } {
  const tokens = rowValues(hit);
  if (tokens.length === spec.slots && tokens.every((t) => pieceKind(t) !== 'run')) return printedRow(tokens, spec.ids);
  const src = { pieces: piecesOf(tokens), tokens };
  return { src, result: solveRow(src.pieces, spec.slots, spec.ids, money ? { fractional: money } : {}) };
}

/** A row read as printed (solveHit). */
function printedRow(tokens: Token[], ids: RowIdentity[]): { src: PieceSource; result: SolveResult } {
  const values = tokens.map((t) => (t.kind === 'value' ? canonical(t.text) : null));
  const broken = printedBreaks(tokens.length, (i) => (values[i] === null ? 0 : numberOf(values[i]!)), ids);
  const src = new PrintedSource(tokens);
  return { src, result: new PrintedResult(src, ids, values, broken) };
}

/** A printed row's values: its pieces made on first asking. */
class PrintedSource implements PieceSource {
  readonly tokens: Token[];
  private made: Piece[] | undefined;
  constructor(tokens: Token[]) { this.tokens = tokens; this.made = undefined; }
  get pieces(): Piece[] { return (this.made ??= piecesOf(this.tokens)); }
}

/** A printed row's result: its one reading made on first asking, by the solver. */
class PrintedResult implements SolveResult {
  readonly overflow = false;
  readonly structural = 1;
  readonly printed: ReadonlyArray<string | null>;
  readonly identityBroken: boolean;
  private readonly src: PrintedSource;
  private readonly ids: RowIdentity[];
  private made: Reading[] | undefined;
  constructor(src: PrintedSource, ids: RowIdentity[], printed: ReadonlyArray<string | null>, identityBroken: boolean) {
    this.src = src; this.ids = ids; this.printed = printed; this.identityBroken = identityBroken; this.made = undefined;
  }
  get readings(): Reading[] { return (this.made ??= solveRow(this.src.pieces, this.src.tokens.length, this.ids).readings); }
}
