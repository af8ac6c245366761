/**
 * `gongkai ingest`: files and folders into the store, in parallel, resumable.
 */
import { resolve } from 'node:path';
import { ingest } from '../ingest/ingest.ts';
import { listFiles } from '../ingest/walk.ts';
import { EXIT_TEMPFAIL, timeoutOption, UsageError } from './io.ts';
import { progressBar } from './progress.ts';
import { DB_HELP, DB_OPTION, openStore } from './store.ts';

export const ingestCommand = {
  help: `Usage: gongkai ingest [options] PATH...

Read every report under the PATHs (files, and folders recursively) into the store:
parsed and checked in parallel, each file written in one transaction. The same bytes
from the same path are skipped, so an interrupted run (Ctrl-C, kill -9) resumes where
it stopped; a changed file is stored as a new version. A file that is not a readable
report is recorded with its reason and skipped. Afterwards the corpus rules
(carry-over, valid-continuity, duplicate-text, text-repetition) run for the new reports.

Options:
${DB_HELP}
      --threads <N>               worker threads (default: every core)
      --timeout <SECONDS>         per-file time budget (default 120)
  -q, --quiet                     no progress, only errors and the summary
  -h, --help                      show this help

Exit codes: 0 every file stored as a report; 1 some file was not a readable report;
2 usage error; 75 the store failed (locked, disk full, read-only, connection lost) or
some file could not be read this time (a worker stopped, the time budget): nothing
is recorded against those files, run it again; 130 interrupted (run it again to resume).

Examples:
  gongkai ingest reports/
  gongkai ingest --db postgres://gongkai@localhost/gongkai reports/2024 reports/2025
`,
  options: {
    ...DB_OPTION,
    threads: { type: 'string' as const },
    timeout: { type: 'string' as const },
    quiet: { type: 'boolean' as const, short: 'q' },
  },
  async run(values: Record<string, unknown>, paths: string[]): Promise<number> {
    if (paths.length === 0) throw new UsageError('ingest needs at least one file or folder; see `gongkai ingest --help`');
    const threads = values.threads === undefined ? undefined : Number(values.threads);
    if (threads !== undefined && !(Number.isInteger(threads) && threads > 0)) throw new UsageError(`--threads takes a positive whole number (got “${values.threads}”)`);
    const timeoutMs = timeoutOption(values);
    const store = await openStore(values);
    const quiet = values.quiet === true;
    const bar = progressBar('ingest');
    // the store records absolute paths (the web app finds the file again from any directory);
    // messages name the files as they were given
    const given = new Map<string, string>();
    const onError = (path: string, reason: string) => bar.log(`gongkai: ${given.get(path) ?? path}: ${reason}`);
    let missing = 0;
    const files = listFiles(paths, (p, r) => { missing++; onError(p, r); }).map((p) => {
      const abs = resolve(p);
      given.set(abs, p);
      return abs;
    });
    const stop = new AbortController();
    // the first signal finishes the files (or the round of corpus rules) in progress; a second one
    // stops at once — each file is one transaction, so even that loses nothing
    const onSignal = () => {
      if (stop.signal.aborted) { process.stderr.write('\ngongkai: stopped\n'); process.exit(130); }
      bar.log('gongkai: interrupted; finishing the work in progress (press again to stop at once; run the same command to resume)');
      stop.abort();
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    let phase = 'files';
    try {
      const s = await ingest(store, files, {
        ...(threads ? { threads } : {}), timeoutMs, signal: stop.signal, onError,
        onProgress: (p) => {
          if (quiet) return;
          if (p.phase !== phase) { bar.end(); phase = p.phase; if (p.phase === 'corpus') process.stderr.write(`ingest: checking ${p.total} reports across years and against each other…\n`); return; }
          if (p.phase === 'files') bar.update(p.done, p.total, `${p.errors} errors`);
        },
      });
      bar.end();
      const parts = [`${s.added} new`, `${s.unchanged} unchanged`];
      if (s.newPaths) parts.push(`${s.newPaths} known under another name`);
      parts.push(`${s.failed + missing} not readable`);
      if (s.retry) parts.push(`${s.retry} to read again next run`);
      process.stderr.write(`ingest: ${s.files} files into ${store.where}: ${parts.join(', ')}; ${s.corpusChecked} checked across the corpus${s.corpusChecked ? ` (${s.corpusSeconds.toFixed(1)} s)` : ''}; ${s.seconds.toFixed(1)} s${s.interrupted ? ' (interrupted)' : ''}\n`);
      if (s.stopped) { process.stderr.write(`gongkai: stopped: ${s.stopped.message}\n`); return EXIT_TEMPFAIL; }
      if (s.interrupted) return 130;
      if (s.retry > 0) return EXIT_TEMPFAIL;
      return s.failed + missing > 0 ? 1 : 0;
    } finally {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
      await store.close();
    }
  },
};
