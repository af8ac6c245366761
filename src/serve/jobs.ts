/**
 * Batch uploads: many files or ZIP archives, ingested in the background with the CLI's own
 * ingest (workers, one transaction a file); the page polls the job for progress and failures.
 * Uploads stay in memory and are named by the server: no name from a request reaches the file
 * system.
 */
import { ingest, type IngestSummary } from '../ingest/ingest.ts';
import type { Report } from '../types.ts';
import { unpackInWorker } from './unzip.ts';
import { reasonZh } from '../format/reasons.ts';
import { MAX_INPUT_BYTES } from '../read/limits.ts';
import { sniff } from '../read/sniff.ts';
import type { Store } from '../store/store.ts';

export interface Upload { name: string; bytes: Uint8Array }

export interface Job {
  id: string;
  who: string;
  started: string;
  phase: 'queued' | 'files' | 'corpus' | 'done';
  total: number;
  done: number;
  /** Files not stored: the reason as the reader gave it, and in Chinese first (`reasonZh`). */
  failures: Array<{ name: string; reason: string; reasonZh?: string }>;
  summary: IngestSummary | null;
}

/** Archive limits: what one archive may hold, and how much it may inflate per compressed byte. */
export const ARCHIVE_LIMITS = { maxEntries: 5000, maxRatio: 200, ratioFloor: 1 << 20 };

/** What the server holds for queued and running batch jobs at most (their files stay in memory until ingested). */
export const DEFAULT_MAX_HELD = 1024 << 20;
/** Unfinished batch jobs one user may have. */
export const DEFAULT_PER_USER = 2;

const FULL = 'the server holds as much as it may of queued uploads; send it again later';

/** A batch the server cannot take now (too much held, or the user's queue is full): try later. */
export class Busy extends Error {
  readonly status: 429 | 503;
  constructor(status: 429 | 503, message: string) { super(message); this.status = status; }
}

const isArchive = (u: Upload) => {
  if (u.bytes[0] !== 0x50 || u.bytes[1] !== 0x4b) return false;
  try { sniff(u.bytes); return false; } catch (e) { return /ZIP archive/.test((e as Error).message); }
};

/** Jobs in this process, newest last; one runs at a time (ingest uses every core). */
export class Jobs {
  private readonly store: Store;
  private readonly jobs = new Map<string, Job>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  /** Bytes held by unfinished jobs. */
  private held = 0;
  private readonly maxHeld: number;
  private readonly perUser: number;

  constructor(store: Store, opts: { maxHeld?: number; perUser?: number } = {}) {
    this.store = store;
    this.maxHeld = opts.maxHeld ?? DEFAULT_MAX_HELD;
    this.perUser = opts.perUser ?? DEFAULT_PER_USER;
  }

  get(id: string): Job | undefined { return this.jobs.get(id); }

  /** Set once the server is stopping: no new batch is taken. */
  private stopping = false;

  /** Batches not done yet (queued or running). */
  get unfinished(): number { return [...this.jobs.values()].filter((j) => j.phase !== 'done').length; }

  /** Take no new batch, and resolve when every batch taken so far is done (graceful shutdown). */
  async drain(): Promise<void> {
    this.stopping = true;
    // a job queued while an earlier one runs extends the chain: wait until it stops growing
    for (let chain = this.chain; ; chain = this.chain) {
      await chain;
      if (chain === this.chain) return;
    }
  }

  /** Bytes the unfinished jobs hold now. */
  get holding(): number { return this.held; }

  /**
   * Queue a batch. Archives are unpacked in a worker within the bytes the server can still hold;
   * `admit` says why a read report may not be stored (outside the user's region), or null.
   */
  async start(who: string, uploads: readonly Upload[], admit?: (r: Report) => string | null): Promise<Job> {
    if (this.stopping) throw new Busy(503, 'the server is stopping; send this batch again when it is back');
    const mine = [...this.jobs.values()].filter((j) => j.who === who && j.phase !== 'done').length;
    if (mine >= this.perUser) throw new Busy(429, `you have ${mine} batches still running; wait for one to finish`);
    const files: Upload[] = [];
    const failures: Job['failures'] = [];
    let bytes = 0;
    const room = () => this.maxHeld - this.held - bytes;
    for (const u of uploads) {
      if (room() <= 0) { failures.push({ name: u.name, reason: FULL, reasonZh: reasonZh('busy', FULL) }); continue; }
      if (!isArchive(u)) {
        if (u.bytes.length > room()) { failures.push({ name: u.name, reason: FULL, reasonZh: reasonZh('busy', FULL) }); continue; }
        files.push(u);
        bytes += u.bytes.length;
        continue;
      }
      const got = await unpackInWorker(u.name, u.bytes, { ...ARCHIVE_LIMITS, maxFile: MAX_INPUT_BYTES, maxTotal: room() }, 0);
      files.push(...got.files);
      failures.push(...got.failures.map((f) => ({ ...f, reasonZh: reasonZh('archive', f.reason) })));
      bytes += got.bytes;
    }
    if (files.length === 0 && room() <= 0) throw new Busy(503, `the server holds ${Math.round(this.held / 1048576)} MB of queued uploads; send these again later`);
    const id = `${Date.now().toString(36)}-${++this.seq}`;
    const job: Job = { id, who, started: new Date().toISOString(), phase: 'queued', total: files.length, done: 0, failures, summary: null };
    this.jobs.set(id, job);
    for (const [k, j] of this.jobs) if (this.jobs.size > 100 && j.phase === 'done') this.jobs.delete(k);
    this.held += bytes;
    // names are made unique per job: two files called 报告.pdf in two folders are two files
    const held = new Map(files.map((f, i) => [`upload:${id}/${i + 1}/${f.name}`, f.bytes]));
    const label = (path: string) => path.replace(/^upload:[^/]+\/\d+\//, '');
    this.chain = this.chain.then(async () => {
      job.phase = 'files';
      try {
        job.summary = await ingest(this.store, [...held.keys()], {
          threads: 2,
          load: async (path) => held.get(path)!,
          keepOriginals: true,
          ...(admit ? { admit } : {}),
          onProgress: (p) => { job.phase = p.phase; if (p.phase === 'files') job.done = p.done; },
          onError: (path, reason, code) => job.failures.push({ name: label(path), reason, reasonZh: reasonZh(code, reason) }),
        });
        if (job.summary.stopped) job.failures.push({ name: '（整批）(the whole batch)', reason: job.summary.stopped.message, reasonZh: `存储出错，已停止（${job.summary.stopped.message}）` });
      } catch (e) {
        job.failures.push({ name: '（整批）(the whole batch)', reason: (e as Error).message, reasonZh: `整批失败（${(e as Error).message}）` });
      }
      job.done = job.total;
      job.phase = 'done';
      held.clear();
      this.held -= bytes;
    });
    return job;
  }
}
