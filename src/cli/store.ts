/**
 * Opening the store from the command line: `--db URL`, else $GONGKAI_DB, else ./gongkai.db.
 */
import { maskUrl } from '../store/db.ts';
import { StoreError } from '../store/errors.ts';
import { Store } from '../store/store.ts';
import { UsageError } from './io.ts';

export const DB_OPTION = { db: { type: 'string' as const } };

export const DB_HELP = `      --db <URL>                  the store: a SQLite file (default ./gongkai.db, or
                                  $GONGKAI_DB) or postgres://user@host/db`;

export function storeUrl(values: Record<string, unknown>): string {
  return (values.db as string | undefined) ?? process.env.GONGKAI_DB ?? 'gongkai.db';
}

/**
 * Open the store the options name. `create: false` for the commands that only read: a mistyped
 * path is an error, not a new empty store. A failure of the environment (locked, full,
 * read-only, no connection) comes out as a StoreError with its message.
 */
export async function openStore(values: Record<string, unknown>, opts: { create?: boolean } = {}): Promise<Store> {
  const url = storeUrl(values);
  try {
    return await Store.open(url, opts);
  } catch (e) {
    if (e instanceof StoreError) throw e;
    throw new UsageError(`cannot open the store ${maskUrl(url)}: ${(e as Error).message}`);
  }
}
