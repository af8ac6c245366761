/**
 * NFKC normalisation that remembers where each normalised character came from, so that a
 * number found in normalised text can be pointed back to its raw place in the source.
 */

export interface Normalized {
  text: string;
  /** map[i] = index in the raw string of normalised char i; absent when the two align 1:1. */
  map: number[] | null;
}

// Characters NFKC may change in report text: full-width forms, compatibility ideographs,
// Kangxi radicals and the radicals supplement (PDF extraction), ideographic space, CJK
// compatibility punctuation.
const NEEDS_NFKC = /[\u00a0\u2000-\u200b\u2150-\u218f\u2460-\u24ff\u3300-\u33ff\u2e80-\u2eff\u2f00-\u2fdf\u3000\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

/**
 * CJK Radicals Supplement characters that a PDF's text layer gives for whole characters: a
 * browser printing a page with Noto CJK maps the glyph of 民 to ⺠ (U+2EA0), of 长 to ⻓.
 * NFKC leaves them alone (they have no decomposition); Unicode's EquivalentUnifiedIdeograph
 * data names the character each stands for. Only radicals that are characters of their own
 * are here, so that a body's name reads `民族宗教事务局`, not `⺠族宗教事务局`.
 */
const RADICALS: Record<string, string> = {
  '⺁': '厂', '⺟': '母', '⺠': '民', '⺩': '王', '⺬': '示', '⺮': '竹', '⺷': '羊', '⺻': '聿', '⺼': '肉', '⺽': '臼',
  '⻁': '虎', '⻄': '西', '⻅': '见', '⻆': '角', '⻉': '贝', '⻋': '车', '⻑': '長', '⻓': '长', '⻔': '门', '⻗': '雨',
  '⻘': '青', '⻙': '韦', '⻚': '页', '⻛': '风', '⻜': '飞', '⻝': '食', '⻢': '马', '⻣': '骨', '⻤': '鬼', '⻥': '鱼',
  '⻦': '鸟', '⻧': '卤', '⻨': '麦', '⻩': '黄', '⻪': '黾', '⻫': '斉', '⻬': '齐', '⻭': '歯', '⻮': '齿', '⻯': '竜',
  '⻰': '龙', '⻱': '龜', '⻲': '亀', '⻳': '龟',
};
const RADICAL = /[\u2e80-\u2eff]/g;

/** NFKC, and the radicals above read as the characters they stand for. One char stays one char. */
export function nfkc(s: string): string {
  if (!NEEDS_NFKC.test(s)) return s;
  const n = s.normalize('NFKC');
  return n.replace(RADICAL, (ch) => RADICALS[ch] ?? ch);
}

export function normalize(raw: string): Normalized {
  if (!NEEDS_NFKC.test(raw)) return { text: raw, map: null };
  const whole = nfkc(raw);
  // Full-width forms map one char to one char: the common case needs no map.
  if (whole.length === raw.length) return { text: whole, map: null };
  // Per-code-point normalisation keeps the mapping; for report text it equals whole-string NFKC
  // except across combining sequences, which do not occur in these characters.
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  for (const ch of raw) {
    const n = nfkc(ch);
    parts.push(n);
    for (let k = 0; k < n.length; k++) map.push(i);
    i += ch.length;
  }
  return { text: parts.join(''), map };
}

/** Raw index of normalised index `i`. */
export function rawIndex(n: Normalized, i: number): number {
  if (!n.map) return i;
  if (i >= n.map.length) return (n.map[n.map.length - 1] ?? -1) + 1;
  return n.map[i] ?? i;
}

const WS = /[\s\u3000\u00a0]+/g;
const HAS_WS = /[\s\u3000\u00a0]/;
/** The form labels are matched on: NFKC, no whitespace at all. */
export function compact(s: string): string {
  const n = nfkc(s);
  return HAS_WS.test(n) ? n.replace(WS, '') : n;
}
