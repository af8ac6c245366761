/**
 * What a file is, from its bytes. The name is never trusted: government sites serve .doc files
 * that are HTML, .xls files that are XLSX, and PDFs named .html.
 */
import type { SourceFormat } from '../types.ts';
import { readOle, type Ole } from './ole.ts';
import { ReadError, libraryReason } from './text.ts';
import { zipEntries } from './zip.ts';

const starts = (b: Uint8Array, sig: number[], at = 0) => sig.every((x, i) => b[at + i] === x);

const PDF = [0x25, 0x50, 0x44, 0x46, 0x2d];
const ZIP = [0x50, 0x4b, 0x03, 0x04];
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

const REFUSED: Array<[number[], string]> = [
  [[0x89, 0x50, 0x4e, 0x47], 'a PNG image: scanned pages need OCR, which this version does not do'],
  [[0xff, 0xd8, 0xff], 'a JPEG image: scanned pages need OCR, which this version does not do'],
  [[0x49, 0x49, 0x2a, 0x00], 'a TIFF image: scanned pages need OCR, which this version does not do'],
  [[0x1f, 0x8b], 'a gzip archive; unpack it first'],
  [[0x52, 0x61, 0x72, 0x21], 'a RAR archive; unpack it first'],
  [[0x37, 0x7a, 0xbc, 0xaf], 'a 7z archive; unpack it first'],
  [[0x7b, 0x5c, 0x72, 0x74, 0x66], 'an RTF file, which this version does not read; save it as DOCX'],
];

/** The HTML signs looked for at the start of a text file (after a BOM and whitespace). */
const HTML_HEAD = /^(?:\ufeff)?\s*(?:<\?xml[^>]*>\s*)?(?:<!--[\s\S]*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title|table|div|p|span|style|script|link|base|center|font)\b/i;

/** Sniff the format of a file. Throws ReadError for formats gongkai does not read. */
export function sniff(bytes: Uint8Array): SourceFormat {
  if (bytes.length === 0) throw new ReadError('empty', 'empty file');
  // a PDF may have junk before its header (the spec allows 1 kB)
  const pdfAt = findPdfHeader(bytes);
  if (pdfAt >= 0) return 'pdf';
  if (starts(bytes, ZIP)) {
    const names = zipEntries(bytes);
    if (names.has('word/document.xml')) return 'docx';
    if (names.has('xl/workbook.xml')) return 'xlsx';
    if (names.has('OFD.xml')) throw new ReadError('unsupported-format', 'an OFD document, which this version does not read; export it as PDF');
    if (names.has('content.xml')) throw new ReadError('unsupported-format', 'an OpenDocument file, which this version does not read; save it as DOCX or XLSX');
    throw new ReadError('unsupported-format', 'a ZIP archive that is neither DOCX nor XLSX; unpack it first');
  }
  if (starts(bytes, OLE)) {
    let ole: Ole;
    try {
      ole = readOle(bytes);
    } catch (e) {
      throw new ReadError('corrupt', `a damaged Office binary file (${libraryReason(e)})`);
    }
    const streams = ole.names;
    if (streams.includes('WordDocument')) return 'doc';
    if (streams.includes('Workbook') || streams.includes('Book')) return 'xls';
    if (streams.includes('EncryptedPackage')) throw new ReadError('encrypted', 'a password-protected Office file');
    // a tree that does not reach them may hide them: that, not the kind of file, is what is known
    if (ole.damage) throw new ReadError('corrupt', `a damaged Office binary file (${ole.damage})`);
    throw new ReadError('unsupported-format', 'an Office binary file that is neither Word nor Excel');
  }
  for (const [sig, what] of REFUSED) if (starts(bytes, sig)) throw new ReadError('unsupported-format', what);
  // HTML_HEAD matches only where the first byte after whitespace is `<` (no byte decodes to U+FEFF
  // here): any other text is not decoded for it
  const utf16 = bytes[0] === 0xff && bytes[1] === 0xfe;
  if (!utf16 && bytes[firstNonSpace(bytes)] !== 0x3c) return 'text';
  const head = LATIN1.decode(bytes.subarray(0, 2048));
  if (utf16 && /<\x00h\x00t\x00m\x00l/i.test(head)) return 'html';
  if (HTML_HEAD.test(head) && !markdownWithTags(bytes, head)) return 'html';
  return 'text';
}

// made once: a decoder keeps no state between whole calls
const LATIN1 = new TextDecoder('latin1');

/** The index of the first byte that is not whitespace to HTML_HEAD (\s of the bytes as decoded: ASCII's and U+00A0). */
function firstNonSpace(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    if (b === 0x20 || (b >= 0x09 && b <= 0x0d) || b === 0xa0) i++;
    else break;
  }
  return i;
}

/** Markdown's own marks: a pipe table's rule line, or a `#` heading, at the start of a line. */
const MARKDOWN = /^(?:\|?\s*:?-{3,}:?\s*\|[-|:\s]*|#{1,6} \S.*)$/m;
/** HTML that only Markdown would leave out: table cells, paragraphs, line breaks. */
const HTML_BODY = /<(?:td|th|tr|p|br|li)\b/i;

/**
 * Markdown that holds a few HTML tags (pandoc's `gfm` keeps a page's `<div>` wrappers as raw
 * HTML): read as text, or its tables and headings would be flattened as HTML. Looked for in
 * the first 256 kB.
 */
function markdownWithTags(bytes: Uint8Array, head: string): boolean {
  // (a page's cell or paragraph in the head decoded already settles it, without decoding the rest)
  if (HTML_BODY.test(head)) return false;
  const text = LATIN1.decode(bytes.subarray(0, 256 * 1024));
  // a page's table cells or paragraphs come early; Markdown's marks are looked for through the whole text
  return !HTML_BODY.test(text) && MARKDOWN.test(text);
}

function findPdfHeader(bytes: Uint8Array): number {
  const end = Math.min(bytes.length - PDF.length, 1024);
  for (let i = 0; i <= end; i++) if (bytes[i] === 0x25 && starts(bytes, PDF, i)) return i;
  return -1;
}
