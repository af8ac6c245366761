/**
 * A report as an HTML page in the official layout (merged headers as rowspan/colspan). Every
 * string is escaped: report text is hostile input.
 */
import type { Report } from '../types.ts';
import { reportBlocks } from './document.ts';
import type { LayoutTable } from './layout.ts';

/**
 * Characters XML 1.0 forbids (C0 controls but tab, LF and CR; U+FFFE, U+FFFF; lone surrogates):
 * Word's U+000B line break and a page's stray U+0001 would make a DOCX that Word refuses to open.
 * A vertical tab or form feed becomes a line break, the rest is dropped.
 */
// eslint-disable-next-line no-control-regex
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/** Escape text for HTML or XML (the DOCX and XLSX writers use it too); characters XML forbids are mapped or dropped. */
export function escapeHtml(s: string): string {
  return s.replace(XML_FORBIDDEN, (c) => (c === '\u000b' || c === '\u000c' ? '\n' : ''))
    .replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as Record<string, string>)[c]};`);
}

export function tableHtml(t: LayoutTable): string {
  const rows: string[][] = Array.from({ length: t.rows }, () => []);
  for (const c of [...t.cells].sort((a, b) => a.r - b.r || a.c - b.c)) {
    const span = `${c.rowSpan > 1 ? ` rowspan="${c.rowSpan}"` : ''}${c.colSpan > 1 ? ` colspan="${c.colSpan}"` : ''}`;
    const tag = c.header ? 'th' : 'td';
    rows[c.r]!.push(`<${tag}${span}${c.key ? ` data-key="${escapeHtml(c.key)}"` : ''}>${escapeHtml(c.text) || '&nbsp;'}</${tag}>`);
  }
  return `<table border="1" cellspacing="0" data-table="${t.id}">\n${rows.map((r) => `<tr>${r.join('')}</tr>`).join('\n')}\n</table>`;
}

/** The page as a string; `charset` is what the meta tag declares (encode the bytes to match). */
export function reportHtml(report: Report, charset = 'utf-8'): string {
  const body = reportBlocks(report).map((b) => {
    switch (b.kind) {
      case 'title': return `<h1>${escapeHtml(b.text)}</h1>`;
      case 'heading': return `<h2>${escapeHtml(b.text)}</h2>`;
      case 'para': return `<p>${escapeHtml(b.text)}</p>`;
      case 'table': return tableHtml(b.table);
    }
  });
  const title = escapeHtml(report.meta.title ?? report.source.name);
  return `<!DOCTYPE html>
<html lang="zh-CN">
<head>
<meta charset="${charset}">
<title>${title}</title>
<style>table{border-collapse:collapse}td,th{border:1px solid #000;padding:2px 4px;text-align:center}</style>
</head>
<body>
<div class="article">
${body.join('\n')}
</div>
</body>
</html>
`;
}
