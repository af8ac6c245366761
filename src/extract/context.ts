/**
 * What the table readers share: the token stream, the cells and notes they write, and the
 * source rows each table occupies (kept out of the narrative).
 */
import type { Cell, Note, TableInfo } from '../types.ts';
import type { RowHit } from './rows.ts';
import type { Token } from './tokens.ts';

export interface Span { from: number; to: number }

export interface TableContext {
  tokens: Token[];
  /** The cells read so far, by key (a Map: some two hundred keys are added a report, and the report lists them in key order at the end). */
  cells: Map<string, Cell>;
  notes: Note[];
  /** Source rows [first, last] of each table found, header rows included. */
  tableRows: Array<[number, number]>;
  /** Values a reviewer picked for cells (key → value, null = blank): only readings that agree with them are kept. */
  pins?: Record<string, string | null>;
}

/** A cell of a table row, not a sentence: short, no sentence punctuation. */
export const labelLike = (t: Token): boolean => t.text.length <= 64 && !/[。;；]/.test(t.text);

const NUMBERING = /^[(（]?[一二三四五六七八九十\d]{1,3}[)）]?[、.．]?/;
export const stripNumbering = (s: string): string => s.replace(NUMBERING, '').replace(/[:：]$/, '');

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
  for (const h of hits) for (const t of [h.label, ...h.items]) end = Math.max(end, t.row);
  return [start, end];
}

/** Values on a row of their own that no label and no order places: reported, not read. */
export function unplacedNote(o: RowHit): Note {
  const raw = [o.label, ...o.items].filter((t) => t.kind !== 'blank').map((t) => t.raw.trim()).join(' ');
  return { code: 'unplaced-values', position: o.label.pos, message: `a row of values with no label the template knows (“${raw}”): no row order places it, so its values are not read` };
}

