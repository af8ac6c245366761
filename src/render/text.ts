/**
 * A report flattened to text the ways reports reach people: a table copied from a web page or
 * Word keeps its cells as `|` pipes, tabs, or one cell per line; a PDF's text layer often loses
 * the gaps, squashing a row's numbers together (`规范性文件  272720`). Merged cells appear once,
 * in the row where they start, as a copy from a browser gives them.
 */
import type { Report } from '../types.ts';
import { reportBlocks } from './document.ts';

export type TextForm = 'pipes' | 'tabs' | 'cell-per-line' | 'squashed';
export const TEXT_FORMS: TextForm[] = ['pipes', 'tabs', 'cell-per-line', 'squashed'];

export function reportText(report: Report, form: TextForm): string {
  const lines: string[] = [];
  for (const b of reportBlocks(report)) {
    if (b.kind !== 'table') { lines.push(b.text); continue; }
    const t = b.table;
    for (let r = 0; r < t.rows; r++) {
      const row = t.cells.filter((c) => c.r === r).sort((a, z) => a.c - z.c);
      if (row.length === 0) continue;
      if (form === 'pipes') lines.push(`| ${row.map((c) => c.text).join(' | ')} |`);
      else if (form === 'tabs') lines.push(row.map((c) => c.text).join('\t'));
      else if (form === 'cell-per-line') for (const c of row) lines.push(c.text);
      else {
        // labels stay apart; the numbers of a row run together, blanks vanish
        let line = '';
        for (const c of row) {
          if (c.text === '') continue;
          const numeric = c.key !== undefined && /^-?\d/.test(c.text);
          line += numeric ? c.text : `${line ? '  ' : ''}${c.text}  `;
        }
        lines.push(line.trimEnd());
      }
    }
  }
  return `${lines.join('\n')}\n`;
}
