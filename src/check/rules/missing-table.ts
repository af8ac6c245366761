import type { TableId } from '../../types.ts';
import type { Rule } from '../types.ts';
import { reportPosition } from '../util.ts';

const NAMES: Record<TableId, string> = { t2: '表二 主动公开政府信息情况', t3: '表三 收到和处理政府信息公开申请情况', t4: '表四 政府信息公开行政复议、行政诉讼情况' };

export default {
  meta: {
    id: 'missing-table', severity: 'error', basis: 'official',
    description: 'One of the three statistical tables (二, 三, 四) is absent',
    descriptionZh: '缺少三张统计表（二、三、四）之一',
    docs: 'Both templates require three tables: 二 主动公开政府信息情况, 三 收到和处理政府信息公开申请情况, 四 政府信息公开行政复议、行政诉讼情况. A sentence such as “本年度没有行政复议、行政诉讼” does not replace table 四: the template asks for the table with its zeros. A file cut off before its tables (a truncated download, a page captured halfway) is still checked; the message says the file is cut off. Not claimed: that the publisher left the table out when the file is cut off (the message says which).',
  },
  check(report, emit) {
    const cut = report.notes.some((n) => n.code === 'truncated');
    for (const t of ['t2', 't3', 't4'] as TableId[]) {
      if (report.tables[t].found) continue;
      emit({
        message: `缺少${NAMES[t]}${cut ? '（文件在此之前被截断）' : ''}`, messageEn: `table ${t.slice(1)} (${NAMES[t]}) is missing${cut ? ' (the file is cut off before it)' : ''}`,
        keys: [], positions: reportPosition(report), fault: 'publisher',
      });
    }
  },
} satisfies Rule;
