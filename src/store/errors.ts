/**
 * Failures of the store's environment, told apart from failures of a file. A file that is not a
 * report is a verdict about its bytes, stored for good; a locked database, a full disk, a store
 * that cannot be written, a lost connection say nothing about the file. Those stop the work with
 * a message that names the store and what to do, and nothing is recorded against any file: the
 * next run reads it again.
 */

/**
 * Codes of a reading that failed for a reason not the file's (the per-file budget, a worker
 * stopped, a bug of gongkai's): ingest never stores them, and re-reads a file earlier versions
 * stored with one.
 */
export const TRANSIENT_CODES: readonly string[] = ['internal', 'timeout'];

/** A failure of the store, with the message a user sees. */
export class StoreError extends Error {
  readonly code: 'busy' | 'full' | 'read-only' | 'io' | 'connection' | 'missing' | 'damaged';
  constructor(code: StoreError['code'], message: string) {
    super(message);
    this.name = 'StoreError';
    this.code = code;
  }
}

interface Raw { code?: unknown; errcode?: unknown; errno?: unknown; message?: unknown }

/** SQLite primary result codes (the low byte of an extended code). */
const SQLITE: Record<number, StoreError['code']> = { 5: 'busy', 6: 'busy', 8: 'read-only', 10: 'io', 11: 'damaged', 13: 'full', 14: 'io', 26: 'io' };
/** PostgreSQL SQLSTATEs and Node's system errors. */
const OTHER: Record<string, StoreError['code']> = {
  '53100': 'full', '53200': 'full', '25006': 'read-only', '57P01': 'connection', '57P02': 'connection', '57P03': 'connection',
  '08000': 'connection', '08003': 'connection', '08006': 'connection', '58030': 'io', XX001: 'damaged', XX002: 'damaged',
  ENOSPC: 'full', EDQUOT: 'full', EROFS: 'read-only', EACCES: 'read-only', EPERM: 'read-only', EIO: 'io',
  ECONNREFUSED: 'connection', ECONNRESET: 'connection', ETIMEDOUT: 'connection', EPIPE: 'connection', ENOTFOUND: 'connection',
};

/** What to do about a damaged store. */
const RESTORE = 'restore the last backup (docs/service.md, section 6)';

const WHAT: Record<StoreError['code'], (where: string) => string> = {
  busy: (w) => `another process is writing to the store ${w} and did not finish within the wait; run again when it is done`,
  full: (w) => `the disk holding the store ${w} is full; free some space and run again (nothing read so far is lost)`,
  'read-only': (w) => `the store ${w} cannot be written (read-only file or folder, or no permission)`,
  io: (w) => `the store ${w} could not be read or written (an I/O error of the disk); run again`,
  connection: (w) => `the connection to the store ${w} was lost; run again when the server is back`,
  missing: (w) => `no store at ${w}`,
  damaged: (w) => `the store ${w} is damaged (its database finds it corrupt); ${RESTORE}`,
};

/** A store whose contents contradict each other (what its database cannot see): `what` says where. */
export const damagedStore = (where: string, what: string) => new StoreError('damaged', `the store ${where} is damaged: ${what}; ${RESTORE}`);

/** The StoreError an error of the store's engine amounts to, or null when it is not the environment's. */
export function storeError(e: unknown, where: string): StoreError | null {
  if (e instanceof StoreError) return e;
  const raw = (e ?? {}) as Raw;
  let code: StoreError['code'] | undefined;
  if (raw.code === 'ERR_SQLITE_ERROR' && typeof raw.errcode === 'number') code = SQLITE[raw.errcode & 0xff];
  else if (typeof raw.code === 'string') code = OTHER[raw.code];
  if (!code && typeof raw.message === 'string') {
    if (/database is locked|database table is locked/.test(raw.message)) code = 'busy';
    else if (/disk is full|No space left/i.test(raw.message)) code = 'full';
    else if (/readonly database|read-only/i.test(raw.message)) code = 'read-only';
    else if (/Connection terminated|connection.*(?:closed|refused)/i.test(raw.message)) code = 'connection';
  }
  return code ? new StoreError(code, WHAT[code](where)) : null;
}

export const missingStore = (where: string) => new StoreError('missing', `${WHAT.missing(where)} (a command that only reads does not create one; \`gongkai ingest\` makes it)`);
