/**
 * The official layout of the three tables (国办公开办函〔2019〕60号 / 〔2021〕30号), built from
 * the edition data: the merged headers and label columns of the template, as grids. The writers
 * (HTML, DOCX, XLSX, PDF) draw these grids; the web app shows them.
 */
import { T2_ROWS, T3_COLUMNS, T3_ROWS, T4_COLUMNS, T4_GROUPS, type Edition } from '../schema/editions.ts';
import { t3Key, t4Key } from '../schema/keys.ts';
import type { Cell, GridCell, Report } from '../types.ts';

export interface LayoutCell extends GridCell {
  /** The report cell shown here (data cells only). */
  key?: string;
  header?: boolean;
}

export interface LayoutTable {
  id: 't2' | 't3' | 't4';
  /** The section heading the table sits under. */
  heading: string;
  rows: number;
  cols: number;
  cells: LayoutCell[];
  /**
   * Each grid column's width in the official template Word file (twips, 国办公开办函〔2021〕30号's
   * blank template): the writers scale them to their page. Table 三's three label columns are wide
   * and unequal (三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密), its seven number columns narrow.
   */
  widths: number[];
}

/** The official template's table grids (w:tblGrid of the 2021 blank template's three tables). */
const TEMPLATE_WIDTHS = {
  t2: (cols: number) => new Array<number>(cols).fill(2435),
  t3: [754, 921, 3271, 685, 685, 685, 685, 685, 685, 685],
  t4: new Array<number>(15).fill(649),
} as const;

/** What a data cell shows: the number as printed (canonical), `/` marks, blank as nothing. */
export function cellText(c: Cell | undefined): string {
  if (!c) return '';
  if (c.status === 'ambiguous') return '';
  if (c.shown === 'na') return c.raw.trim();
  return c.value ?? '';
}

class Grid {
  readonly cells: LayoutCell[] = [];
  rows = 0;
  add(r: number, c: number, text: string, extra: Partial<LayoutCell> = {}): void {
    this.cells.push({ r, c, rowSpan: 1, colSpan: 1, text, ...extra });
    this.rows = Math.max(this.rows, r + (extra.rowSpan ?? 1));
  }
}

function t2(edition: Edition, cells: Record<string, Cell>): LayoutTable {
  const g = new Grid();
  const cols = 1 + Math.max(...T2_ROWS[edition].map((r) => r.columns.length));
  let r = 0;
  let block = '';
  for (const row of T2_ROWS[edition]) {
    if (row.block !== block) {
      block = row.block;
      g.add(r++, 0, `第二十条第${block}项`, { colSpan: cols, header: true });
      g.add(r, 0, '信息内容', { header: true });
      row.columns.forEach((c, i) => g.add(r, 1 + i, c.label, { header: true, ...(i === row.columns.length - 1 ? { colSpan: cols - row.columns.length } : {}) }));
      r++;
    }
    g.add(r, 0, row.label, { header: true });
    row.columns.forEach((c, i) => {
      const key = `t2.${row.id}.${c.id}`;
      g.add(r, 1 + i, cellText(cells[key]), { key, ...(i === row.columns.length - 1 ? { colSpan: cols - row.columns.length } : {}) });
    });
    r++;
  }
  return { id: 't2', heading: '二、主动公开政府信息情况', rows: g.rows, cols, cells: g.cells, widths: TEMPLATE_WIDTHS.t2(cols) };
}

function t3(edition: Edition, cells: Record<string, Cell>): LayoutTable {
  const g = new Grid();
  g.add(0, 0, '（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）', { rowSpan: 3, colSpan: 3, header: true });
  g.add(0, 3, '申请人情况', { colSpan: 7, header: true });
  g.add(1, 3, '自然人', { rowSpan: 2, header: true });
  g.add(1, 4, '法人或其他组织', { colSpan: 5, header: true });
  g.add(1, 9, '总计', { rowSpan: 2, header: true });
  T3_COLUMNS.slice(1, 6).forEach((c, i) => g.add(2, 4 + i, c.label, { header: true }));
  const rows = T3_ROWS[edition];
  const results = rows.filter((x) => x.result || x.id === 'results_total');
  let r = 3;
  for (const row of rows) {
    const inResults = results.includes(row);
    if (row === results[0]) g.add(r, 0, '三、本年度办理结果', { rowSpan: results.length, header: true });
    if (!inResults) g.add(r, 0, row.label, { colSpan: 3, header: true });
    else if (row.group && row.group !== '三、本年度办理结果') {
      const group = rows.filter((x) => x.group === row.group);
      if (group[0] === row) g.add(r, 1, row.group, { rowSpan: group.length, header: true });
      g.add(r, 2, row.label, { header: true });
    } else g.add(r, 1, row.label, { colSpan: 2, header: true });
    T3_COLUMNS.forEach((c, i) => {
      const key = t3Key(row.id, c.id);
      g.add(r, 3 + i, cellText(cells[key]), { key });
    });
    r++;
  }
  return { id: 't3', heading: '三、收到和处理政府信息公开申请情况', rows: g.rows, cols: 10, cells: g.cells, widths: [...TEMPLATE_WIDTHS.t3] };
}

function t4(cells: Record<string, Cell>): LayoutTable {
  const g = new Grid();
  g.add(0, 0, '行政复议', { colSpan: 5, header: true });
  g.add(0, 5, '行政诉讼', { colSpan: 10, header: true });
  T4_COLUMNS.forEach((c, i) => g.add(1, i, c.label, { rowSpan: 2, header: true }));
  g.add(1, 5, '未经复议直接起诉', { colSpan: 5, header: true });
  g.add(1, 10, '复议后起诉', { colSpan: 5, header: true });
  for (let k = 0; k < 2; k++) T4_COLUMNS.forEach((c, i) => g.add(2, 5 + k * 5 + i, c.label, { header: true }));
  T4_GROUPS.forEach((grp, gi) => T4_COLUMNS.forEach((c, i) => {
    const key = t4Key(grp.id, c.id);
    g.add(3, gi * 5 + i, cellText(cells[key]), { key });
  }));
  return { id: 't4', heading: '四、政府信息公开行政复议、行政诉讼情况', rows: g.rows, cols: 15, cells: g.cells, widths: [...TEMPLATE_WIDTHS.t4] };
}

/** The three tables of a report in the official layout of its edition (2021 when unknown). */
export function layoutTables(report: Pick<Report, 'cells'> & { meta: { edition: Edition | null } }): LayoutTable[] {
  const edition = report.meta.edition ?? '2021';
  return [t2(edition, report.cells), t3(edition, report.cells), t4(report.cells)];
}
