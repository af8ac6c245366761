import type { Position } from '../../types.ts';
import type { Rule } from '../types.ts';
import { cellLabel } from '../identity.ts';

export default {
  meta: {
    id: 'ambiguous-cell', severity: 'warning', basis: 'reading',
    description: 'Cells the source does not determine (squashed digits, lost blanks), with every candidate',
    descriptionZh: '原文无法确定的格子（数字粘连、空白格丢失），列出全部候选值',
    docs: 'Flattened reports lose cell boundaries: `272720` under three columns, six digits for seven cells. gongkai solves such runs against the template\'s identities and keeps a value only when every consistent reading agrees; the cells left undetermined are reported here, grouped by source row, with each cell\'s candidates (空白 = the cell may be the empty one). The fault is the reading\'s, not the publisher\'s: check the original document. Not claimed: that the publisher erred — the doubt is the reading\'s (the source does not determine the cell); nor which candidate is right.',
  },
  check(report, emit, cells) {
    const groups = new Map<string, string[]>();
    for (const c of cells) {
      if (c.status !== 'ambiguous') continue;
      const at = c.position ? `${c.position.offset}` : c.key;
      const list = groups.get(at);
      if (list) list.push(c.key);
      else groups.set(at, [c.key]);
    }
    for (const keys of groups.values()) {
      const first = report.cells[keys[0]!]!;
      const candidates = Object.fromEntries(keys.map((k) => [k, report.cells[k]!.candidates ?? []]));
      const show = (k: string) => `${cellLabel(k)}: ${(candidates[k] ?? []).map((v) => (v === null ? '空白' : v)).join(' | ') || '无'}`;
      emit({
        message: `“${first.raw}”无法确定地拆分到 ${keys.length} 个格子：${keys.map(show).join('；')}`,
        messageEn: `“${first.raw}” does not determine ${keys.length} cell(s): ${keys.map(show).join('; ').replace(/空白/g, 'blank')}`,
        keys, positions: [first.position].filter((p): p is Position => p !== null), fault: 'reading', candidates,
      });
    }
  },
} satisfies Rule;
