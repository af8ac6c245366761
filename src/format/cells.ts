/**
 * The flat cell format, cells v1 (spec: docs/cells.md). A stable contract: do not drift.
 */
import { cellList, type Report } from '../types.ts';

/** key → value lines of cells v1: numbers as canonical decimals, `?` where not certain. */
export function toCells(report: Report): Map<string, string> {
  const out = new Map<string, string>();
  if (report.meta.edition) out.set('meta.edition', report.meta.edition);
  if (report.meta.year !== null) out.set('meta.year', String(report.meta.year));
  for (const cell of cellList(report.cells)) {
    if (cell.status === 'ambiguous' || cell.shown === 'text') out.set(cell.key, '?');
    else if (cell.value !== null) out.set(cell.key, cell.value);
    // blank and not-applicable cells: no line
  }
  return out;
}

const byteOrder = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

export function formatCells(report: Report): string {
  const cells = toCells(report);
  const lines = ['# cells v1'];
  for (const k of [...cells.keys()].sort(byteOrder)) lines.push(`${k}\t${cells.get(k)}`);
  return `${lines.join('\n')}\n`;
}

/** Parse cells v1 text back into a map (for tests, diffs and the accuracy benchmark). */
export function parseCells(text: string): Map<string, string> {
  const lines = text.split('\n').filter((l) => l !== '');
  if (lines[0] !== '# cells v1') throw new Error('not cells v1: first line must be “# cells v1”');
  const out = new Map<string, string>();
  for (const l of lines.slice(1)) {
    const tab = l.indexOf('\t');
    if (tab < 0) throw new Error(`not cells v1: no tab in “${l}”`);
    out.set(l.slice(0, tab), l.slice(tab + 1));
  }
  return out;
}
