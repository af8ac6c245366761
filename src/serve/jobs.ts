/**
 * Batch uploads: many files or ZIP archives, ingested in the background with the CLI's own
 * ingest (workers, one transaction a file); the page polls the job for progress and failures.
 * Uploads stay in memory and are named by the server: no name from a request reaches the file
 * system.
 */
import { unzipSync } from 'fflate';
import { ingest, type IngestSummary } from '../ingest/ingest.ts';
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
  failures: Array<{ name: string; reason: string }>;
  summary: IngestSummary | null;
}

/** Archive limits: a ZIP is unpacked only within these (a zip bomb costs at most maxTotal). */
export const ARCHIVE_LIMITS = { maxEntries: 5000, maxTotal: 1024 << 20 };

const isArchive = (u: Upload) => {
  if (u.bytes[0] !== 0x50 || u.bytes[1] !== 0x4b) return false;
  try { sniff(u.bytes); return false; } catch (e) { return /ZIP archive/.test((e as Error).message); }
};

/** Files of an upload: an archive's entries (folders, dot-files and __MACOSX left out), or the file itself. */
export function unpack(uploads: readonly Upload[]): { files: Upload[]; failures: Job['failures'] } {
  const files: Upload[] = [];
  const failures: Job['failures'] = [];
  let total = 0;
  for (const u of uploads) {
    if (!isArchive(u)) { files.push(u); continue; }
    try {
      let entries = 0;
      const got = unzipSync(u.bytes, {
        filter(f) {
          if (f.name.endsWith('/') || /(^|\/)(__MACOSX|\.)/.test(f.name)) return false;
          if (++entries > ARCHIVE_LIMITS.maxEntries) throw new Error(`more than ${ARCHIVE_LIMITS.maxEntries} files in the archive`);
          if (f.originalSize > MAX_INPUT_BYTES) { failures.push({ name: `${u.name}/${f.name}`, reason: `inflates to ${Math.round(f.originalSize / 1048576)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB` }); return false; }
          total += f.originalSize;
          if (total > ARCHIVE_LIMITS.maxTotal) throw new Error(`the archives inflate to more than ${ARCHIVE_LIMITS.maxTotal >> 20} MB (a zip bomb?)`);
          return true;
        },
      });
      for (const [name, bytes] of Object.entries(got)) files.push({ name: `${u.name}/${name}`, bytes });
    } catch (e) {
      failures.push({ name: u.name, reason: `not a readable ZIP archive: ${(e as Error).message}` });
    }
  }
  return { files, failures };
}

/** Jobs in this process, newest last; one runs at a time (ingest uses every core). */
export class Jobs {
  private readonly store: Store;
  private readonly jobs = new Map<string, Job>();
  private chain: Promise<void> = Promise.resolve();
  private seq = 0;
  constructor(store: Store) { this.store = store; }

  get(id: string): Job | undefined { return this.jobs.get(id); }

  start(who: string, uploads: readonly Upload[]): Job {
    const { files, failures } = unpack(uploads);
    const id = `${Date.now().toString(36)}-${++this.seq}`;
    const job: Job = { id, who, started: new Date().toISOString(), phase: 'queued', total: files.length, done: 0, failures, summary: null };
    this.jobs.set(id, job);
    if (this.jobs.size > 100) this.jobs.delete(this.jobs.keys().next().value!);
    // names are made unique per job: two files called 报告.pdf in two folders are two files
    const held = new Map(files.map((f, i) => [`upload:${id}/${i + 1}/${f.name}`, f.bytes]));
    this.chain = this.chain.then(async () => {
      job.phase = 'files';
      try {
        job.summary = await ingest(this.store, [...held.keys()], {
          threads: 2,
          load: async (path) => held.get(path)!,
          keepOriginals: true,
          onProgress: (p) => { job.phase = p.phase; if (p.phase === 'files') job.done = p.done; },
          onError: (path, reason) => job.failures.push({ name: path.replace(/^upload:[^/]+\/\d+\//, ''), reason }),
        });
      } catch (e) {
        job.failures.push({ name: '(the whole batch)', reason: (e as Error).message });
      }
      job.done = job.total;
      job.phase = 'done';
      held.clear();
    });
    return job;
  }
}
