/**
 * What the table readers share: the token stream, the cells and notes they write, and the
 * source rows each table occupies (kept out of the narrative).
 */
import { t2Keys, t3Keys, t4Keys } from '../schema/keys.ts';
import type { Cell, Note, TableInfo } from '../types.ts';
import type { RowHit } from './rows.ts';
import type { Token } from './tokens.ts';

export interface Span { from: number; to: number }

export interface TableContext {
  tokens: Token[];
  /** The cells read so far, by key. */
  cells: CellTable;
  notes: Note[];
  /** Source rows [first, last] of each table found, header rows included. */
  tableRows: Array<[number, number]>;
  /** Values a reviewer picked for cells (key → value, null = blank): only readings that agree with them are kept. */
  pins?: Record<string, string | null>;
}

/** Every key of both editions in byte order, computed once: reports list cells in this order. */
const KEY_ORDER = [...new Set([...t2Keys('2019'), ...t2Keys('2021'), ...t3Keys('2019'), ...t3Keys('2021'), ...t4Keys()])].sort();
const RANK = new Map(KEY_ORDER.map((k, i) => [k, i]));
/** The places of the keys of a row, by the row's array of keys. */
const ROW_RANKS = new WeakMap<readonly string[], number[]>();

/**
 * A report's cells as they are read, each in the place of its key in KEY_ORDER: some two
 * hundred are added a report, and the report lists them in that order (a key outside it, which
 * no table reader makes, is kept apart and left out of the list, as before).
 */
export class CellTable {
  private readonly placed = new Array<Cell | undefined>(KEY_ORDER.length);
  private readonly other = new Map<string, Cell>();

  set(key: string, cell: Cell): void {
    const r = RANK.get(key);
    if (r === undefined) this.other.set(key, cell);
    else this.placed[r] = cell;
  }

  /**
   * A row's cells, in the order of `keys` (a row's keys, made once: their places are looked up
   * once for the array, not once a cell).
   */
  setRow(keys: readonly string[], cells: readonly Cell[]): void {
    let ranks = ROW_RANKS.get(keys);
    if (!ranks) ROW_RANKS.set(keys, (ranks = keys.map((k) => RANK.get(k) ?? -1)));
    for (let i = 0; i < cells.length; i++) {
      const c = cells[i]!;
      const r = c.key === keys[i] ? ranks[i]! : -1;
      if (r >= 0) this.placed[r] = c;
      else this.set(c.key, c);
    }
  }

  get(key: string): Cell | undefined {
    const r = RANK.get(key);
    return r === undefined ? this.other.get(key) : this.placed[r];
  }

  /**
   * The cells in key order, as the report gives them. The object is built key by key, and the
   * engine keeps it as a hash table (a dictionary). Built instead from one object literal of an
   * edition's keys, it would keep fast properties. That was measured (2026-12-05) and left out:
   * - the plain parse bench ran 10 % faster;
   * - but `check` of the same reports ran 25 % slower (60–69 µs → 78–85 µs a report);
   * - parse and check together were no faster.
   * `check` looks cells up by key some 590 times a report (the identities' sums, the list of
   * cells). On a 200-key object with fast properties such look-ups, the key changing at each,
   * miss the engine's caches, where a dictionary's are one hash probe.
   * The object is made a dictionary from the start (one with no prototype is), and given the
   * usual prototype when full: the engine would make it one at its seventeenth key anyway, after
   * building it as an object of sixteen fields and copying them over (a report read 0.7 % faster).
   */
  sorted(): Record<string, Cell> {
    const out = Object.create(null) as Record<string, Cell>;
    for (let i = 0; i < KEY_ORDER.length; i++) if (this.placed[i]) out[KEY_ORDER[i]!] = this.placed[i]!;
    return Object.setPrototypeOf(out, Object.prototype) as Record<string, Cell>;
  }
}

/**
 * A cell of a table row, not a sentence: short, no sentence punctuation. The last text asked
 * about and its answer are kept: the row finder asks about one token once for each row it tries.
 */
let askedText = '';
let askedLike = true;
export function labelLike(t: Token): boolean {
  const text = t.text;
  if (askedText !== text) { askedText = text; askedLike = text.length <= 64 && !sentencePunctuation(text); }
  return askedLike;
}

/** `/[。;；]/.test(text)`, by a loop: a label is short, and a pattern's call costs more than the look at its characters. */
function sentencePunctuation(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x3002 || c === 0x3b || c === 0xff1b) return true;
  }
  return false;
}

const NUMBERING = /^[(（]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?/;
/** The last text stripped and what it gave: the row finder asks for one token's text once for each row it tries. */
let stripped: [string, string] = ['', ''];
export function stripNumbering(s: string): string {
  if (stripped[0] !== s) stripped = [s, s.replace(NUMBERING, '').replace(/[:：]$/, '')];
  return stripped[1];
}

export function emptyTable(): TableInfo {
  return { found: false, edition: null, position: null, rows: [], missingRows: [] };
}

export function labelVariant(t: Token, official: string): Note {
  const printed = t.raw.trim();
  return { code: 'label-variant', message: `“${printed}” printed for the template's “${official}”`, position: t.pos, printed, official };
}

/** A row with more values than cells: the extra values are reported, never dropped silently. */
export function noteExtra(hit: RowHit, pieces: number, slots: number, keys: string[], notes: Note[]): void {
  if (pieces > slots) {
    notes.push({
      code: 'extra-values', keys, position: hit.label.pos,
      message: `row “${hit.label.raw.trim()}” has ${pieces} values for ${slots} cells`,
    });
  }
}

/** The ids of a table's rows that no hit found. */
export function missingRows(rows: ReadonlyArray<{ id: string }>, hits: RowHit[]): string[] {
  const seen = new Uint8Array(rows.length);
  for (const h of hits) if (h.spec >= 0) seen[h.spec] = 1;
  return rows.filter((_, i) => seen[i] === 0).map((r) => r.id);
}

export function lastItem(hits: RowHit[]): number {
  const last = hits[hits.length - 1];
  if (!last) return -1;
  return (last.items[last.items.length - 1] ?? last.label).index;
}

/** Source rows a table occupies, from its first header row (if any) to its last value. */
export function rowRange(hits: RowHit[], tokens: Token[], from: number, header: RegExp): [number, number] {
  const first = hits[0]!.label;
  let start = first.row;
  for (let i = from; i < first.index; i++) {
    const t = tokens[i]!;
    if (t.kind === 'text' && labelLike(t) && header.test(t.text)) { start = t.row; break; }
  }
  let end = first.row;
  for (const h of hits) {
    if (h.label.row > end) end = h.label.row;
    for (const t of h.items) if (t.row > end) end = t.row;
  }
  return [start, end];
}

/** Values on a row of their own that no label and no order places: reported, not read. */
export function unplacedNote(o: RowHit): Note {
  const raw = [o.label, ...o.items].filter((t) => t.kind !== 'blank').map((t) => t.raw.trim()).join(' ');
  return { code: 'unplaced-values', position: o.label.pos, message: `a row of values with no label the template knows (“${raw}”): no row order places it, so its values are not read` };
}

