import { T2_ROWS, T3_COLUMNS, T3_ROWS, type Edition } from '../../schema/editions.ts';
import { identities, type Identity } from '../../schema/keys.ts';
import type { Position, Report } from '../../types.ts';
import { cellLabel, isTotalKey } from '../identity.ts';
import type { FindingInput, Rule } from '../types.ts';
import { determined, groupFinding } from '../util.ts';

export default {
  meta: {
    id: 'missing-cell', severity: 'warning', basis: 'official',
    description: 'A row of a table is absent, or a cell is left blank where the template asks for a number',
    descriptionZh: '表格缺行，或应填数字的格子留空',
    docs: 'Every row and column of the template is to be filled; zero is written as 0. A row the report leaves out, or a blank cell, cannot be summed by a supervising office (a blank is never read as 0 by gongkai). One finding per row; a column of table 三 blank on three rows or more is one finding for the column (the 2019 reports that leave 总计 blank), each cell listed in it; the missing rows of a table are one finding. A blank total is never taken as 0: the identities are not checked over it, and this finding says what its parts add up to. Not-applicable marks (/ or —) are reported too, as the template has no not-applicable cells. Not claimed: that the blank means zero, or that it hides a number.',
  },
  check(report, emit, cells) {
    for (const t of ['t2', 't3'] as const) {
      const info = report.tables[t];
      if (!info.found || !info.edition) continue;
      // in a file cut off, the rows after the last one read are missing-table's business
      const order = (t === 't2' ? T2_ROWS : T3_ROWS)[info.edition].map((r) => r.id);
      const lastRead = Math.max(-1, ...info.rows.map((r) => order.indexOf(r.id)));
      const cut = report.notes.some((n) => n.code === 'truncated');
      const labels: string[] = [];
      const rows: FindingInput[] = [];
      for (const id of info.missingRows) {
        if (cut && order.indexOf(id) > lastRead) continue;
        const label = (t === 't2' ? T2_ROWS[info.edition].find((r) => r.id === id)?.label : T3_ROWS[info.edition].find((r) => r.id === id)?.label) ?? id;
        labels.push(label);
        rows.push({
          message: `表${t === 't2' ? '二' : '三'}缺少“${label}”行`,
          messageEn: `table ${t === 't2' ? '二' : '三'} has no row ${id}`,
          keys: [], positions: info.position ? [info.position] : [], fault: 'publisher',
        });
      }
      if (rows.length) emit(groupFinding(rows, `表${t === 't2' ? '二' : '三'}缺少 ${rows.length} 行：${labels.join('、')}`, `table ${t === 't2' ? '二' : '三'} lacks ${rows.length} rows`));
    }
    const blank = cells.filter((c) => c.status !== 'ambiguous' && (c.shown === 'blank' || c.shown === 'na'));
    const place = (keys: string[]): FindingInput => ({
      message: `${keys.length} 个格子空白或填“/”“—”：${keys.map((k) => `${cellLabel(k)}${partsSay(report, k)}`).join('、')}`,
      messageEn: `${keys.length} cell(s) blank or marked not applicable: ${keys.join(', ')}`,
      keys, positions: keys.map((k) => report.cells[k]!.position).filter((p): p is Position => p !== null), fault: 'publisher',
    });
    // a column of table 三 left blank on many rows is one defect: one finding for it
    const byColumn = new Map<string, string[]>();
    for (const c of blank) {
      if (!c.key.startsWith('t3.')) continue;
      const col = c.key.slice(c.key.lastIndexOf('.') + 1);
      const list = byColumn.get(col);
      if (list) list.push(c.key);
      else byColumn.set(col, [c.key]);
    }
    const taken = new Set<string>();
    for (const [col, keys] of byColumn) {
      if (keys.length < COLUMN_PATTERN) continue;
      const label = T3_COLUMNS.find((c) => c.id === col)?.label ?? col;
      emit(groupFinding(keys.map((k) => place([k])), `表三“${label}”列 ${keys.length} 行留空${col === 'total' ? '（总计留空不按 0 计，不据此核算勾稽关系）' : ''}`, `table 三 column ${col} left blank on ${keys.length} rows`));
      for (const k of keys) taken.add(k);
    }
    const rows = new Map<string, string[]>();
    for (const c of blank) {
      if (taken.has(c.key)) continue;
      const row = c.key.slice(0, c.key.lastIndexOf('.'));
      const list = rows.get(row);
      if (list) list.push(c.key);
      else rows.set(row, [c.key]);
    }
    for (const keys of rows.values()) emit(place(keys));
  },
} satisfies Rule;

/** A column of table 三 blank on this many rows or more is reported as one finding. */
const COLUMN_PATTERN = 3;

const totals = new Map<Edition, Map<string, Identity>>();

/** The identities whose left side is one total cell, by that cell's key (the first such identity). */
function totalOf(ed: Edition): Map<string, Identity> {
  let m = totals.get(ed);
  if (!m) {
    m = new Map();
    for (const i of identities(ed)) if (i.lhs.length === 1 && !m.has(i.lhs[0]!)) m.set(i.lhs[0]!, i);
    totals.set(ed, m);
  }
  return m;
}

/** For a blank total: what its parts add up to, when every part is read (“总计留空，各项之和为 272”). */
function partsSay(report: Report, key: string): string {
  if (!isTotalKey(key)) return '';
  const ed = report.tables.t3.edition ?? report.tables.t4.edition;
  if (!ed) return '';
  const id = totalOf(ed).get(key);
  if (!id) return '';
  const parts = id.rhs.map((k) => determined(report, k));
  if (parts.some((p) => !p)) return '';
  return `（各项之和为 ${parts.reduce((s, p) => s + Number(p!.value), 0)}）`;
}
