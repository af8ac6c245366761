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
const NFKC_RANGES: ReadonlyArray<readonly [number, number]> = [
  [0xa0, 0xa0], [0x2000, 0x200b], [0x2150, 0x218f], [0x2460, 0x24ff], [0x3300, 0x33ff], [0x2e80, 0x2eff], [0x2f00, 0x2fdf], [0x3000, 0x3000],
  [0xf900, 0xfaff], [0xfe30, 0xfe4f], [0xff00, 0xffef],
];
const hex = (c: number) => `\\u${c.toString(16).padStart(4, '0')}`;
const NEEDS_NFKC = new RegExp(`[${NFKC_RANGES.map(([a, b]) => (a === b ? hex(a) : `${hex(a)}-${hex(b)}`)).join('')}]`);
/** NEEDS_NFKC's characters, for a pattern's character class. */
export const NFKC_CHANGES = NEEDS_NFKC.source.slice(1, -1);
/**
 * Characters NFKC (or `nfkc`'s radical table) may turn into Han characters, for a pattern's
 * character class: radicals, enclosed and compatibility ideographs, and (as surrogates) those
 * beyond the BMP. A pattern that looks for Han words can pass over text with none of these and
 * none of its words without making it NFKC.
 */
export const MAY_BECOME_HAN = '\\u2e80-\\u2fdf\\u3200-\\u33ff\\uf900-\\ufaff\\ud800-\\udfff';
/** MAY_BECOME_HAN's class, for one UTF-16 code unit. */
export const mayBecomeHan = (c: number): boolean => (c >= 0x2e80 && c <= 0x2fdf) || (c >= 0x3200 && c <= 0x33ff) || (c >= 0xf900 && c <= 0xfaff) || (c >= 0xd800 && c <= 0xdfff);
/** Does NFKC (NEEDS_NFKC) perhaps change this code unit? */
export const mayChange = (c: number): boolean => (CHANGES[c]! & 1) !== 0;

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

/**
 * For each UTF-16 code unit: 1 when NEEDS_NFKC holds it, 2 when it is white space (`\s`), 3
 * both. A short string (a cell, a label) is tested by a loop over this table, which costs half
 * of a pattern's call; a long one by the pattern.
 */
export const CHANGES = new Uint8Array(0x10000);
for (const [a, b] of NFKC_RANGES) CHANGES.fill(1, a, b + 1);
// JavaScript's \s
for (const [a, b] of [[0x09, 0x0d], [0x20, 0x20], [0xa0, 0xa0], [0x1680, 0x1680], [0x2000, 0x200a], [0x2028, 0x2029], [0x202f, 0x202f], [0x205f, 0x205f], [0x3000, 0x3000], [0xfeff, 0xfeff]] as const) {
  for (let c = a; c <= b; c++) CHANGES[c]! |= 2;
}
const SHORT = 48;

/** Does `s` hold a character of the class `mask` selects in CHANGES? */
function holds(s: string, mask: number, re: RegExp): boolean {
  if (s.length > SHORT) return re.test(s);
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    // (a unified Han character or printable ASCII, most of a report, is in no class: told without the table)
    if (c >= 0x4e00 ? c <= 0x9fff : c >= 0x21 && c <= 0x7e) continue;
    if ((CHANGES[c]! & mask) !== 0) return true;
  }
  return false;
}

/** NFKC, and the radicals above read as the characters they stand for. One char stays one char. */
export function nfkc(s: string): string {
  if (!holds(s, 1, NEEDS_NFKC)) return s;
  const narrowed = narrow(s);
  if (narrowed !== null) return narrowed;
  const n = s.normalize('NFKC');
  return n.replace(RADICAL, (ch) => RADICALS[ch] ?? ch);
}

/**
 * Code point ranges NFKC leaves alone, one character at a time, and that never combine with a
 * neighbour: ASCII, ·, ×, ÷, the common dashes and quotes, CJK punctuation and unified
 * ideographs (test/read.test.ts checks every one against `String.prototype.normalize`).
 */
export const NFKC_STABLE: ReadonlyArray<readonly [number, number]> = [
  [0x00, 0x7f], [0xb7, 0xb7], [0xd7, 0xd7], [0xf7, 0xf7], [0x2010, 0x2010], [0x2012, 0x2016], [0x2018, 0x2023], [0x3001, 0x3035], [0x4e00, 0x9fff],
];

/** NFKC's mapping of the full-width forms of ASCII (U+FF01–FF5E), the ideographic space and the no-break space. */
export function narrowed(c: number): number | null {
  if (c >= 0xff01 && c <= 0xff5e) return c - 0xfee0;
  return c === 0x3000 || c === 0xa0 ? 0x20 : null;
}

/** For each UTF-16 code unit: 0 NFKC leaves it, 1 narrowed above, 2 only NFKC itself knows (surrogates included). */
const KIND = new Uint8Array(0x10000).fill(2);
for (const [a, b] of NFKC_STABLE) KIND.fill(0, a, b + 1);
for (let c = 0; c < 0x10000; c++) if (narrowed(c) !== null) KIND[c] = 1;

