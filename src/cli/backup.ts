/**
 * `gongkai backup FILE`: a consistent copy of a SQLite store, safe to take while `gongkai serve`
 * or an ingest is writing, checked by opening it. PostgreSQL is backed up with pg_dump.
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { isPostgres, maskUrl } from '../store/db.ts';
import { Store } from '../store/store.ts';
import { OutputError, systemReason, UsageError } from './io.ts';
import { DB_HELP, DB_OPTION, openStore, storeUrl } from './store.ts';

export const backupCommand = {
  help: `Usage: gongkai backup [--db URL] FILE

Copy a SQLite store to FILE while it is in use: the copy is taken in one read transaction
(SQLite's VACUUM INTO), so \`gongkai serve\` and ingests go on meanwhile, and it is consistent
— every file, review and correction made before it began, none half written. The copy is
then opened and checked (PRAGMA integrity_check), and what it holds is printed.

To restore: stop the server, replace the store file with the copy (remove the store's
-wal and -shm files beside it), start the server.

PostgreSQL: use its own tools, e.g. \`pg_dump --format=custom --file=gongkai.dump URL\`,
restored with \`pg_restore --clean --dbname=URL gongkai.dump\`.

Options:
${DB_HELP}
  -h, --help                      show this help

Examples:
  gongkai backup /var/backups/gongkai/$(date +%F).db
  GONGKAI_DB=/var/lib/gongkai/gongkai.db gongkai backup copy.db

Exit codes: 0 the copy is made and checked; 2 usage error (FILE exists, no store);
75 the store or the disk failed: nothing usable was written, try again.
`,
  options: { ...DB_OPTION },
  async run(values: Record<string, unknown>, rest: string[]): Promise<number> {
    if (rest.length !== 1) throw new UsageError('backup takes one FILE to write the copy to');
    const url = storeUrl(values);
    if (isPostgres(url)) {
      throw new UsageError(`${maskUrl(url)} is PostgreSQL: back it up with \`pg_dump --format=custom --file=gongkai.dump ${maskUrl(url)}\` (restore: \`pg_restore --clean --dbname=… gongkai.dump\`)`);
    }
    const file = resolve(rest[0]!);
    if (existsSync(file)) throw new UsageError(`${file} exists; a backup never overwrites a file`);
    // the folder the copy goes in is made if its own parent exists (one level: a mistyped path
    // is an error, not a tree of new folders)
    try {
      if (!existsSync(dirname(file))) mkdirSync(dirname(file));
    } catch (e) {
      throw new OutputError(`cannot make the folder for ${file}: ${systemReason(e)}`);
    }
    const store = await openStore(values, { create: false });
    try {
      await store.backup(file);
    } finally {
      await store.close();
    }
    const copy = await Store.open(file, { create: false });
    try {
      const c = await copy.contents();
      const mb = (statSync(file).size / 1048576).toFixed(1);
      process.stdout.write(`${file}: ${mb} MB — ${c.reports} reports, ${c.corrections} corrections, ${c.reviews} reviews, ${c.users} accounts; integrity ${c.integrity}\n`);
      return c.integrity === 'ok' ? 0 : 75;
    } finally {
      await copy.close();
    }
  },
};
