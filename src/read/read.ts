/**
 * One entry to every reader: sniff the bytes, pick the reader. Errors are ReadErrors whose
 * message says what the file is and why it cannot be read.
 */
import type { SourceDocument, SourceFormat } from '../types.ts';
import { readDoc } from './doc.ts';
import { readDocx } from './docx.ts';
import { readHtml } from './html.ts';
import { readPdf, type PdfOptions } from './pdf.ts';
import { sniff } from './sniff.ts';
import { readText, ReadError } from './text.ts';
import { readXls } from './xls.ts';
import { readXlsx } from './xlsx.ts';

export interface ReadOptions {
  pdf?: PdfOptions;
}

type SyncReader = (bytes: Uint8Array, name: string) => SourceDocument;

const SYNC: Partial<Record<SourceFormat, SyncReader>> = {
  text: (bytes, name) => readText(bytes, name),
  html: readHtml,
  docx: readDocx,
  xlsx: readXlsx,
  xls: readXls,
  doc: readDoc,
};

/** The reader for a sniffed format, or the reason there is none. */
function syncReader(format: SourceFormat): SyncReader {
  const reader = SYNC[format];
  if (!reader) throw new ReadError('async-format', `a ${format.toUpperCase()} file: read it with readDocument (asynchronous)`);
  return reader;
}

/** Read any supported format except PDF (which pdfjs reads asynchronously). */
export function readDocumentSync(input: Uint8Array | string, name = '<input>'): SourceDocument {
  if (typeof input === 'string') return readText(input, name);
  return syncReader(sniff(input))(input, name);
}

/** Read any supported format. The bytes are sniffed once. */
export async function readDocument(input: Uint8Array | string, name = '<input>', opts: ReadOptions = {}): Promise<SourceDocument> {
  if (typeof input === 'string') return readText(input, name);
  const format = sniff(input);
  return format === 'pdf' ? readPdf(input, name, opts.pdf) : syncReader(format)(input, name);
}
