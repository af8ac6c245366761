import type { Rule } from '../types.ts';

export default {
  meta: {
    id: 'unresolved-body', severity: 'info', basis: 'reading',
    description: 'The body\'s place name fits several divisions and nothing in the report tells which',
    descriptionZh: '机关所在地名称对应多个行政区划，报告中无信息可以确定',
    docs: 'Names repeat across the country (鼓楼区 is in 南京, 徐州, 福州 and 开封). When the title names no city or province above it and the text names none of theirs, gongkai does not pick one: the report keeps no division, this finding lists the candidates, and a reviewer assigns the right one (a correction in the web app, or a mapping file for `gongkai place --map`). Until then the report counts under no region in roll-ups and coverage. Not claimed: an error of the publisher — a title that omits the city is usual.',
  },
  check(report, emit) {
    const c = report.meta.divisionCandidates;
    if (c.length < 2) return;
    const list = c.map((d) => `${d.name}（${d.code}）`).join('、');
    emit({
      message: `机关“${report.meta.agency ?? ''}”可能属于 ${c.length} 个行政区划：${list}；未作选择`,
      messageEn: `the body “${report.meta.agency ?? ''}” fits ${c.length} divisions (${c.map((d) => d.code).join(', ')}); none was picked`,
      keys: [], positions: [],
    });
  },
} satisfies Rule;
