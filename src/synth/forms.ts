/**
 * A synthetic report written in each form the readers take: the four text flattenings, HTML
 * (UTF-8 and GBK, official merged headers), DOCX, XLSX and PDF.
 */
import { encodeGbk } from '../render/encode.ts';
import { reportDocx } from '../render/docx.ts';
import { reportHtml } from '../render/html.ts';
import { reportPdf } from '../render/pdf.ts';
import { reportText, type TextForm } from '../render/text.ts';
import { reportXlsx } from '../render/xlsx.ts';
import type { Report } from '../types.ts';
import { mangle, MANGLES, type Mangle } from './mangle.ts';

/** The clean forms our own writers make. */
export const CLEAN_FORMS = ['pipes', 'tabs', 'cell-per-line', 'squashed', 'html', 'html-gbk', 'docx', 'xlsx', 'pdf'] as const;
/** Every form: the clean ones, then the mangled ones (`mangle.ts`) modelled on real documents. */
export const FORMS = [...CLEAN_FORMS, ...MANGLES] as const;
export type Form = (typeof FORMS)[number];

export const FORM_EXT: Record<Form, string> = {
  pipes: 'pipes.txt', tabs: 'tabs.txt', 'cell-per-line': 'cells-per-line.txt', squashed: 'squashed.txt',
  html: 'html', 'html-gbk': 'gbk.html', docx: 'docx', xlsx: 'xlsx', pdf: 'pdf',
  'one-line': 'one-line.txt', 'converter-md': 'md', 'page-breaks': 'page-breaks.txt', 'ocr-labels': 'ocr.txt', 'orphan-rows': 'orphan.txt',
  'split-labels': 'split-labels.txt', 'ocr-digits': 'ocr-digits.txt',
};

export function writeForm(report: Report, form: Form): Uint8Array {
  if ((MANGLES as readonly string[]).includes(form)) return new TextEncoder().encode(mangle(report, form as Mangle));
  switch (form) {
    case 'html': return new TextEncoder().encode(reportHtml(report));
    case 'html-gbk': return encodeGbk(reportHtml(report, 'gbk'));
    case 'docx': return reportDocx(report);
    case 'xlsx': return reportXlsx(report);
    case 'pdf': return reportPdf(report);
    default: return new TextEncoder().encode(reportText(report, form as TextForm));
  }
}
