/**
 * Forms made by the tools people run on reports, for the accuracy run: a synthetic report's
 * web page printed to PDF by a browser (Debian's chromium), that PDF and our own PDF turned to
 * text by poppler's `pdftotext -layout`, and the web page turned to Markdown by pandoc
 * (`pandoc -f html -t gfm`). They need those programs; a form whose program is missing is
 * skipped, and the accuracy run says so. Development tooling (here, not under src/): nothing of
 * gongkai's reading depends on these programs.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reportHtml } from '../src/render/html.ts';
import { reportPdf } from '../src/render/pdf.ts';
import type { ExtraForm } from '../src/synth/accuracy.ts';
import type { Report } from '../src/types.ts';

export const TOOL_FORMS = ['browser-pdf', 'browser-pdf-layout', 'pdf-layout', 'pandoc-gfm'] as const;
export type ToolForm = (typeof TOOL_FORMS)[number];

export const TOOL_FORM_EXT: Record<ToolForm, string> = {
  'browser-pdf': 'browser.pdf', 'browser-pdf-layout': 'browser.layout.txt', 'pdf-layout': 'layout.txt', 'pandoc-gfm': 'gfm.md',
};

/** Where Debian puts chromium; GONGKAI_CHROMIUM overrides. */
export const CHROMIUM = process.env.GONGKAI_CHROMIUM ?? '/usr/bin/chromium';

const onPath = (cmd: string) => spawnSync(cmd, ['-v'], { stdio: 'ignore' }).error === undefined;

/** Why a tool form cannot be made here, or null when it can. */
export function missingTool(form: ToolForm): string | null {
  const needs: string[] = [];
  if (form.startsWith('browser') && !existsSync(CHROMIUM)) needs.push(`chromium (${CHROMIUM})`);
  if (form.endsWith('layout') && !onPath('pdftotext')) needs.push('pdftotext (poppler-utils)');
  if (form === 'pandoc-gfm' && !onPath('pandoc')) needs.push('pandoc');
  return needs.length ? `needs ${needs.join(' and ')}` : null;
}

function run(cmd: string, args: string[], input?: string | Uint8Array): Uint8Array {
  const r = spawnSync(cmd, args, { input, maxBuffer: 64 << 20, timeout: 60_000 });
  if (r.error || r.status !== 0) throw new Error(`${cmd} failed: ${r.error?.message ?? r.stderr.toString().trim().slice(0, 200)}`);
  return r.stdout;
}

function layoutText(pdf: Uint8Array): Uint8Array {
  const dir = mkdtempSync(join(tmpdir(), 'gongkai-layout-'));
  try {
    const file = join(dir, 'r.pdf');
    writeFileSync(file, pdf);
    return run('pdftotext', ['-layout', '-enc', 'UTF-8', file, '-']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * A browser that prints pages to PDF: one headless chromium for the whole run (a process per
 * page would take a second each), driven through playwright-core (a development dependency).
 */
export class Printer {
  private browser: { newPage(): Promise<{ setContent(h: string): Promise<void>; pdf(o: object): Promise<Uint8Array>; close(): Promise<void> }>; close(): Promise<void> } | undefined;

  async print(html: string): Promise<Uint8Array> {
    if (!this.browser) {
      const { chromium } = await import('playwright-core');
      this.browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
      }) as unknown as Printer['browser'];
    }
    const page = await this.browser!.newPage();
    try {
      await page.setContent(html);
      // the print a person makes: A4, the browser's own running header and footer (date, title, page)
      return await page.pdf({ format: 'A4', displayHeaderFooter: true, margin: { top: '2cm', bottom: '2cm', left: '1.5cm', right: '1.5cm' } });
    } finally {
      await page.close();
    }
  }

  async close(): Promise<void> {
    await this.browser?.close();
    this.browser = undefined;
  }
}

/** Write a report in a tool form. */
export async function writeToolForm(report: Report, form: ToolForm, printer: Printer): Promise<Uint8Array> {
  switch (form) {
    case 'browser-pdf': return printer.print(reportHtml(report));
    case 'browser-pdf-layout': return layoutText(await printer.print(reportHtml(report)));
    case 'pdf-layout': return layoutText(reportPdf(report));
    case 'pandoc-gfm': return run('pandoc', ['-f', 'html', '-t', 'gfm'], reportHtml(report));
  }
}

/**
 * The tool forms for measureAccuracy: those whose programs are here, and the others with why
 * not. Call `close()` when done (it stops the browser).
 */
export function toolForms(): { forms: ExtraForm[]; skipped: Array<{ form: string; why: string }>; close: () => Promise<void> } {
  const printer = new Printer();
  const forms: ExtraForm[] = [];
  const skipped: Array<{ form: string; why: string }> = [];
  for (const form of TOOL_FORMS) {
    const why = missingTool(form);
    if (why) skipped.push({ form, why });
    else forms.push({ form, write: (r: Report) => writeToolForm(r, form, printer) });
  }
  return { forms, skipped, close: () => printer.close() };
}
