export { readText, decode, textToRows, ReadError } from './text.ts';
export { normalize, compact, rawIndex, type Normalized } from './normalize.ts';
export { readHtml, decodeHtml } from './html.ts';
export type { PdfOptions } from './pdf.ts';
export { sniff } from './sniff.ts';
export { readDocument, readDocumentSync, readPdf, type ReadOptions } from './read.ts';
