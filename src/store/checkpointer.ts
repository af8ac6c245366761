/**
 * A thread that copies an ingest's write-ahead log back into its SQLite file while the ingest
 * writes: a PASSIVE checkpoint, on a connection of its own, right after each of the writer's
 * commits (and once a second besides). The copy and the disk sync that ends it then no longer stop
 * the thread that writes and hands files to the readers; done while the writer gathers its next
 * group, it is usually complete when that group begins, so the log starts again from its head and
 * stays small. A checkpoint that finds the file busy is tried again the next time.
 *
 * Shared flags: [0] is set to stop; [1] counts the writer's commits (`Store.bulkWrites`).
 */
import { DatabaseSync } from 'node:sqlite';
import { workerData } from 'node:worker_threads';

const { file, flags } = workerData as { file: string; flags: SharedArrayBuffer };
const flag = new Int32Array(flags);
const db = new DatabaseSync(file);
db.exec('PRAGMA busy_timeout = 1000');
let seen = 0;
while (Atomics.load(flag, 0) === 0) {
  Atomics.wait(flag, 1, seen, 1000);
  seen = Atomics.load(flag, 1);
  if (Atomics.load(flag, 0) !== 0) break;
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // busy or locked: the next time
  }
}
db.close();
