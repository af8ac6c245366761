/**
 * gongkai — read China's government information disclosure annual reports into exact data.
 *
 * The core (this module and everything it imports) uses no Node-only API: it runs in the
 * browser as well.
 */
import { extract, prepare } from './extract/extract.ts';
import { readDocument, readDocumentSync, type ReadOptions } from './read/read.ts';
import type { Report } from './types.ts';

export interface ParseOptions extends ReadOptions {
  /** A name for the source (file name), used in the report and in errors. */
  name?: string;
  /** Read a fragment cut off inside table 三 instead of refusing it (a `truncated` note says so). */
  partial?: boolean;
}

/**
 * Parse a report from bytes in any format but PDF (text in any encoding, HTML, Word, Excel),
 * or from a string. Throws ReadError / ParseError.
 */
export function parse(input: Uint8Array | string, opts: ParseOptions = {}): Report {
  // (what reading needs once, the gazetteer, is built before the first report's bytes are read: `prepare`)
  prepare();
  return extract(readDocumentSync(input, opts.name ?? '<input>'), { partial: opts.partial ?? false });
}

/** Parse a report from bytes in any supported format, PDF included. */
export async function parseAsync(input: Uint8Array | string, opts: ParseOptions = {}): Promise<Report> {
  prepare();
  return extract(await readDocument(input, opts.name ?? '<input>', opts), { partial: opts.partial ?? false });
}

export { extract, ParseError } from './extract/extract.ts';
export { readText, ReadError } from './read/text.ts';
export { readDocument, readDocumentSync, sniff } from './read/index.ts';
export { toCells, formatCells } from './format/cells.ts';
export { formatText } from './format/text.ts';
export * from './types.ts';
export * as schema from './schema/index.ts';
export * as solve from './solve/index.ts';
