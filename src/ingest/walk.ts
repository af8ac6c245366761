/**
 * The files under the paths given: folders recursively, in a stable order. Hidden files and a
 * SQLite store's own files are skipped; a path that cannot be read is reported, not fatal.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SKIP = /^\.|\.(?:db|db-wal|db-shm|db-journal)$/;

export function listFiles(paths: string[], onError: (path: string, reason: string) => void): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      onError(dir, `cannot read the folder (${(e as NodeJS.ErrnoException).code ?? 'error'})`);
      return;
    }
    for (const e of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      if (SKIP.test(e.name)) continue;
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  for (const p of paths) {
    try {
      if (statSync(p).isDirectory()) walk(p);
      else out.push(p);
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      onError(p, code === 'ENOENT' ? 'no such file or folder' : `cannot read (${code ?? 'error'})`);
    }
  }
  return out;
}
