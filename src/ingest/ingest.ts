/**
 * Ingest files into a store: read and hash each file, skip bytes already stored from the same
 * path, parse and check the rest in worker threads, write each file in one transaction, then
 * run the corpus rules for the reports that came in. Interrupt it at any moment and run it
 * again: whole files were written or nothing, and stored bytes are skipped.
 */
import { createHash } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { readFile, stat } from 'node:fs/promises';
import { runCorpusRules } from '../corpus/rules.ts';
import type { DocumentInput, Store, WriteResult } from '../store/store.ts';
import type { Report } from '../types.ts';
import { tooLarge } from '../read/limits.ts';
import { storeError, StoreError, TRANSIENT_CODES } from '../store/errors.ts';
import { ReadPool } from './pool.ts';
import type { JobResult } from './worker.ts';


export interface Progress {
  phase: 'files' | 'corpus';
  done: number;
  total: number;
  errors: number;
  /** Seconds since the phase began. */
  elapsed: number;
  path?: string;
}

export interface IngestOptions {
  /** Worker threads (default: every core). */
  threads?: number;
  /** Per-file time budget in ms (default 120 s): a file over it is recorded as an error. */
  timeoutMs?: number;
  signal?: AbortSignal;
  onProgress?: (p: Progress) => void;
  /** A file not stored, with the reason and its code (`corrupt`, `timeout`, `out-of-scope` …). */
  onError?: (path: string, reason: string, code?: string) => void;
  /** Where the bytes of a name come from (default: the file system); the web app passes uploads held in memory. */
  load?: (path: string) => Promise<Uint8Array>;
  /** Keep each new file's bytes in the store (web uploads, which have no file to go back to). */
  keepOriginals?: boolean;
  /** Why a read report may not be stored (the web app: outside the user's region), or null; a refused file leaves no trace in the store. */
  admit?: (report: Report) => string | null;
}

export interface IngestSummary {
  files: number;
  /** Parsed and stored. */
  added: number;
  /** The same bytes from the same path: nothing to do. */
  unchanged: number;
  /** Bytes stored before under another path: the path is recorded, nothing re-read. */
  newPaths: number;
  /** Stored with the reason they are not readable reports. */
  failed: number;
  /**
   * Not read this time for a reason that is not the file's (a worker stopped, the time budget, a
   * bug of gongkai's): nothing recorded, so the next run reads them again.
   */
  retry: number;
  /** The store failed (locked, full, read-only, disconnected): the run stopped there; run it again. */
  stopped?: StoreError;
  /** Read but not stored: `admit` refused them. */
  refused: number;
  corpusChecked: number;
  /** Of `seconds`, the time the corpus rules took (after the files). */
  corpusSeconds: number;
  interrupted: boolean;
  seconds: number;
}


async function readLimited(path: string): Promise<Uint8Array> {
  const st = await stat(path);
  const big = tooLarge(st.size);
  if (big) throw new Error(big);
  return readFile(path);
}

export async function ingest(store: Store, files: string[], opts: IngestOptions = {}): Promise<IngestSummary> {
  // a store that fails here fails at its first write too, with the reason: nothing to add now
  await store.bulkWrites(true).catch(() => undefined);
  try {
    return await ingestFiles(store, files, opts);
  } finally {
    await store.bulkWrites(false).catch(() => undefined);
  }
}

