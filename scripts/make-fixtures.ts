/**
 * Builds the native-format fixtures (test/fixtures/native) from the seed reports' text forms:
 * each seed is parsed, then written as a GBK or UTF-8 HTML page with the official merged
 * headers, a DOCX, an XLSX and a PDF. The tests read them back and compare the cells with
 * the text form's. Where LibreOffice is installed (`soffice`), the DOCX and XLSX files are also
 * saved as Word 97 `.doc` and Excel 97 `.xls` by it: binary files written by a real office
 * suite, not by us. Where chromium, poppler's pdftotext and pandoc are installed, the forms those
 * tools make (test/fixtures/tools) are made again too: a page printed to PDF by the browser,
 * layout text of that print and of the real PDFs, pandoc's Markdown of a page.
 * Run: node scripts/make-fixtures.ts
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from '../src/index.ts';
import { encodeGbk } from '../src/render/encode.ts';
import { reportDocx } from '../src/render/docx.ts';
import { reportHtml } from '../src/render/html.ts';
import { reportPdf } from '../src/render/pdf.ts';
import { reportXlsx } from '../src/render/xlsx.ts';
import { CHROMIUM } from './tool-forms.ts';

const DIR = new URL('../test/fixtures/', import.meta.url).pathname;
const OUT = join(DIR, 'native');

for (const file of readdirSync(DIR).filter((f) => /^seed\d{3}-.*\.txt$/.test(f)).sort()) {
  const base = file.replace(/-(pipes|tabs|cell-per-line|blank-lines|squashed)\.txt$/, '');
  const report = parse(readFileSync(join(DIR, file)), { name: file });
  // odd seeds as UTF-8 pages, even ones as GBK (what most government sites still serve)
  const gbk = Number(base.slice(4, 7)) % 2 === 0;
  writeFileSync(join(OUT, `${base}.html`), gbk ? encodeGbk(reportHtml(report, 'gbk')) : reportHtml(report));
  writeFileSync(join(OUT, `${base}.docx`), reportDocx(report));
  writeFileSync(join(OUT, `${base}.xlsx`), reportXlsx(report));
  writeFileSync(join(OUT, `${base}.pdf`), reportPdf(report));
  console.log(`${base}: html (${gbk ? 'gbk' : 'utf-8'}), docx, xlsx, pdf`);
}

try {
  const files = readdirSync(OUT).filter((f) => /\.(docx|xlsx)$/.test(f)).map((f) => join(OUT, f));
  execFileSync('soffice', ['--headless', '--convert-to', 'doc:MS Word 97', '--outdir', OUT, ...files.filter((f) => f.endsWith('.docx'))], { stdio: 'ignore' });
  execFileSync('soffice', ['--headless', '--convert-to', 'xls:MS Excel 97', '--outdir', OUT, ...files.filter((f) => f.endsWith('.xlsx'))], { stdio: 'ignore' });
  console.log('doc and xls: saved by LibreOffice');
} catch {
  console.log('doc and xls: LibreOffice (soffice) is not installed; the committed .doc and .xls files are kept');
}

// ------------------------------------------------------------------ forms made by tools
const TOOLS = join(DIR, 'tools');
const tool = (cmd: string, args: string[], what: string) => {
  try {
    execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'ignore'] });
    console.log(what);
  } catch {
    console.log(`${what}: ${cmd} is not installed (or failed); the committed file is kept`);
  }
};
const native = (f: string) => join(OUT, f);
const profile = mkdtempSync(join(tmpdir(), 'gongkai-chromium-'));
// the browser's own print: A4 with its running header (date, title) and footer (address, page/pages)
tool(CHROMIUM, ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', `--user-data-dir=${profile}`, `--print-to-pdf=${join(TOOLS, 'seed004-anshan-rsj-2020.browser.pdf')}`,
  native('seed004-anshan-rsj-2020.html')], 'tools: seed004 printed to PDF by chromium');
tool('pdftotext', ['-layout', '-enc', 'UTF-8', join(TOOLS, 'seed004-anshan-rsj-2020.browser.pdf'), join(TOOLS, 'seed004-anshan-rsj-2020.browser.layout.txt')], 'tools: its layout text');
for (const real of ['hongze-district-gov-2023', 'huaian-city-gov-2024']) {
  tool('pdftotext', ['-layout', '-enc', 'UTF-8', join(DIR, 'corpus', `${real}.pdf`), join(TOOLS, `${real}.layout.txt`)], `tools: ${real} layout text`);
}
// pandoc reads UTF-8 only: the UTF-8 pages (odd seeds)
for (const seed of ['seed001-wuzhong-mzj-2021', 'seed003-shuangyashan-swj-2020']) {
  tool('pandoc', ['-f', 'html', '-t', 'gfm', '-o', join(TOOLS, `${seed}.gfm.md`), native(`${seed}.html`)], `tools: ${seed} as pandoc gfm`);
}
