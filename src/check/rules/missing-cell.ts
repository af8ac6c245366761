import { T2_ROWS, T3_ROWS } from '../../schema/editions.ts';
import type { Position } from '../../types.ts';
import { cellLabel } from '../identity.ts';
import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 'missing-cell', severity: 'warning', basis: 'official',
    description: 'A row of a table is absent, or a cell is left blank where the template asks for a number',
    descriptionZh: '表格缺行，或应填数字的格子留空',
    docs: 'Every row and column of the template is to be filled; zero is written as 0. A row the report leaves out, or a blank cell, cannot be summed by a supervising office (a blank is never read as 0 by gongkai). One finding per row. Not-applicable marks (/ or —) are reported too, as the template has no not-applicable cells.',
  },
  check(report, emit) {
    for (const t of ['t2', 't3'] as const) {
      const info = report.tables[t];
      if (!info.found || !info.edition) continue;
      // in a file cut off, the rows after the last one read are missing-table's business
      const order = (t === 't2' ? T2_ROWS : T3_ROWS)[info.edition].map((r) => r.id);
      const lastRead = Math.max(-1, ...info.rows.map((r) => order.indexOf(r.id)));
      const cut = report.notes.some((n) => n.code === 'truncated');
      for (const id of info.missingRows) {
        if (cut && order.indexOf(id) > lastRead) continue;
        const label = t === 't2' ? T2_ROWS[info.edition].find((r) => r.id === id)?.label : T3_ROWS[info.edition].find((r) => r.id === id)?.label;
        emit({
          message: `表${t === 't2' ? '二' : '三'}缺少“${label ?? id}”行`,
          messageEn: `table ${t === 't2' ? '二' : '三'} has no row ${id}`,
          keys: [], positions: info.position ? [info.position] : [], fault: 'publisher',
        });
      }
    }
    const rows = new Map<string, string[]>();
    for (const c of Object.values(report.cells)) {
      if (c.status === 'ambiguous' || (c.shown !== 'blank' && c.shown !== 'na')) continue;
      const row = c.key.replace(/\.[a-z_]+$/, '');
      rows.set(row, [...(rows.get(row) ?? []), c.key]);
    }
    for (const [row, keys] of rows) {
      emit({
        message: `${keys.length} 个格子空白或填“/”“—”：${keys.map(cellLabel).join('、')}`,
        messageEn: `${keys.length} cell(s) blank or marked not applicable in ${row}: ${keys.join(', ')}`,
        keys, positions: keys.map((k) => report.cells[k]!.position).filter((p): p is Position => p !== null), fault: 'publisher',
      });
    }
  },
} satisfies Rule;
