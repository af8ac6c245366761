/**
 * Shared CLI plumbing: reading inputs (files or standard input), reporting per-file errors in
 * one line, and progress on a terminal.
 */
import { readFileSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { ParseError } from '../extract/extract.ts';
import { ReadError } from '../read/text.ts';
import { progressBar } from './progress.ts';

export const VERSION = '0.1.0';

import { MAX_INPUT_BYTES } from '../read/limits.ts';

export { MAX_INPUT_BYTES };

export class UsageError extends Error {}

/** Print an unexpected error as one line (no stack unless GONGKAI_DEBUG) and return exit 2. */
export function fail(e: unknown): number {
  if (e instanceof UsageError) {
    process.stderr.write(`gongkai: ${e.message}\n`);
    return 2;
  }
  process.stderr.write(`gongkai: internal error: ${(e as Error)?.message ?? String(e)}\n`);
  if (process.env.GONGKAI_DEBUG) process.stderr.write(`${(e as Error)?.stack}\n`);
  return 2;
}

export interface Input { name: string; base: string; bytes: Uint8Array }

function readStdin(): Uint8Array {
  return readFileSync(0);
}

/** Read one input; `-` is standard input. Throws ReadError with a readable reason. */
export function readInput(path: string): Input {
  if (path === '-') return { name: '<stdin>', base: 'stdin', bytes: readStdin() };
  let size: number;
  try {
    const st = statSync(path);
    if (st.isDirectory()) throw new ReadError('directory', 'is a directory');
    size = st.size;
  } catch (e) {
    if (e instanceof ReadError) throw e;
    const code = (e as NodeJS.ErrnoException).code;
    throw new ReadError('io', code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : `cannot read (${code ?? 'error'})`);
  }
  if (size > MAX_INPUT_BYTES) throw new ReadError('too-large', `file is ${Math.round(size / 1048576)} MB; the limit is ${MAX_INPUT_BYTES / 1048576} MB`);
  return { name: path, base: basename(path).replace(/\.[^.]+$/, ''), bytes: readFileSync(path) };
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
