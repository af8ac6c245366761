/**
 * An ingest task, run in a worker thread: bytes in, a checked report (or the reason there is
 * none) out. A slow or pathological file holds one worker, which the pool can stop.
 */
import { check } from '../check/engine.ts';
import type { Finding } from '../check/types.ts';
import { narrative, reportBands } from '../corpus/text.ts';
import { ParseError } from '../extract/extract.ts';
import { parseAsync } from '../index.ts';
import { ReadError } from '../read/text.ts';
import type { Report } from '../types.ts';

/** One file to read. `parse`: only the reading (the caller checks it with its own configuration). */
export interface Job { path: string; bytes: Uint8Array; mode?: 'ingest' | 'parse'; partial?: boolean }

export interface JobResult {
  format: string | null;
  report?: Report;
  findings?: Finding[];
  bands?: string[];
  error?: { code: string; message: string };
}

export default async function run(job: Job): Promise<JobResult> {
  try {
    const report = await parseAsync(job.bytes, { name: job.path, ...(job.partial ? { partial: true } : {}) });
    if (job.mode === 'parse') return { format: report.source.format, report };
    return { format: report.source.format, report, findings: check(report), bands: reportBands(narrative(report)) };
  } catch (e) {
    if (e instanceof ReadError || e instanceof ParseError) return { format: null, error: { code: e.code, message: e.message } };
    // a bug of gongkai's on this file is no verdict about the file: not stored, read again next run
    return { format: null, error: { code: 'internal', message: `gongkai failed on it (please report: ${(e as Error)?.message ?? e})` } };
  }
}
