/**
 * The six section headings (一、总体情况 … 六、其他需要报告的事项) and the narrative between them.
 */
import { compact, MAY_BECOME_HAN, mayBecomeHan, mayChange, narrowed, NFKC_CHANGES, skipSpace, trim } from '../read/normalize.ts';
import { SECTIONS } from '../schema/editions.ts';
import type { OutlineEntry, Position, Section, SourceDocument, SourceRow } from '../types.ts';

export interface Heading { number: number; row: number; title: string; position: Position }

const NUMERALS = '一二三四五六七八九十';
const HEAD = /^([一二三四五六七八九十])[、.，,．:：]\s*(.*)$/;
/**
 * How a heading's line can start before NFKC (Kangxi ⼀ and compatibility ideographs become 一),
 * after any white space: a cheap test of every line first, by the code of its first character
 * (`/^\s*[一二三四五六七八九十\u2e80-\u2fdf\uf900-\ufaff]/`, without a pattern's call for each line).
 */
export function headStart(line: string): boolean {
  return headCode(line.charCodeAt(skipSpace(line)));
}
/** headStart's test of the first character's code (the numerals by a switch, which costs less than a set's look-up). */
function headCode(c: number): boolean {
  if ((c >= 0x2e80 && c <= 0x2fdf) || (c >= 0xf900 && c <= 0xfaff)) return true;
  switch (c) {
    case 0x4e00: case 0x4e8c: case 0x4e09: case 0x56db: case 0x4e94: case 0x516d: case 0x4e03: case 0x516b: case 0x4e5d: case 0x5341: return true; // 一 … 十
    default: return false;
  }
}

/** The code of the first character of a row's cells that is not white space (NaN when there is none). */
function firstCode(r: SourceRow): number {
  for (const c of r.cells) {
    const i = skipSpace(c.raw);
    if (i < c.raw.length) return c.raw.charCodeAt(i);
  }
  return NaN;
}

/** Table 三's row labels also start 一、二、三、四、: they are never section headings. */
const T3_ROW_LABEL = /本年新收|上年结转|本年度办理结果|结转下年度/;

/**
 * Where a row's text starts: a delimited row at its line's start (a leading pipe included), a
 * line of text at its one cell (after a Markdown heading's `#`s; a piece of a run-on line there).
 */
export function rowStart(r: SourceRow): number {
  const first = r.cells[0]!;
  return r.delimited ? first.offset - (first.column - 1) : first.offset;
}

export function rowText(doc: SourceDocument, r: SourceRow): string {
  const last = r.cells[r.cells.length - 1]!;
  return doc.text.slice(rowStart(r), last.offset + last.raw.length);
}

/** A row's cells' text joined, without the delimiters between them (a line of text is its one cell). */
export const cellsText = (r: SourceRow): string => (r.cells.length === 1 ? r.cells[0]!.raw : r.cells.map((c) => c.raw).join(''));

function headingPosition(r: SourceRow, raw: string): Position {
  const c = r.cells[0]!;
  const lead = skipSpace(c.raw);
  return { offset: c.offset + lead, length: raw.length, line: c.line, column: c.column + lead };
}

/** A line that reads `一、…` after NFKC: its row, its text (the cells joined, trimmed), its numeral and the rest. */
export interface HeadLine { row: number; raw: string; numeral: string; rest: string }

/** Row `row`'s trimmed text `raw`, when it is sixty characters at most and reads `一、…` after NFKC. */
function headLine(row: number, raw: string): HeadLine | null {
  const m = raw.length <= 60 ? HEAD.exec(compact(raw)) : null;
  return m ? { row, raw, numeral: m[1]!, rest: m[2]! } : null;
}

/**
 * The rows whose text (the cells joined, sixty characters at most) reads as a numbered
 * top-level line: found once for a document, for its headings and its outline.
 */
export function headLines(doc: SourceDocument): HeadLine[] {
  const out: HeadLine[] = [];
  for (let i = 0; i < doc.rows.length; i++) {
    const r = doc.rows[i]!;
    // the cells joined start as their first cell with text does: a table row of numbers is passed by one test
    if (!headCode(firstCode(r))) continue;
    const line = headLine(i, cellsText(r).trim());
    if (line) out.push(line);
  }
  return out;
}

/** Every line that reads as a top-level heading, whatever its number and order. */
export function findOutline(doc: SourceDocument, lines = headLines(doc)): OutlineEntry[] {
  const out: OutlineEntry[] = [];
  let j = 0;
  for (let i = 0; i < doc.rows.length; i++) {
    const r = doc.rows[i]!;
    if (r.delimited) continue;
    let line: HeadLine | null;
    if (r.cells.length === 1) {
      // a line of one cell: its text is the cells joined, read already
      while (j < lines.length && lines[j]!.row < i) j++;
      if (lines[j]?.row !== i) continue;
      line = lines[j]!;
    } else {
      // a line in pieces (a PDF's): its first piece
      if (!headStart(r.cells[0]!.raw)) continue;
      line = headLine(i, r.cells[0]!.raw.trim());
    }
    if (!line || line.raw.length < 3 || T3_ROW_LABEL.test(line.rest) || /[。；;]$/.test(line.rest)) continue;
    const { rest } = line;
    const topic = SECTIONS.find((s) => s.match.test(rest))?.number ?? null;
    out.push({ numeral: line.numeral, topic, title: line.raw, position: headingPosition(r, line.raw) });
  }
  return out;
}

