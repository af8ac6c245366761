/**
 * Reading files in worker threads with a time budget per file, for every caller that reads a
 * file it was given: `ingest`, `parse`, `check` and the web app's uploads. A file that takes
 * longer than the budget holds one worker, which is stopped; the event loop of the caller (the
 * web server's included) never runs a reader. The pool starts on the first file.
 */
import { Piscina } from 'piscina';
import type { Job, JobResult } from './worker.ts';
import { DEFAULT_TIMEOUT_MS } from '../read/limits.ts';

const WORKER = new URL(import.meta.url.endsWith('.ts') ? './worker.ts' : './worker.js', import.meta.url);

export { DEFAULT_TIMEOUT_MS };

export class ReadPool {
  private pool: Piscina<Job, JobResult> | undefined;
  private readonly threads: number;
  readonly timeoutMs: number;

  constructor(opts: { threads?: number; timeoutMs?: number } = {}) {
    this.threads = Math.max(1, opts.threads ?? 1);
    this.timeoutMs = opts.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  }

  /**
   * Read (and for ingest, check) one file in a worker. Past the budget the worker is stopped and
   * the result is the error `timeout`; a worker that dies gives `internal`. Neither is a verdict
   * about the file.
   */
  async run(job: Job): Promise<JobResult> {
    this.pool ??= new Piscina<Job, JobResult>({ filename: WORKER.href, minThreads: this.threads, maxThreads: this.threads, idleTimeout: 1000 });
    const abort = new AbortController();
    const timer = setTimeout(() => abort.abort(), this.timeoutMs);
    try {
      return await this.pool.run(job, { signal: abort.signal });
    } catch (e) {
      return {
        format: null,
        error: abort.signal.aborted
          ? { code: 'timeout', message: `took longer than ${this.timeoutMs / 1000} s; stopped` }
          : { code: 'internal', message: `the worker reading it stopped (${(e as Error).message})` },
      };
    } finally {
      clearTimeout(timer);
    }
  }

  async destroy(): Promise<void> {
    await this.pool?.destroy();
    this.pool = undefined;
  }
}
