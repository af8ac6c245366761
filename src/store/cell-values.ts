/**
 * Each report's cells packed in one row, for the exports (`report_cells`): their values as one
 * JSON array, in the order of their keys' layout (`cell_layouts`: the keys as a JSON array, named
 * by a hash of that text; a corpus has a few dozen layouts). An export of 10,000 reports reads
 * 10,000 such rows, where it had the database gather two million cell rows into arrays (on
 * PostgreSQL the server's time went on that, 30–50 ms a batch of 500). The `cells` table stays
 * what everything else reads; every write of a report's cells writes its row here in the same
 * transaction.
 */
import { createHash } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Engine } from './db.ts';
import type { DB } from './schema.ts';

/** A report's cells packed: its layout (hash and keys' JSON text) and its values' JSON text in that order. */
export interface PackedCells {
  layout: string;
  keys: string;
  values: string;
}

/** A cell's value in an export: its number's text, null when blank, `?` when the reading could not determine it. */
export const exportValue = (value: string | null, status: string): string | null => (status === 'ambiguous' ? '?' : value);

/** Layouts' hashes by their keys' text (the same few recur report after report; bounded). */
const hashes = new Map<string, string>();

/** A layout's name: a hash of its keys' JSON text, the same in every store. */
export function layoutHash(keys: string): string {
  let h = hashes.get(keys);
  if (h === undefined) {
    h = createHash('sha256').update(keys).digest('base64url').slice(0, 22);
    if (hashes.size >= 1000) hashes.clear();
    hashes.set(keys, h);
  }
  return h;
}

/** Cells (keys and their values, in step) packed, the keys in code unit order. */
export function packCells(keys: readonly string[], values: ReadonlyArray<string | null>): PackedCells {
  let ordered = true;
  for (let i = 1; i < keys.length && ordered; i++) ordered = keys[i - 1]! < keys[i]!;
  let k = keys;
  let v = values;
  if (!ordered) {
    const at = Array.from(keys.keys()).sort((a, b) => (keys[a]! < keys[b]! ? -1 : keys[a]! > keys[b]! ? 1 : 0));
    k = at.map((i) => keys[i]!);
    v = at.map((i) => values[i]!);
  }
  const text = JSON.stringify(k);
  return { layout: layoutHash(text), keys: text, values: JSON.stringify(v) };
}

/** Reports packed a statement, when packing what is stored. */
const CHUNK = 500;

/**
 * Pack the stored cells of reports (ids `ids[0]` to `ids[1]`, or all) into `report_cells`: for a
 * store made before the packed rows were (migration 0008), and for the benchmarks' stores, whose
 * cells the database itself makes. Reports that already have their row are left as they are.
 */
export async function packStoredCells(db: Kysely<DB>, engine: Engine, ids?: [number, number]): Promise<void> {
  let [from, to] = ids ?? [0, -1];
  if (!ids) {
    const span = await db.selectFrom('reports').select([sql<number>`min(id)`.as('lo'), sql<number>`max(id)`.as('hi')]).executeTakeFirst();
    if (span?.lo === null || span?.lo === undefined) return;
    [from, to] = [Number(span.lo), Number(span.hi)];
  }
  const value = sql.raw(`case when status = 'ambiguous' then '?' else value end`);
  // both arrays in one order, the keys'; the rows are sorted again by packCells in code unit order
  const [keys, values] = engine === 'postgres'
    ? [sql`json_agg(key order by key)::text`, sql`json_agg(${value} order by key)::text`]
    : [sql`json_group_array(key order by key)`, sql`json_group_array(${value} order by key)`];
  for (let lo = from; lo <= to; lo += CHUNK) {
    const hi = Math.min(to, lo + CHUNK - 1);
    const { rows } = await sql<{ report_id: number; keys: string; values: string }>`
      select report_id, ${keys} as keys, ${values} as "values" from cells
      where report_id between ${lo} and ${hi} and report_id not in (select report_id from report_cells where report_id between ${lo} and ${hi})
      group by report_id`.execute(db);
    if (rows.length === 0) continue;
    const packed = rows.map((r) => ({ id: Number(r.report_id), ...packCells(JSON.parse(r.keys) as string[], JSON.parse(r.values) as Array<string | null>) }));
    await insertLayouts(db, packed);
    await db.insertInto('report_cells').values(packed.map((p) => ({ report_id: p.id, layout: p.layout, cell_values: p.values }))).execute();
  }
}

/** Store the layouts of packed cells that the store does not have yet (in the hashes' order: two writers cannot deadlock on them). */
export async function insertLayouts(db: Kysely<DB>, packed: ReadonlyArray<Pick<PackedCells, 'layout' | 'keys'>>): Promise<void> {
  const rows = [...new Map(packed.map((p) => [p.layout, p.keys]))].sort((a, b) => (a[0] < b[0] ? -1 : 1)).map(([hash, keys]) => ({ hash, keys }));
  if (rows.length > 0) await db.insertInto('cell_layouts').values(rows).onConflict((oc) => oc.column('hash').doNothing()).execute();
}
