import type { Rule } from '../types.ts';
import { matches } from '../util.ts';

const LEFTOVER = /(?:[XＸ×xX]{2,}|某某|○○)(?:省|市|县|区|局|委|办|厅|镇|乡|部门|单位|同志)|20[XＸ×xX]{2}年|[×X]{3,}|【\s*请?填写[^】]{0,12}】|[（(]\s*请填写[^）)]{0,12}[）)]|\[\s*请填写[^\]]{0,12}\]|此处(?:填写|插入)/g;

export default {
  meta: {
    id: 'template-leftover', severity: 'error', basis: 'content',
    description: 'Placeholder text left from a template or last year\'s copy (XX局, 20XX年, ×××, 【请填写】)',
    descriptionZh: '残留模板占位文字（XX局、20XX年、×××、【请填写】等）',
    docs: 'Reports are written from templates and from last year\'s report; placeholders left in (XX局, 20XX年, ×××, 【请填写】, （请填写…）) show the text was not finished and are a common reason an office sends a report back. Not claimed: that the rest of the report is the body\'s own.',
  },
  check(report, emit) {
    for (const m of matches(report, LEFTOVER)) {
      emit({ message: `残留模板占位文字“${m.text}”`, messageEn: `template placeholder left in: “${m.text}”`, keys: [], positions: m.position ? [m.position] : [], fault: 'publisher' });
    }
  },
} satisfies Rule;
