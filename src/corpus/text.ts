/**
 * Narrative text across reports: sentences with the template's own wording left out, a MinHash
 * sketch for near-duplicate search (banded, so a million reports compare through an index, not
 * a quadratic scan), exact resemblance for the candidates, and the share of a report repeated
 * from another.
 *
 * Numbers are masked (`2023年…1234条` and `2022年…987条` are the same sentence): a report
 * copied from last year with this year's figures typed in is still copied.
 */
import { nfkc } from '../read/normalize.ts';
import type { Report } from '../types.ts';

/**
 * Sentences every report carries because the template or the 条例 words them so. They are not
 * the body's own writing, so they count neither as copied nor as original.
 */
export const BOILERPLATE: RegExp[] = [
  /根据.{0,12}《中华人民共和国政府信息公开条例》.{0,80}(?:编制|撰写|发布)(?:本|此)?(?:报告|年报)/,
  /本(?:年度)?报告(?:由|包括|分为|全文).{0,120}(?:总体情况|主动公开政府信息情况|其他需要报告的事项)/,
  /本报告(?:中)?(?:所列)?(?:数据的)?统计期限自/,
  /本报告的电子版(?:可)?在.{0,60}(?:查阅|下载)/,
  /(?:如对本报告有疑问|如对本年度报告有任何疑问).{0,80}(?:联系|咨询)/,
  /^(?:[一二三四五六七八九十]+、)?(?:总体情况|主动公开政府信息情况|收到和处理政府信息公开申请情况|政府信息公开行政复议、?行政诉讼情况|存在的主要问题及改进情况|其他需要报告的事项)$/,
];

/** A sentence, normalised for comparison: NFKC, no spaces or punctuation, digits masked. */
export function normSentence(s: string): string {
  return nfkc(s).replace(/[\s\p{P}\p{S}]+/gu, '').replace(/\d+(?:\.\d+)?/g, '#');
}

/** Sentences shorter than this (normalised) are headings or fragments, not writing. */
const MIN_SENTENCE = 8;

/** The body's own sentences of a report's narrative: split at 。！？； and line ends, boilerplate out. */
export function ownSentences(texts: string[]): string[] {
  const out: string[] = [];
  for (const text of texts) {
    for (const raw of text.split(/[。！？；!?;\n]+/)) {
      const s = raw.trim();
      if (BOILERPLATE.some((re) => re.test(s))) continue;
      const n = normSentence(s);
      if (n.length >= MIN_SENTENCE) out.push(n);
    }
  }
  return out;
}

export const narrative = (r: Pick<Report, 'sections'>): string[] => r.sections.map((s) => s.text);

/** Character 5-grams of the sentences, hashed (FNV-1a, 32-bit). */
export function shingles(sentences: string[], k = 5): Set<number> {
  const out = new Set<number>();
  for (const s of sentences) {
    for (let i = 0; i + k <= s.length; i++) {
      let h = 0x811c9dc5;
      for (let j = i; j < i + k; j++) h = Math.imul(h ^ s.charCodeAt(j), 0x01000193);
      out.add(h >>> 0);
    }
  }
  return out;
}

export const SKETCH = { hashes: 64, bands: 16 } as const;

/** A 32-bit mix (murmur3's finaliser) of x with a seed: one of the MinHash functions. */
function mix(x: number, seed: number): number {
  let h = (x ^ seed) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}
const SEEDS = Array.from({ length: SKETCH.hashes }, (_, i) => mix(i + 1, 0x9e3779b9));

/** MinHash signature of a shingle set. */
export function minhash(set: Set<number>): Uint32Array {
  const sig = new Uint32Array(SKETCH.hashes).fill(0xffffffff);
  for (const x of set) {
    for (let i = 0; i < SKETCH.hashes; i++) {
      const h = mix(x, SEEDS[i]!);
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/**
 * The band keys of a signature (16 bands of 4 hashes). Two narratives whose resemblance is 0.7
 * share a band with probability 0.988, at 0.8 with 0.9998; at 0.3, 0.12 (then the exact check
 * drops them).
 */
export function bandKeys(sig: Uint32Array): string[] {
  const rows = SKETCH.hashes / SKETCH.bands;
  const out: string[] = [];
  for (let b = 0; b < SKETCH.bands; b++) {
    let key = '';
    for (let r = 0; r < rows; r++) key += sig[b * rows + r]!.toString(36).padStart(7, '0');
    out.push(key);
  }
  return out;
}

/** Narratives shorter than this (normalised characters) are too short to call duplicates. */
export const MIN_NARRATIVE = 200;

/** Band keys of a report's narrative, or none when it is too short to compare. */
export function reportBands(texts: string[]): string[] {
  const sentences = ownSentences(texts);
  if (sentences.reduce((n, s) => n + s.length, 0) < MIN_NARRATIVE) return [];
  return bandKeys(minhash(shingles(sentences)));
}

/** The shingles of the sentences as a sorted array, the form `resemblance` compares. */
export function sortedShingles(sentences: string[]): Uint32Array {
  return Uint32Array.from(shingles(sentences)).sort();
}

/**
 * Jaccard resemblance of two shingle sets, each a sorted array of distinct hashes (`sortedShingles`):
 * one walk through both, where looking each of one set's hashes up in the other's hash table took
 * three times as long. With `atLeast`, a pair that cannot reach it is given up as soon as that is
 * certain (the hashes still to come could not match enough), and a bound below `atLeast` is
 * returned, not the exact figure: most candidates fall well short, and their walks stop early
 * (on the real-ingest store the SQLite corpus phase went from 24–28 s to 18–20 s). A pair that
 * reaches it gets its exact resemblance.
 */
export function resemblance(a: Uint32Array, b: Uint32Array, atLeast = 0): number {
  if (a.length === 0 || b.length === 0) return 0;
  const na = a.length;
  const nb = b.length;
  // both ≥ need ⟺ both / (na + nb − both) ≥ atLeast; given up only with a margin over rounding
  const need = (atLeast * (na + nb)) / (1 + atLeast) - 1e-6;
  let both = 0;
  let i = 0;
  let j = 0;
  while (i < na && j < nb) {
    const stop = Math.min(na, i + 128);
    while (i < stop && j < nb) {
      const x = a[i]!;
      const y = b[j]!;
      if (x === y) { both++; i++; j++; } else if (x < y) i++; else j++;
    }
    const most = both + Math.min(na - i, nb - j);
    if (most < need) return most / (na + nb - most);
  }
  return both / (na + nb - both);
}

/** Share (by characters) of `now`'s own sentences that appear in `before`'s. */
export function repeatedShare(now: string[], before: string[]): { share: number; chars: number } {
  const seen = new Set(before);
  let total = 0;
  let repeated = 0;
  for (const s of now) {
    total += s.length;
    if (seen.has(s)) repeated += s.length;
  }
  return { share: total === 0 ? 0 : repeated / total, chars: total };
}