async function ingestFiles(store: Store, files: string[], opts: IngestOptions): Promise<IngestSummary> {
  const threads = Math.max(1, opts.threads ?? availableParallelism());
  const pool = new ReadPool({ threads, ...(opts.timeoutMs !== undefined ? { timeoutMs: opts.timeoutMs } : {}) });
  const started = performance.now();
  const summary: IngestSummary = { files: files.length, added: 0, unchanged: 0, newPaths: 0, failed: 0, retry: 0, refused: 0, corpusChecked: 0, corpusSeconds: 0, interrupted: false, seconds: 0 };
  /** The first failure of the store: every lane stops taking files. */
  const stop = (e: unknown): void => {
    const env = storeError(e, store.where);
    if (!env) throw e;
    summary.stopped ??= env;
  };
  let done = 0;
  const tick = (path?: string) => opts.onProgress?.({ phase: 'files', done, total: files.length, errors: summary.failed, elapsed: (performance.now() - started) / 1000, ...(path ? { path } : {}) });
  const writer = new GroupWriter(store);
  const write = (input: DocumentInput) => writer.write(input);

  /** Files another process (same PostgreSQL store) was reading when we came to them: looked at again at the end. */
  const deferred: string[] = [];

  /** Read and store one file; false when another process holds its claim (it is looked at again later). */
  const one = async (path: string): Promise<boolean> => {
    let bytes: Uint8Array;
    try {
      bytes = await (opts.load ?? readLimited)(path);
      const big = tooLarge(bytes.length);
      if (big) throw new Error(big);
    } catch (e) {
      summary.failed++;
      opts.onError?.(path, (e as Error).message.replace(/^[A-Z]+: /, ''), 'io');
      return true;
    }
    const hash = createHash('sha256').update(bytes).digest('hex');
    let stored: Awaited<ReturnType<Store['lookup']>>;
    try {
      stored = await store.lookup(path, hash);
      if (stored === 'seen') { summary.unchanged++; return true; }
      if (stored === 'known') {
        const r = await write({ path, hash, bytes: bytes.length, format: null });
        if (r.status === 'new-path') summary.newPaths++; else summary.unchanged++;
        return true;
      }
      if (!(await store.claim(hash))) return false;
    } catch (e) {
      stop(e);
      return true;
    }
    let written: Promise<void> | undefined;
    try {
      written = (await readAndWrite(path, hash, bytes))?.written;
    } finally {
      // the claim is held until the file's transaction has committed (or failed)
      const release = () => store.release(hash).catch(() => undefined);
      if (written) void written.then(release, (e: unknown) => { failure ??= { e }; return release(); }); else await release();
    }
    if (written) await writer.room();
    return true;
  };

  /** Read a file; the promise of its write when there is one to make. */
  const readAndWrite = async (path: string, hash: string, bytes: Uint8Array): Promise<{ written: Promise<void> } | undefined> => {
    const result: JobResult = await pool.run({ path, bytes });
    if (result.error && TRANSIENT_CODES.includes(result.error.code)) {
      summary.retry++;
      opts.onError?.(path, `${result.error.message}; not recorded, so the next run reads it again`, result.error.code);
      return;
    }
    const refusal = result.report && opts.admit ? opts.admit(result.report) : null;
    if (refusal) {
      summary.refused++;
      opts.onError?.(path, refusal, 'out-of-scope');
      return;
    }
    // the lane goes on to its next file meanwhile: the write is accounted for when it commits
    const written = write({ path, hash, bytes: bytes.length, ...result, ...(opts.keepOriginals ? { original: { name: path, data: bytes } } : {}) }).then((w) => {
      // another process (or another path with the same bytes) stored it first
      if (w.status === 'seen') summary.unchanged++;
      else if (w.status === 'new-path') summary.newPaths++;
      else if (result.error) {
        summary.failed++;
        opts.onError?.(path, result.error.message, result.error.code);
        // the file was counted done when it was read; its verdict, now stored, reaches the progress line
        tick();
      } else summary.added++;
    }, stop);
    return { written };
  };

  // a bounded number of files in flight: memory stays flat whatever the corpus size
  let next = 0;
  /** A write that failed for a reason that is not the store's (a bug): the run stops and says so. */
  let failure: { e: unknown } | undefined;
  const going = () => !opts.signal?.aborted && !summary.stopped && !failure;
  let queue = files;
  const lane = async () => {
    while (next < queue.length && going()) {
      const path = queue[next++]!;
      if (!(await one(path))) { deferred.push(path); continue; }
      done++;
      tick(path);
    }
  };
  try {
    await Promise.all(Array.from({ length: threads * 2 }, lane));
    // files another process was reading: once it has stored them they are `seen`; if it died,
    // its claims went with its session, and they are read here
    while (deferred.length > 0 && going()) {
      await new Promise((resolve) => setTimeout(resolve, 200));
      queue = deferred.splice(0);
      next = 0;
      await Promise.all(Array.from({ length: threads * 2 }, lane));
    }
    await writer.idle();
    if (failure) throw failure.e;
    tick(); // the files' last verdicts, committed after their progress was shown
  } finally {
    await pool.destroy();
  }
  summary.interrupted = opts.signal?.aborted === true;
  if (summary.stopped) { summary.seconds = (performance.now() - started) / 1000; return summary; }
  // the corpus rules, for the new reports and any an interrupted run left unchecked
  const unchecked = summary.interrupted ? [] : await store.uncheckedReports();
  if (unchecked.length > 0) {
    const t0 = performance.now();
    opts.onProgress?.({ phase: 'corpus', done: 0, total: unchecked.length, errors: summary.failed, elapsed: 0 });
    summary.corpusChecked = await runCorpusRules(store, unchecked, { ...(opts.signal ? { signal: opts.signal } : {}) });
    summary.corpusSeconds = (performance.now() - t0) / 1000;
    summary.interrupted = opts.signal?.aborted === true;
    opts.onProgress?.({ phase: 'corpus', done: unchecked.length, total: unchecked.length, errors: summary.failed, elapsed: summary.corpusSeconds });
  }
  if (summary.added > 0) await store.optimize().catch(() => undefined);
  summary.seconds = (performance.now() - started) / 1000;
  return summary;
}

