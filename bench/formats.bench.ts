/**
 * Throughput per native format, beside that format's floor: the third-party parser alone on
 * the same files (parse5 for HTML; unzip + SAX walk for DOCX/XLSX; pdfjs text extraction for
 * PDF; the compound-file container read by cfb, with every stream extracted, for DOC/XLS). gongkai's figure is the whole job: read into the document model, extract, check.
 * Run: npm run bench (after parse.bench.ts), or node bench/formats.bench.ts [seconds] [formats, e.g. html,xlsx]
 */
import { readdirSync, readFileSync } from 'node:fs';
import CFB from 'cfb';
import { unzipSync, strFromU8 } from 'fflate';
import { parse as parse5 } from 'parse5';
import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { SaxesParser } from 'saxes';
import { check } from '../src/check/engine.ts';
import { extract } from '../src/extract/extract.ts';
import { decodeHtml } from '../src/read/html.ts';
import { readDocument } from '../src/read/read.ts';
import { mendPdfjs } from '../src/read/pdfjs-fixes.ts';
import { interleaved } from './interleave.ts';

// pdfjs as gongkai runs it (src/read/pdfjs-fixes.ts), for the floor too: the first document read
// in this process loads pdfjs's worker module, and the floor's comes first
mendPdfjs();

const DIR = new URL('../test/fixtures/native/', import.meta.url);
const seconds = Number(process.argv[2] ?? 3);
const files = readdirSync(DIR).map((f) => ({ name: f, ext: f.split('.').pop()!, bytes: new Uint8Array(readFileSync(new URL(f, DIR))) }));

function sax(xml: string): void {
  const p = new SaxesParser();
  let n = 0;
  p.on('opentag', () => { n++; });
  p.write(xml).close();
}

const FLOORS: Record<string, (b: Uint8Array) => Promise<unknown> | unknown> = {
  html: (b) => parse5(decodeHtml(b).text, { sourceCodeLocationInfo: true }),
  docx: (b) => sax(strFromU8(unzipSync(b, { filter: (f) => f.name === 'word/document.xml' })['word/document.xml']!)),
  xlsx: (b) => { for (const d of Object.values(unzipSync(b, { filter: (f) => f.name.startsWith('xl/') }))) sax(strFromU8(d)); },
  doc: (b) => CFB.read(Buffer.from(b), { type: 'buffer' }).FileIndex.map((e) => e.content?.length ?? 0),
  xls: (b) => CFB.read(Buffer.from(b), { type: 'buffer' }).FileIndex.map((e) => e.content?.length ?? 0),
  pdf: async (b) => {
    const task = getDocument({ data: new Uint8Array(b), cMapUrl: new URL('../node_modules/pdfjs-dist/cmaps/', import.meta.url).pathname, cMapPacked: true, verbosity: 0 });
    const pdf = await task.promise;
    for (let p = 1; p <= pdf.numPages; p++) await (await pdf.getPage(p)).getTextContent();
    await task.destroy();
  },
};

console.log(`native formats: the ${files.filter((f) => f.ext === 'html').length} seeds in each format; per format, the floor, gongkai's reader and the whole job run in turn, pass by pass, for ${seconds} s (bench/interleave.ts)\n`);
console.log(`${'format'.padEnd(8)}${'floor (parser alone)'.padStart(24)}${'gongkai read'.padStart(16)}${'ratio'.padStart(8)}${'read+extract+check'.padStart(22)}${'ratio'.padStart(8)}`);
let peak = 0;
for (const ext of (process.argv[3]?.split(',') ?? ['html', 'docx', 'doc', 'xlsx', 'xls', 'pdf'])) {
  const list = files.filter((f) => f.ext === ext);
  const each = (fn: (b: Uint8Array) => Promise<unknown> | unknown) => async () => { for (const f of list) await fn(f.bytes); };
  const [floor, read, full] = await interleaved([
    { label: 'floor', pass: each(FLOORS[ext]!) },
    { label: 'read', pass: each((b) => readDocument(b, 'x')) },
    { label: 'full', pass: each(async (b) => check(extract(await readDocument(b, 'x'), { partial: true }))) },
  ], { seconds });
  peak = Math.max(peak, process.memoryUsage().rss);
  const n = (t: { median: number }) => `${((1000 * list.length) / t.median).toFixed(0)} files/s`;
  console.log(`${ext.padEnd(8)}${n(floor!).padStart(24)}${n(read!).padStart(16)}${`${read!.ratio.toFixed(2)}×`.padStart(8)}${n(full!).padStart(22)}${`${full!.ratio.toFixed(2)}×`.padStart(8)}`);
}
console.log(`\nratios are medians of each round's own ratio to the floor's pass of that round. The reader's ratio is the format's cost; the rest is extracting and checking a report, the same for every format.\ntarget: within 2× of the floor. peak RSS ${(peak / 1048576).toFixed(0)} MB`);
