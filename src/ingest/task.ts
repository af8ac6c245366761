/**
 * An ingest task, run in a worker thread (loaded by `worker.ts`): bytes in, a checked report (or the reason there is
 * none) out. A slow or pathological file holds one worker, which the pool can stop.
 */
import { check } from '../check/engine.ts';
import type { Finding } from '../check/types.ts';
import { narrative, reportBands } from '../corpus/text.ts';
import { extract, ParseError } from '../extract/extract.ts';
import { readDocument } from '../read/read.ts';
import { parseAsync } from '../index.ts';
import { ReadError } from '../read/text.ts';
import type { Report, SourceDocument } from '../types.ts';

/**
 * One file to read. `parse`: only the reading (the caller checks it with its own configuration);
 * `review`: the reading and the document's text (the review page shows it beside the tables).
 */
export interface Job { path: string; bytes: Uint8Array; mode?: 'ingest' | 'parse' | 'review'; partial?: boolean }

export interface JobResult {
  format: string | null;
  report?: Report;
  findings?: Finding[];
  bands?: string[];
  error?: { code: string; message: string };
  /** `review`: the document's text, which positions index. */
  text?: string;
  /** `review`: the document as read, to extract again with a reviewer's picks. */
  doc?: SourceDocument;
}

export default async function run(job: Job): Promise<JobResult> {
  try {
    if (job.mode === 'review') {
      const doc = await readDocument(job.bytes, job.path);
      const report = extract(doc);
      return { format: doc.format, report, text: doc.text, doc };
    }
    const report = await parseAsync(job.bytes, { name: job.path, ...(job.partial ? { partial: true } : {}) });
    if (job.mode === 'parse') return { format: report.source.format, report };
    // a blank template (or a table with no title) names no body and no year: no report to store
    // (a scan has neither either, but it is a report to review: its finding says it cannot be read)
    if (report.meta.agency === null && report.meta.year === null && !report.notes.some((n) => n.code === 'no-text-layer')) {
      return { format: report.source.format, error: { code: 'not-a-report', message: 'not an annual report: no body and no year (a blank template?)' } };
    }
    return { format: report.source.format, report, findings: check(report), bands: reportBands(narrative(report)) };
  } catch (e) {
    if (e instanceof ReadError || e instanceof ParseError) return { format: null, error: { code: e.code, message: e.message } };
    // a bug of gongkai's on this file is no verdict about the file: not stored, read again next run
    return { format: null, error: { code: 'internal', message: `gongkai failed on it (please report: ${(e as Error)?.message ?? e})` } };
  }
}
