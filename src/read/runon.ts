/**
 * A run-on line: a crawler's dump or a copy from a web page that holds the whole report on one
 * line, every table cell run together (`规章000规范性文件898989第二十条第（五）项…`). Such a line
 * is broken back into the rows it was made of, each row a piece of the same line, so that
 * positions still point into it.
 *
 * The breaks are where a reader of the page sees a new row: before a section heading and after
 * its title, before a numbered label (`一、` `（一）` `1.`), and inside the tables also before
 * the template's row labels and after each number. Nothing is dropped and nothing is merged:
 * the pieces are contiguous and cover the line.
 */
import { SECTIONS, T2_ROWS } from '../schema/editions.ts';

/** A line this long that holds table 三's first rows is a run-on dump, not a paragraph. */
const RUN_ON_MIN = 300;
const T3_MARKERS = /本年新收[\s\S]{0,80}上年结转/;

export function isRunOn(line: string): boolean {
  return line.length >= RUN_ON_MIN && T3_MARKERS.test(line);
}

const NUMERAL = '一二三四五六七八九十';

/** Table 二's row labels (and the variant 人民政府集中采购), with table 三's first two rows. */
const LABELS = [...new Set([...T2_ROWS['2019'], ...T2_ROWS['2021']].map((r) => r.label)), '人民政府集中采购', '本年新收', '上年结转', '第二十条'];

/** Is the label at `i` of `s` the tail of a longer label (规范性文件 in 行政规范性文件)? */
const insideLonger = (s: string, i: number, label: string) =>
  LABELS.some((l) => l.length > label.length && l.endsWith(label) && s.startsWith(l, i - (l.length - label.length)));

/** The end of a section heading's title starting at `from` (after its numeral), or -1. */
function titleEnd(line: string, from: number, n: number): number {
  const spec = SECTIONS[n - 1]!;
  const head = line.slice(from, from + 40);
  if (head.startsWith(spec.title)) return from + spec.title.length;
  const compactHead = head.replace(/\s+/g, '');
  if (!spec.match.test(compactHead.slice(0, 20))) return -1;
  const m = /情况|事项/.exec(head);
  return m && m.index < 32 ? from + m.index + m[0].length : -1;
}

/** Offsets at which `line` breaks into rows (ascending, without 0). */
export function runOnBreaks(line: string): number[] {
  const breaks = new Set<number>();
  const headings: Array<{ n: number; at: number }> = [];
  // section headings: 二、主动公开政府信息情况 — break before the numeral and after the title
  for (const m of line.matchAll(/([一二三四五六])\s*[、.．]\s*/g)) {
    const prev = line[m.index - 1] ?? '';
    if (NUMERAL.includes(prev) || prev === '第') continue;
    const n = NUMERAL.indexOf(m[1]!) + 1;
    const end = titleEnd(line, m.index + m[0].length, n);
    if (end < 0) continue;
    if (headings.length && headings[headings.length - 1]!.n >= n) continue;
    headings.push({ n, at: m.index });
    breaks.add(m.index);
    breaks.add(end);
  }
  // numbered labels: 一、本年新收… （一）予以公开 1.属于国家秘密 (template sub-items are 1–8)
  for (const m of line.matchAll(/[一二三四五六七八九十]{1,2}、(?=\s*[\u4e00-\u9fff])|[（(][一二三四五六七八九十]{1,2}[)）]|\d[.．](?=\s*[\u4e00-\u9fff])/g)) {
    const prev = line[m.index - 1] ?? '';
    if (prev === '第' || (m[0].endsWith('、') && NUMERAL.includes(prev))) continue;
    breaks.add(m.index);
  }
  // inside the tables (section 二 to section 五): template labels, and the end of every number
  const start = headings.find((h) => h.n === 2)?.at ?? line.search(/第二十条|本年新收/);
  const endHeading = headings.find((h) => h.n >= 5)?.at ?? line.length;
  if (start >= 0) {
    const zone = line.slice(start, endHeading);
    for (const label of LABELS) {
      for (let i = zone.indexOf(label); i >= 0; i = zone.indexOf(label, i + label.length)) {
        // after text (a header, another label); after a number or numbering there is a break already
        if (/[\u4e00-\u9fff)）]/.test(zone[i - 1] ?? '') && !insideLonger(zone, i, label)) breaks.add(start + i);
      }
    }
    for (const m of zone.matchAll(/\d(?:万元|元)?(?=\s*[\u4e00-\u9fff（(])/g)) {
      const after = m.index + m[0].length;
      if (/^\s*[年月日号次个件条项人]/.test(zone.slice(after))) continue;
      breaks.add(start + after);
    }
  }
  return [...breaks].filter((b) => b > 0 && b < line.length).sort((a, b) => a - b);
}