/** Files written in one transaction by an ingest (`GroupWriter`; the corpus bench writes as it does). */
export const WRITE_GROUP = 32;

/**
 * Writes in groups (group commit): a file's rows wait, up to a quarter of a second or until
 * `GROUP` files wait, and are written in one transaction with theirs. One commit costs about as
 * much as a report's rows, and the reports of a group that share a year and level update the
 * whole store's totals once. At most `MAX` files wait: a caller that finds it full waits for room
 * (`room`), so memory stays bounded. Interrupted, an ingest loses the files of the group it was
 * writing or gathering — they were not stored, and the next run reads them again — and never
 * part of a file.
 */
class GroupWriter {
  static readonly GROUP = WRITE_GROUP;
  static readonly WAIT_MS = 250;
  static readonly MAX = 64;
  /**
   * The store's statistics are taken again (`Store.optimize`) when this many files have been
   * written, then eight times as many, and so on. A new store has none, and without them SQLite
   * read `current = 1` from an index of every current report — in the rule counts of every group
   * and the search for a body's earlier version of every file — where the report's own key was
   * at hand: each write grew with the store. SQLite's analysis is sampled: milliseconds.
   */
  static readonly OPTIMIZE_FIRST = 64;
  private written = 0;
  private optimizeAt = GroupWriter.OPTIMIZE_FIRST;
  private queue: Array<{ input: DocumentInput; resolve: (w: WriteResult) => void; reject: (e: unknown) => void }> = [];
  private running: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private waiting: Array<() => void> = [];
  private readonly store: Store;

  constructor(store: Store) {
    this.store = store;
  }

  write(input: DocumentInput): Promise<WriteResult> {
    const p = new Promise<WriteResult>((resolve, reject) => this.queue.push({ input, resolve, reject }));
    if (this.queue.length >= GroupWriter.GROUP) this.start();
    else this.timer ??= setTimeout(() => this.start(), GroupWriter.WAIT_MS);
    return p;
  }

  private start(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.running ??= this.drain();
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      const group = this.queue.splice(0, GroupWriter.GROUP);
      for (const w of this.waiting.splice(0)) w();
      try {
        const results = await this.store.writeMany(group.map((g) => g.input));
        group.forEach((g, i) => g.resolve(results[i]!));
        this.written += group.length;
        if (this.written >= this.optimizeAt) {
          this.optimizeAt *= 8;
          await this.store.optimize().catch(() => undefined);
        }
      } catch (e) {
        for (const g of group) g.reject(e);
      }
      // a short group waits for more unless a full one is ready
      if (this.queue.length < GroupWriter.GROUP) break;
    }
    this.running = undefined;
    if (this.queue.length > 0) this.timer ??= setTimeout(() => this.start(), GroupWriter.WAIT_MS);
  }

  /** Resolves when fewer than MAX files wait to be written. */
  room(): Promise<void> {
    return this.queue.length < GroupWriter.MAX ? Promise.resolve() : new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Writes what waits now, and resolves when every file given has been written (or its write failed). */
  async idle(): Promise<void> {
    while (this.queue.length > 0 || this.running) {
      this.start();
      await this.running;
    }
  }
}
