/**
 * A synthetic report written in each form the readers take: the four text flattenings, HTML
 * (UTF-8 and GBK, official merged headers), DOCX, XLSX and PDF.
 */
import { encodeGbk } from '../render/encode.ts';
import { reportDocx } from '../render/docx.ts';
import { reportHtml } from '../render/html.ts';
import { reportPdf } from '../render/pdf.ts';
import { reportText } from '../render/text.ts';
import { reportXlsx } from '../render/xlsx.ts';
import type { Report } from '../types.ts';

export const FORMS = ['pipes', 'tabs', 'cell-per-line', 'squashed', 'html', 'html-gbk', 'docx', 'xlsx', 'pdf'] as const;
export type Form = (typeof FORMS)[number];

export const FORM_EXT: Record<Form, string> = {
  pipes: 'pipes.txt', tabs: 'tabs.txt', 'cell-per-line': 'cells-per-line.txt', squashed: 'squashed.txt',
  html: 'html', 'html-gbk': 'gbk.html', docx: 'docx', xlsx: 'xlsx', pdf: 'pdf',
};

export function writeForm(report: Report, form: Form): Uint8Array {
  switch (form) {
    case 'html': return new TextEncoder().encode(reportHtml(report));
    case 'html-gbk': return encodeGbk(reportHtml(report, 'gbk'));
    case 'docx': return reportDocx(report);
    case 'xlsx': return reportXlsx(report);
    case 'pdf': return reportPdf(report);
    default: return new TextEncoder().encode(reportText(report, form));
  }
}
