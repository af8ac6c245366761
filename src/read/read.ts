/**
 * One entry to every reader: sniff the bytes, pick the reader. Errors are ReadErrors whose
 * message says what the file is and why it cannot be read.
 */
import type { SourceDocument, SourceFormat } from '../types.ts';
import { readDoc } from './doc.ts';
import { readDocx } from './docx.ts';
import { readHtml } from './html.ts';
import type { PdfOptions } from './pdf.ts';
import { OleError } from './ole.ts';
import { sniff } from './sniff.ts';
import { readText, ReadError } from './text.ts';
import { readXls } from './xls.ts';
import { readXlsx } from './xlsx.ts';
import { tooLarge } from './limits.ts';

/** The size limit, for every caller of the library (the CLI checks it before reading the file). */
function bounded(input: Uint8Array | string): void {
  const why = tooLarge(typeof input === 'string' ? input.length * 2 : input.length);
  if (why) throw new ReadError('too-large', why);
}

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

const NAMES: Record<SourceFormat, string> = { text: 'text file', html: 'web page', docx: 'Word file (DOCX)', doc: 'Word 97-2003 file (DOC)', xlsx: 'Excel file (XLSX)', xls: 'Excel 97-2003 file (XLS)', pdf: 'PDF' };

/**
 * A structure a reader did not expect in a file of its format (a table index past its end, a
 * record cut short) is damage to the file: said as such, naming the format, never as a
 * JavaScript error. The reader's own words stay on the error's `cause`, for GONGKAI_DEBUG.
 */
function damaged(format: SourceFormat, e: unknown): ReadError {
  if (e instanceof ReadError) return e;
  if (e instanceof RangeError && /call stack/i.test(e.message)) return new ReadError('limit', `a ${NAMES[format]} nested too deep to read`);
  // a compound file's stream read when the reader asks for it: its damage is named (`the chain of Data loops`)
  if (e instanceof OleError) return new ReadError('corrupt', `a damaged ${NAMES[format]}: ${e.message}`);
  const err = new ReadError('corrupt', `a damaged ${NAMES[format]}: its structure could not be read`);
  (err as Error & { cause?: unknown }).cause = e;
  return err;
}

/** The reader for a sniffed format, or the reason there is none; its failures come out as ReadErrors. */
function syncReader(format: SourceFormat): SyncReader {
  const reader = SYNC[format];
  if (!reader) throw new ReadError('async-format', `a ${format.toUpperCase()} file: read it with readDocument (asynchronous)`);
  if (format === 'text') return reader;
  return (bytes, name) => {
    try {
      return reader(bytes, name);
    } catch (e) {
      throw damaged(format, e);
    }
  };
}

/** Read any supported format except PDF (which pdfjs reads asynchronously). */
export function readDocumentSync(input: Uint8Array | string, name = '<input>'): SourceDocument {
  bounded(input);
  if (typeof input === 'string') return readText(input, name);
  return syncReader(sniff(input))(input, name);
}

/**
 * Read a PDF. pdfjs (a tenth of a second to load) is loaded on the first PDF, not when gongkai
 * starts: a command given text, HTML or Word files never loads it.
 */
export async function readPdf(bytes: Uint8Array, name = '<input>', opts?: PdfOptions): Promise<SourceDocument> {
  return (await import('./pdf.ts')).readPdf(bytes, name, opts);
}

/** Read any supported format. The bytes are sniffed once. */
export async function readDocument(input: Uint8Array | string, name = '<input>', opts: ReadOptions = {}): Promise<SourceDocument> {
  bounded(input);
  if (typeof input === 'string') return readText(input, name);
  const format = sniff(input);
  if (format !== 'pdf') return syncReader(format)(input, name);
  try {
    return await readPdf(input, name, opts.pdf);
  } catch (e) {
    throw damaged('pdf', e);
  }
}
