/**
 * A report as a publishable document: title, date line, sections with their text, and the
 * three tables in the official layout under sections 二, 三 and 四. The writers render this.
 */
import type { Report } from '../types.ts';
import { layoutTables, type LayoutTable } from './layout.ts';

export type Block =
  | { kind: 'title'; text: string }
  | { kind: 'heading'; text: string }
  | { kind: 'para'; text: string }
  | { kind: 'table'; table: LayoutTable };

const TABLE_SECTION: Record<number, LayoutTable['id']> = { 2: 't2', 3: 't3', 4: 't4' };

export function reportBlocks(report: Report): Block[] {
  const out: Block[] = [];
  if (report.meta.title) out.push({ kind: 'title', text: report.meta.title });
  if (report.meta.published && report.meta.publishedFrom === 'page') out.push({ kind: 'para', text: `发布日期：${report.meta.published}` });
  const tables = layoutTables(report);
  const placed = new Set<string>();
  for (const s of report.sections) {
    if (s.number > 0) out.push({ kind: 'heading', text: s.title });
    for (const line of s.text.split('\n')) if (line.trim() !== '' && line.trim() !== report.meta.title) out.push({ kind: 'para', text: line.trim() });
    const id = TABLE_SECTION[s.number];
    const t = tables.find((x) => x.id === id);
    if (t && !placed.has(t.id)) { out.push({ kind: 'table', table: t }); placed.add(t.id); }
  }
  // a report whose headings were not found still shows its tables
  for (const t of tables) if (!placed.has(t.id)) out.push({ kind: 'heading', text: t.heading }, { kind: 'table', table: t });
  return out;
}
