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
// Kangxi radicals (PDF extraction), ideographic space, CJK compatibility punctuation.
const NEEDS_NFKC = /[\u00a0\u2000-\u200b\u2150-\u218f\u2460-\u24ff\u3300-\u33ff\u2f00-\u2fdf\u3000\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]/;

export function normalize(raw: string): Normalized {
  if (!NEEDS_NFKC.test(raw)) return { text: raw, map: null };
  const whole = raw.normalize('NFKC');
  // Full-width forms map one char to one char: the common case needs no map.
  if (whole.length === raw.length) return { text: whole, map: null };
  // Per-code-point normalisation keeps the mapping; for report text it equals whole-string NFKC
  // except across combining sequences, which do not occur in these characters.
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  for (const ch of raw) {
    const n = ch.normalize('NFKC');
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
/** The form labels are matched on: NFKC, no whitespace at all. */
export function compact(s: string): string {
  return (NEEDS_NFKC.test(s) ? s.normalize('NFKC') : s).replace(WS, '');
}