/**
 * The narrowed code units are written here and decoded as UTF-16 in one native call (no array
 * of numbers, no spread into String.fromCharCode); on a big-endian machine a Uint16Array is not
 * UTF-16LE, and strings are made the slow way.
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
const UTF16LE = new TextDecoder('utf-16le', { ignoreBOM: true });
/** Grown to the longest text seen, up to SHARED_MAX code units; a longer text gets a buffer of its own. */
let units = new Uint16Array(4096);
const SHARED_MAX = 1 << 20;

/**
 * NFKC of a report's usual text without the Unicode tables: when every character is stable or
 * one of the narrowed forms above, NFKC is exactly that character-by-character mapping (what
 * `normalize` costs is most of a label's reading). Null when some character needs the real thing.
 */
function narrow(s: string): string | null {
  if (units.length < s.length && s.length <= SHARED_MAX) units = new Uint16Array(Math.min(SHARED_MAX, Math.max(s.length, units.length * 2)));
  const out = s.length <= units.length ? units : new Uint16Array(s.length);
  let wide = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const k = KIND[c]!;
    if (k === 0) out[i] = c;
    else if (k === 1) { out[i] = narrowed(c)!; wide++; } else return null;
  }
  if (wide === 0) return s;
  if (LITTLE_ENDIAN) return UTF16LE.decode(out.subarray(0, s.length));
  let text = '';
  for (let i = 0; i < s.length; i += 4096) text += String.fromCharCode(...out.subarray(i, Math.min(s.length, i + 4096)));
  return text;
}

export function normalize(raw: string): Normalized {
  if (!holds(raw, 1, NEEDS_NFKC)) return { text: raw, map: null };
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
/** Whitespace, or a character NFKC may change (NEEDS_NFKC's): text with neither is its own compact form. */
const NEEDS_COMPACT = new RegExp(`[\\s${NFKC_CHANGES}]`);
/** The form labels are matched on: NFKC, no whitespace at all. */
export function compact(s: string): string {
  if (!holds(s, 3, NEEDS_COMPACT)) return s;
  if (s.length <= SHORT) {
    // a short text (a label, a header) is the template's, the same in report after report: its
    // compact form is kept, and the same string given again (whose hash the engine keeps, for
    // the look-ups by label that follow)
    return COMPACTED.get(s) ?? keep(COMPACTED, s, 8192, ownCopy(compactNarrow(s) ?? compactWhole(s)));
  }
  return compactWhole(s);
}

/** Short texts' compact forms, as made (bounded: emptied past 8192). */
const COMPACTED = new Map<string, string>();

function compactWhole(s: string): string {
  const n = nfkc(s);
  return HAS_WS.test(n) ? n.replace(WS, '') : n;
}

/**
 * compact() of a short text in one pass, where every character but white space is one NFKC
 * leaves or narrows (KIND 0 or 1): white space dropped, full-width forms narrowed. Null when a
 * character needs NFKC itself. (White space is dropped before NFKC here and after it in
 * compact(): the same for these characters, which never combine with a neighbour, and NFKC
 * maps white space only to white space.)
 */
function compactNarrow(s: string): string | null {
  const out = units;
  let n = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((CHANGES[c]! & 2) !== 0) continue;
    const k = KIND[c]!;
    if (k === 0) out[n++] = c;
    else if (k === 1) out[n++] = narrowed(c)!;
    else return null;
  }
  return String.fromCharCode.apply(null, out.subarray(0, n) as unknown as number[]);
}

/** JavaScript's `\s`: ASCII tab to carriage return and space, and Unicode's spaces, line and paragraph separators and the BOM. */
export function isSpace(c: number): boolean {
  return c === 0x20 || (c >= 0x09 && c <= 0x0d) || (c > 0x7f && (c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff));
}

/** Where the first character of s[from, to) that is not white space (`\s`) stands; `to` if none. */
export function skipSpace(s: string, from = 0, to = s.length): number {
  let i = from;
  while (i < to && isSpace(s.charCodeAt(i))) i++;
  return i;
}

/** Where the white space (`\s`) that ends s[from, to) starts: `from` if it is all white space. */
export function skipSpaceBack(s: string, from = 0, to = s.length): number {
  let i = to;
  while (i > from && isSpace(s.charCodeAt(i - 1))) i--;
  return i;
}

/** `s.trim()`, with no call when neither end is white space (most cells). */
export function trim(s: string): string {
  return s.length === 0 || (!isSpace(s.charCodeAt(0)) && !isSpace(s.charCodeAt(s.length - 1))) ? s : s.trim();
}

/**
 * A copy of a short string that shares no storage with it. A string cut from a document (a
 * slice) keeps the whole document's text alive: one kept as a key of a table that outlives the
 * report must be copied.
 */
export function ownCopy(s: string): string {
  const out = new Uint16Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return String.fromCharCode.apply(null, out as unknown as number[]);
}

/**
 * `value` kept in `table` under `key`, and returned: for what the reader keeps from report to
 * report by a text (a label's row, a compact form). The key is copied (`ownCopy`: a text cut from
 * a document would keep the document alive), and the table is emptied when it holds `most`.
 */
export function keep<V>(table: Map<string, V>, key: string, most: number, value: V): V {
  if (table.size >= most) table.clear();
  table.set(ownCopy(key), value);
  return value;
}
