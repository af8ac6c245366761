import type { Rule } from '../types.ts';
import { noteFindings } from '../util.ts';

export default {
  meta: {
    id: 'division-variant', severity: 'info', basis: 'reading',
    description: 'The body\'s place name is not the gazetteer\'s: shows the division it was read as',
    descriptionZh: '机关所在地名称与行政区划名录不同，显示其被对应到的行政区划',
    docs: 'The agency\'s division names are looked up in the bundled gazetteer (GB/T 2260 and the statistical codes). A name one look-alike character from one division (沐阳县 for 沭阳县, an OCR slip), the same place under another division word (a county since made a district), or a name the gazetteer does not have under a division it does (a new zone of a city) is read as that division, and said so here so that a reviewer can confirm it or assign another (a correction). Not claimed: an error of the publisher — the printed name may be an OCR slip of ours, or newer than the gazetteer.',
  },
  check(report, emit) {
    noteFindings(report, 'division-variant', emit, (n) => ({ zh: `机关所在地“${n.printed}”按行政区划“${n.official}”读取`, en: n.message }));
  },
} satisfies Rule;
