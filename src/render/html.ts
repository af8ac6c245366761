/**
 * A report as an HTML page in the official layout (merged headers as rowspan/colspan). Every
 * string is escaped: report text is hostile input.
 */
import type { Report } from '../types.ts';
import { reportBlocks } from './document.ts';
import type { LayoutTable } from './layout.ts';

/** Escape text for HTML or XML (the DOCX and XLSX writers use it too). */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&${({ '&': 'amp', '<': 'lt', '>': 'gt', '"': 'quot', "'": '#39' } as Record<string, string>)[c]};`);
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
