/**
 * A table in the official layout of its edition (merged headers as in the template), built from
 * the same layout data the HTML and DOCX writers use. Text is set as React text: report content
 * is never inserted as markup.
 */
import type { ReactNode } from 'react';
import type { LayoutTable } from '../../src/render/layout.ts';

export interface CellLook {
  className?: string;
  markers?: Array<{ n: number; severity: string }>;
  title?: string;
}

export function OfficialTable({ table, caption, look, content, onCell }: {
  table: LayoutTable;
  caption?: ReactNode;
  look?: (key: string) => CellLook | undefined;
  /** What a data cell holds (default: the layout's text). */
  content?: (key: string, text: string) => ReactNode;
  onCell?: (key: string) => void;
}) {
  const rows: Array<typeof table.cells> = Array.from({ length: table.rows }, () => []);
  for (const c of [...table.cells].sort((a, b) => a.r - b.r || a.c - b.c)) rows[c.r]!.push(c);
  return (
    <table className={`official ${table.id}`} data-table={table.id}>
      {caption && <caption>{caption}</caption>}
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {row.map((c) => {
              const span = { rowSpan: c.rowSpan > 1 ? c.rowSpan : undefined, colSpan: c.colSpan > 1 ? c.colSpan : undefined };
              if (c.header || !c.key) return <th key={`${c.r}.${c.c}`} scope={c.c === 0 ? 'row' : 'col'} {...span}>{c.text}</th>;
              const key = c.key;
              const l = look?.(key);
              return (
                <td key={key} data-key={key} className={l?.className} title={l?.title} {...span}
                  tabIndex={onCell ? 0 : undefined}
                  onClick={onCell ? () => onCell(key) : undefined}
                  onKeyDown={onCell ? (e) => { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); onCell(key); } } : undefined}>
                  {content ? content(key, c.text) : c.text}
                  {l?.markers?.map((m) => <sup key={m.n} className={`marker ${m.severity}`}>{m.n}</sup>)}
                </td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