/** Headings in order; a section may be missing (its heading left out by the publisher). */
export function findHeadings(doc: SourceDocument, lines = headLines(doc)): Heading[] {
  const found: Heading[] = [];
  let next = 1;
  for (const h of lines) {
    if (next > 6) break;
    const n = NUMERALS.indexOf(h.numeral) + 1;
    if (n > 6 || n < next || T3_ROW_LABEL.test(h.rest) || !SECTIONS[n - 1]!.match.test(h.rest)) continue;
    found.push({ number: n, row: h.row, title: h.raw, position: headingPosition(doc.rows[h.row]!, h.raw) });
    next = n + 1;
  }
  return found;
}

/** Web-page furniture that is not part of any report. */
export const CHROME = /^(?:账号\+?密码登录|手机\+?密码登录|还没有账号\??|立即注册|登录|注册|附件下载|附件:?|【?打印(?:内容|本页)?】?|【?关闭(?:窗口|本页)?】?(?:【?关闭(?:窗口|本页)?】?)?|【?打印(?:内容|本页)?】?【?关闭(?:窗口|本页)?】?|分享到.*|扫一扫.*|浏览次数:?\d*|字号[:：]?.*|上一篇.*|下一篇.*|相关链接.*|返回顶部|网站地图|联系我们)$/;

/**
 * How a line of CHROME can start before NFKC and the removal of spaces: one of the first
 * characters of its words, or a character NFKC may change (into one of them, or into Han at
 * all). A cheap test first.
 */
const CHROME_START = new RegExp(`^[\\s\\u3000\\u00a0]*[账手还立登注附【打关分扫浏字上下相返网联${NFKC_CHANGES}${MAY_BECOME_HAN}]`);

/** CHROME_START's class of first characters, for one code unit. */
const CHROME_WORDS = new Set([...'账手还立登注附【打关分扫浏字上下相返网联'].map((ch) => ch.charCodeAt(0)));
/**
 * Can a line whose first character (after white space) is `c` be CHROME's? A full-width form of
 * ASCII (`（`, `Ａ`) cannot: NFKC makes it the ASCII character, which starts none of its words.
 */
const chromeFirst = (c: number) => CHROME_WORDS.has(c) || mayBecomeHan(c) || (mayChange(c) && narrowed(c) === null);

export function isChrome(text: string): boolean {
  // the text's first character, after white space, decides most lines without the pattern
  const i = skipSpace(text);
  if (i < text.length && !chromeFirst(text.charCodeAt(i))) return false;
  return CHROME_START.test(text) && CHROME.test(compact(text));
}

/**
 * Section texts: the rows between headings, without table rows and page chrome. Text before
 * section 一 (after the title row `titleRow`) is the preamble, section 0.
 */
export function sectionsOf(doc: SourceDocument, headings: Heading[], tableRows: (row: number) => boolean, titleRow: number): Section[] {
  const collect = (from: number, to: number) => {
    const texts: string[] = [];
    const lines: Position[] = [];
    for (let i = from; i < to; i++) {
      const r = doc.rows[i]!;
      if (tableRows(i) || r.furniture) continue;
      const full = rowText(doc, r);
      const text = trim(full);
      if (!text || isChrome(text)) continue;
      const first = r.cells[0]!;
      const lead = skipSpace(full);
      const start = rowStart(r) + lead;
      texts.push(text);
      lines.push({ offset: start, length: text.length, line: first.line, column: start - (first.offset - (first.column - 1)) + 1 });
    }
    return { text: texts.join('\n'), lines };
  };
  const out: Section[] = [];
  const firstHeading = headings[0]?.row ?? doc.rows.length;
  if (titleRow + 1 < firstHeading) {
    const pre = collect(titleRow + 1, firstHeading);
    if (pre.lines.length) out.push({ number: 0, title: '', position: pre.lines[0]!, ...pre });
  }
  headings.forEach((h, k) => {
    out.push({ number: h.number, title: h.title, position: h.position, ...collect(h.row + 1, headings[k + 1]?.row ?? doc.rows.length) });
  });
  return out;
}

/** The source position of character `index` of a section's text. */
export function positionIn(section: Section, index: number, length = 1): Position | null {
  let at = 0;
  for (const line of section.lines) {
    if (index <= at + line.length) {
      const d = Math.max(0, index - at);
      return { offset: line.offset + d, length, line: line.line, column: line.column + d };
    }
    at += line.length + 1;
  }
  return null;
}
