/**
 * Shared CLI plumbing: reading inputs (files or standard input), reporting per-file errors in
 * one line, and progress on a terminal.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ParseError } from '../extract/extract.ts';
import { ReadError } from '../read/text.ts';
import { UsageError } from './errors.ts';
export { EXIT_TEMPFAIL, fail, OutputError, UsageError, VERSION } from './errors.ts';
import type { ReadPool } from '../ingest/pool.ts';
import type { Report } from '../types.ts';
import { progressBar } from './progress.ts';


import { DEFAULT_TIMEOUT_MS, MAX_INPUT_BYTES, tooLarge } from '../read/limits.ts';

export { MAX_INPUT_BYTES };



const SYSTEM: Record<string, string> = {
  ENOENT: 'no such file', EACCES: 'permission denied', EPERM: 'permission denied', EISDIR: 'is a folder', ENOTDIR: 'a part of the path is a file, not a folder',
  EEXIST: 'already exists', ENOSPC: 'the disk is full', EDQUOT: 'the disk quota is used up', EROFS: 'read-only file system', EIO: 'an I/O error of the disk', EMFILE: 'too many open files',
};

/** A system error's code in words (`EACCES` → permission denied). */
export function systemReason(e: unknown): string {
  const code = (e as NodeJS.ErrnoException)?.code;
  return (code && SYSTEM[code]) ?? `cannot be read or written (${code ?? (e as Error)?.message ?? e})`;
}


export interface Input { name: string; base: string; bytes: Uint8Array }

function readStdin(): Uint8Array {
  return readFileSync(0);
}

/** Read one input; `-` is standard input. Throws ReadError with a readable reason. */
export function readInput(path: string): Input {
  if (path === '-') return { name: '<stdin>', base: 'stdin', bytes: readStdin() };
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ReadError('directory', 'is a directory');
    const big = tooLarge(st.size);
    if (big) throw new ReadError('too-large', big);
    return { name: path, base: basename(path).replace(/\.[^.]+$/, ''), bytes: readFileSync(path) };
  } catch (e) {
    if (e instanceof ReadError) throw e;
    throw new ReadError('io', systemReason(e));
  }
}

/** `--timeout SECONDS` (default 120): the per-file budget of parse, check and ingest. */
export function timeoutOption(values: Record<string, unknown>): number {
  if (values.timeout === undefined) return DEFAULT_TIMEOUT_MS;
  const s = Number(values.timeout);
  if (!(s > 0)) throw new UsageError(`--timeout takes seconds (got “${values.timeout}”)`);
  return s * 1000;
}

/**
 * Read one input in a worker with the per-file budget (a pathological file is stopped, not
 * waited for); its failure comes back as the ReadError with its reason.
 */
export async function readInWorker(pool: ReadPool, input: Input, partial: boolean): Promise<Report> {
  const r = await pool.run({ path: input.name, bytes: input.bytes, mode: 'parse', partial });
  if (r.error) throw new ReadError(r.error.code, r.error.message);
  return r.report!;
}

/** The one-line reason a file could not be read as a report; null for a bug. */
export function inputError(e: unknown): string | null {
  if (e instanceof ReadError || e instanceof ParseError) return e.message;
  return null;
}

/**
 * Progress for `parse` and `check`: the same bar as `ingest`, but only on a terminal and only for
 * batches worth it (their output is the findings; a log needs no progress lines).
 */
export function progress(total: number, label: string): (done: number, name: string) => void {
  if (!process.stderr.isTTY || total < 20) return () => {};
  const bar = progressBar(label);
  return (done, name) => {
    bar.update(done, total, name);
    if (done === total) bar.end();
  };
}
