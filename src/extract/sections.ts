/**
 * The six section headings (一、总体情况 … 六、其他需要报告的事项) and the narrative between them.
 */
import { compact } from '../read/normalize.ts';
import { SECTIONS } from '../schema/editions.ts';
import type { Position, Section, SourceDocument, SourceRow } from '../types.ts';

export interface Heading { number: number; row: number; title: string; position: Position }

const NUMERALS = '一二三四五六';
const HEAD = /^([一二三四五六])[、.，,．:：]\s*(.*)$/;
/** Table 三's row labels also start 一、二、三、四、: they are never section headings. */
const T3_ROW_LABEL = /本年新收|上年结转|本年度办理结果|结转下年度/;

export function rowText(doc: SourceDocument, r: SourceRow): string {
  const first = r.cells[0]!;
  const last = r.cells[r.cells.length - 1]!;
  return doc.text.slice(first.offset - (first.column - 1), last.offset + last.raw.length);
}

/** Headings in order; a section may be missing (its heading left out by the publisher). */
export function findHeadings(doc: SourceDocument): Heading[] {
  const found: Heading[] = [];
  let next = 1;
  for (let i = 0; i < doc.rows.length && next <= 6; i++) {
    const r = doc.rows[i]!;
    const raw = r.cells.map((c) => c.raw).join('').trim();
    if (raw.length > 60) continue;
    const m = HEAD.exec(compact(raw));
    if (!m) continue;
    const n = NUMERALS.indexOf(m[1]!) + 1;
    if (n < next || T3_ROW_LABEL.test(m[2]!) || !SECTIONS[n - 1]!.match.test(m[2]!)) continue;
    const c = r.cells[0]!;
    const lead = c.raw.length - c.raw.trimStart().length;
    found.push({ number: n, row: i, title: raw, position: { offset: c.offset + lead, length: raw.length, line: c.line, column: c.column + lead } });
    next = n + 1;
  }
  return found;
}

/** Web-page furniture that is not part of any report. */
const CHROME = /^(?:账号\+?密码登录|手机\+?密码登录|还没有账号\??|立即注册|登录|注册|附件下载|附件:?|【?打印(?:内容|本页)?】?|【?关闭(?:窗口|本页)?】?(?:【?关闭(?:窗口|本页)?】?)?|【?打印(?:内容|本页)?】?【?关闭(?:窗口|本页)?】?|分享到.*|扫一扫.*|浏览次数:?\d*|字号[:：]?.*|上一篇.*|下一篇.*|相关链接.*|返回顶部|网站地图|联系我们)$/;

export function isChrome(text: string): boolean {
  return CHROME.test(compact(text));
}

/** Section texts: the rows between headings, without table rows and page chrome. */
export function sectionsOf(doc: SourceDocument, headings: Heading[], tableRows: (row: number) => boolean): Section[] {
  return headings.map((h, k) => {
    const end = headings[k + 1]?.row ?? doc.rows.length;
    const lines: string[] = [];
    for (let i = h.row + 1; i < end; i++) {
      if (tableRows(i)) continue;
      const text = rowText(doc, doc.rows[i]!).trim();
      if (text && !isChrome(text)) lines.push(text);
    }
    return { number: h.number, title: h.title, text: lines.join('\n'), position: h.position };
  });
}
