/**
 * The HTML reader: a government web page → SourceDocument.
 *
 * Encoding: BOM, then the page's own declaration (meta charset / http-equiv, XML declaration)
 * checked against the bytes, then sniffing (strict UTF-8, else GB18030 or Big5 by which one
 * reads as Chinese). Parsing: parse5, which builds the tree a browser would from broken markup
 * (unclosed cells, tables inside paragraphs). Tables become grids with rowspan/colspan honoured;
 * a table that holds other tables is page layout and is read as text blocks.
 *
 * The article is found as the smallest element that holds every sign of the report (its
 * section headings, its statistical tables, its title); navigation, footers, share bars and
 * the like are left out. Every cell's origin is its character offset in the decoded HTML.
 */
import { parse, type DefaultTreeAdapterMap } from 'parse5';
import type { Origin, SourceDocument } from '../types.ts';
import { DocumentBuilder, joinPieces, type CellInput } from './builder.ts';
import { ReadError } from './text.ts';

type Node = DefaultTreeAdapterMap['node'];
type Element = DefaultTreeAdapterMap['element'];
type TextNode = DefaultTreeAdapterMap['textNode'];

// ------------------------------------------------------------------ encoding

const GB_LABELS = /^(?:gb2312|gbk|x-gbk|gb_2312-80|chinese|csgb2312|csiso58gb231280|iso-ir-58|gb18030|cp936|ms936|windows-936)$/i;
const BIG5_LABELS = /^(?:big5|big5-hkscs|cn-big5|csbig5|x-x-big5)$/i;
const UTF8_LABELS = /^(?:utf-?8|unicode-1-1-utf-8)$/i;

/** Characters frequent in reports, simplified and traditional: the sniffing score. */
const COMMON = new Set('的一是在不了有和人这中大为上个国我以要时来用们到作地于出就分对成会可主发年动同工能下过产种面而方后多定行学法所民得经政府信息公开申请报告情况度局市县区省部门办理收件数总计处复议诉讼資訊開請報況處這個國為們來時說產種動會對發過學經');

function score(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length && i < 20000; i++) if (COMMON.has(text[i]!)) n++;
  return n;
}

function declaredCharset(bytes: Uint8Array): string | null {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const m = /<meta[^>]*?charset\s*=\s*["']?\s*([\w:.-]+)/i.exec(head) ?? /<\?xml[^>]*encoding\s*=\s*["']([\w.-]+)/i.exec(head);
  return m ? m[1]!.toLowerCase() : null;
}

function tryDecode(label: string, bytes: Uint8Array, fatal: boolean): string | null {
  try {
    return new TextDecoder(label, { fatal }).decode(bytes);
  } catch {
    return null;
  }
}

/** Decode an HTML page; `encoding` says what was used and why. */
export function decodeHtml(bytes: Uint8Array): { text: string; encoding: string } {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8 (BOM)' };
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return { text: new TextDecoder('utf-16le').decode(bytes.subarray(2)), encoding: 'utf-16le (BOM)' };
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return { text: new TextDecoder('utf-16be').decode(bytes.subarray(2)), encoding: 'utf-16be (BOM)' };
  const declared = declaredCharset(bytes);
  const utf8 = tryDecode('utf-8', bytes, true);
  if (declared) {
    if (UTF8_LABELS.test(declared)) {
      if (utf8 !== null) return { text: utf8, encoding: 'utf-8 (declared)' };
      // a page declared UTF-8 whose bytes are not: the declaration is wrong, sniff below
    } else if (GB_LABELS.test(declared) || BIG5_LABELS.test(declared)) {
      // A page in pure ASCII+UTF-8 that declares GBK was re-encoded by a proxy or a scraper.
      if (utf8 !== null && /[^\x00-\x7f]/.test(utf8) && score(utf8) > 0) return { text: utf8, encoding: `utf-8 (declared ${declared}, bytes are UTF-8)` };
      const label = GB_LABELS.test(declared) ? 'gb18030' : 'big5';
      return { text: new TextDecoder(label).decode(bytes), encoding: `${label} (declared ${declared})` };
    } else {
      const text = tryDecode(declared, bytes, false);
      if (text !== null) return { text, encoding: `${declared} (declared)` };
    }
  }
  if (utf8 !== null) return { text: utf8, encoding: 'utf-8' };
  const gb = new TextDecoder('gb18030').decode(bytes);
  const big5 = new TextDecoder('big5').decode(bytes);
  return score(big5) > score(gb) * 1.2 ? { text: big5, encoding: 'big5 (sniffed)' } : { text: gb, encoding: 'gb18030 (sniffed)' };
}

// ------------------------------------------------------------------ page structure

/** Elements that never hold report text. */
const SKIP = new Set(['head', 'script', 'style', 'noscript', 'template', 'nav', 'aside', 'iframe', 'object', 'embed', 'select', 'option', 'button', 'input', 'textarea', 'svg', 'canvas', 'map', 'audio', 'video']);
/** Class or id words of page chrome on government sites (导航, 面包屑, 分享, 相关链接, 页脚…). */
const CHROME = /(?:^|[\s_-])(?:nav|navbar|menu|footer|foot|bottom|breadcrumbs?|crumbs?|position|share|bdshare|related|relate|sidebar|side|copyright|toolbar|topbar|search|login|friendlinks?|links)(?:[\s_-]|$)/i;
/** Elements that end a line of text. */
const BLOCK = new Set(['address', 'article', 'blockquote', 'body', 'caption', 'center', 'dd', 'div', 'dl', 'dt', 'fieldset', 'figcaption', 'figure', 'footer', 'form', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'header', 'hr', 'li', 'main', 'ol', 'p', 'pre', 'section', 'table', 'tbody', 'td', 'tfoot', 'th', 'thead', 'tr', 'ul']);

/** Elements that hold an article; the LCA of the signs is widened to one of these. */
const CONTAINER = new Set(['body', 'div', 'article', 'section', 'main', 'td', 'form', 'center', 'table']);

// (a property read, not `'tagName' in n`: the `in` test over parse5's many node shapes was a third of a cell's reading)
const isElement = (n: Node): n is Element => (n as Element).tagName !== undefined;
const isText = (n: Node): n is TextNode => n.nodeName === '#text';
function attr(el: Element, name: string): string | undefined {
  const attrs = el.attrs;
  for (let i = 0; i < attrs.length; i++) if (attrs[i]!.name === name) return attrs[i]!.value;
  return undefined;
}

function isChrome(el: Element): boolean {
  if (SKIP.has(el.tagName)) return true;
  const cls = attr(el, 'class');
  const id = attr(el, 'id');
  return !!(cls || id) && CHROME.test(`${cls ?? ''} ${id ?? ''}`);
}

const NO_CHILDREN: Node[] = [];
function children(n: Node): Node[] {
  if (n.nodeName === 'template') return [];
  return (n as Element).childNodes ?? NO_CHILDREN;
}

function textOf(n: Node, limit = Infinity): string {
  if (isText(n)) return n.value;
  if (isElement(n) && SKIP.has(n.tagName)) return '';
  let s = '';
  for (const c of children(n)) {
    s += textOf(c, limit - s.length);
    if (s.length >= limit) break;
  }
  return s;
}

function hasDescendant(n: Node, tag: string): boolean {
  for (const c of children(n)) if (isElement(c) && (c.tagName === tag || hasDescendant(c, tag))) return true;
  return false;
}

const leaf = new WeakMap<Element, boolean>();
/** A table with no table inside: a real grid (a table holding tables is page layout). Asked twice per table, computed once. */
function isLeafTable(el: Element): boolean {
  let v = leaf.get(el);
  if (v === undefined) leaf.set(el, (v = !hasDescendant(el, 'table')));
  return v;
}

/** The origin of a source span (parse5 offsets count characters of the decoded page). */
function originOf(loc: { startOffset: number; endOffset: number } | null | undefined): Origin | undefined {
  return loc ? { offset: loc.startOffset, length: loc.endOffset - loc.startOffset } : undefined;
}

const SIGN_TEXT = /^[\s\u3000]*(?:[一二三四五六]、|（[一二三四五六]）)|年度报告|(?:发布|生成|成文)(?:时间|日期)/;
const SIGN_TABLE = /申请人情况|本年新收|行政复议|信息内容|本年制发|本年处理决定/;

/**
 * SIGN_TABLE.test(textOf(table)) without joining the table's text: each text node is tested
 * with the five characters before it (a sign is six characters at most, so one that spans nodes
 * is still seen), and the walk stops at the first sign.
 */
function hasSign(table: Element): boolean {
  let tail = '';
  const visit = (n: Node): boolean => {
    if (isText(n)) {
      const s = tail + n.value;
      if (SIGN_TABLE.test(s)) return true;
      tail = s.slice(-5);
      return false;
    }
    if (isElement(n) && SKIP.has(n.tagName)) return false;
    for (const c of children(n)) if (visit(c)) return true;
    return false;
  };
  return visit(table);
}

/** The elements on the path from the root to `n`. */
function ancestors(n: Node): Node[] {
  const path: Node[] = [];
  for (let p: Node | null = n; p; p = (p as Element).parentNode ?? null) path.unshift(p);
  return path;
}

/** The smallest element holding every sign of a report (headings, tables, title, date). */
function articleRoot(body: Element): Element {
  const signs: Node[] = [];
  const visit = (n: Node, inLink: boolean) => {
    if (isText(n)) {
      if (!inLink && n.value.length < 200 && SIGN_TEXT.test(n.value)) signs.push(n);
      return;
    }
    if (!isElement(n)) return;
    if (isChrome(n)) return;
    if (n.tagName === 'table' && isLeafTable(n) && hasSign(n)) { signs.push(n); return; }
    for (const c of children(n)) visit(c, inLink || n.tagName === 'a');
  };
  visit(body, false);
  if (signs.length === 0) return body;
  let common = ancestors(signs[0]!);
  for (const s of signs.slice(1)) {
    const path = ancestors(s);
    let i = 0;
    while (i < common.length && i < path.length && common[i] === path[i]) i++;
    common = common.slice(0, i);
  }
  // the smallest container (not the heading's own paragraph) holding them all
  for (let i = common.length - 1; i >= 0; i--) {
    const n = common[i]!;
    if (isElement(n) && CONTAINER.has(n.tagName)) return n;
  }
  return body;
}

// ------------------------------------------------------------------ walking

interface Span { startOffset: number; endOffset: number }

class Walker {
  private parts: string[] = [];
  private span: Span | null = null;
  private readonly b: DocumentBuilder;

  constructor(b: DocumentBuilder) {
    this.b = b;
  }

  text(n: TextNode): void {
    this.parts.push(n.value);
    const loc = n.sourceCodeLocation;
    if (loc) {
      if (!this.span) this.span = { startOffset: loc.startOffset, endOffset: loc.endOffset };
      else this.span.endOffset = loc.endOffset;
    }
  }

  flush(): void {
    const text = this.parts.join('').replace(/[ \t\n\r\f]+/g, ' ');
    if (text.trim() !== '') this.b.paragraph(text, originOf(this.span));
    this.parts = [];
    this.span = null;
  }

  walk(n: Node): void {
    if (isText(n)) { this.text(n); return; }
    if (!isElement(n) || isChrome(n)) return;
    const tag = n.tagName;
    if (tag === 'br') { this.flush(); return; }
    if (tag === 'table' && isLeafTable(n)) {
      this.flush();
      this.b.table(tableRows(n));
      return;
    }
    const block = BLOCK.has(tag);
    if (block) this.flush();
    for (const c of children(n)) this.walk(c);
    if (block) this.flush();
  }
}

/** What a cell's nodes give: its lines so far (none until a line breaks), the line being read, and the source span of its text. */
interface CellText { lines: string[] | null; cur: string; start: number; end: number }

function cellText(n: Node, s: CellText): void {
  if (isText(n)) {
    s.cur += n.value;
    const loc = n.sourceCodeLocation;
    if (loc) { if (s.start < 0) s.start = loc.startOffset; s.end = loc.endOffset; }
    return;
  }
  if (!isElement(n) || SKIP.has(n.tagName)) return;
  const breaks = n.tagName === 'br' || BLOCK.has(n.tagName);
  if (breaks) { (s.lines ??= []).push(s.cur); s.cur = ''; }
  for (const c of children(n)) cellText(c, s);
  if (breaks) { (s.lines ??= []).push(s.cur); s.cur = ''; }
}

/** A rowspan or colspan: a positive whole number, else 1. */
function spanValue(v: string | undefined): number {
  if (v === undefined) return 1;
  const n = Number.parseInt(v, 10);
  return Number.isFinite(n) && n > 0 ? n : 1;
}

/** The text of a cell: lines (<br>, <p>, <div>) joined the way a reader would read them. */
function cellInput(td: Element): CellInput {
  const s: CellText = { lines: null, cur: '', start: -1, end: -1 };
  for (const c of children(td)) cellText(c, s);
  const text = joinPieces(s.lines ? [...s.lines, s.cur] : [s.cur]);
  const origin = originOf(s.start >= 0 ? { startOffset: s.start, endOffset: s.end } : td.sourceCodeLocation);
  const rowSpan = spanValue(attr(td, 'rowspan'));
  const colSpan = spanValue(attr(td, 'colspan'));
  return origin ? { text, rowSpan, colSpan, origin } : { text, rowSpan, colSpan };
}

function tableRows(table: Element): CellInput[][] {
  const rows: CellInput[][] = [];
  const visit = (n: Node) => {
    if (!isElement(n)) return;
    if (n.tagName === 'tr') {
      rows.push(children(n).filter((c): c is Element => isElement(c) && (c.tagName === 'td' || c.tagName === 'th')).map(cellInput));
      return;
    }
    if (n.tagName === 'caption') return;
    for (const c of children(n)) visit(c);
  };
  for (const c of children(table)) visit(c);
  return rows;
}

function find(n: Node, tag: string): Element | null {
  for (const c of children(n)) {
    if (!isElement(c)) continue;
    if (c.tagName === tag) return c;
    const f = find(c, tag);
    if (f) return f;
  }
  return null;
}

/** Lines outside the article that meta needs: the page's date line (发布时间…). */
function dateLines(body: Element, root: Element, b: DocumentBuilder): void {
  if (root === body) return;
  const visit = (n: Node) => {
    if (n === root) return;
    if (isText(n)) {
      if (n.value.length < 200 && /(?:发布|生成|成文)(?:时间|日期)/.test(n.value)) {
        b.paragraph(n.value.replace(/\s+/g, ' '), originOf(n.sourceCodeLocation));
      }
      return;
    }
    if (!isElement(n) || isChrome(n) || n.tagName === 'a') return;
    for (const c of children(n)) visit(c);
  };
  visit(body);
}

/** Deeper element nesting than this is no web page but a hostile file (the Word and Excel readers stop at the same depth). */
export const MAX_HTML_DEPTH = 256;

/**
 * How deep the tree goes, or a depth past MAX_HTML_DEPTH as soon as one is seen (the readers
 * below recurse without a bound: this is asked first). It recurses itself only as deep as that.
 */
function depth(n: Node, d = 0): number {
  if (d > MAX_HTML_DEPTH) return d;
  let max = d;
  for (const c of children(n)) {
    if (!isElement(c)) continue;
    const below = depth(c, d + 1);
    if (below > max) max = below;
    if (max > MAX_HTML_DEPTH) return max;
  }
  return max;
}

/** Read an HTML page into a SourceDocument. */
export function readHtml(bytes: Uint8Array, name = '<input>'): SourceDocument {
  const { text, encoding } = decodeHtml(bytes);
  const doc = parse(text, { sourceCodeLocationInfo: true });
  if (depth(doc) > MAX_HTML_DEPTH) throw new ReadError('limit', `HTML elements nested more than ${MAX_HTML_DEPTH} deep: not a web page's layout`);
  const b = new DocumentBuilder();
  const title = find(doc, 'title');
  const body = find(doc, 'body');
  if (!body) throw new ReadError('empty', 'an HTML page with no body');
  const root = articleRoot(body);
  // The page <title> names the report when the article's own heading is outside it; the site's
  // name after a separator (…年度报告_某某市人民政府) is not part of the title.
  if (title) {
    const t = textOf(title).replace(/\s+/g, ' ').trim().replace(/\s*[_|｜—-]+\s*[^_|｜—-]*$/, (m) => (/年度报告/.test(m) ? m : ''));
    if (/年度报告/.test(t) && !/年度报告/.test(textOf(root, 400).slice(0, 400))) b.paragraph(t, originOf(title.sourceCodeLocation));
  }
  dateLines(body, root, b);
  new Walker(b).walk(root);
  if (b.empty) throw new ReadError('empty', 'an HTML page with no text');
  return b.finish({ name, encoding, bytes: bytes.length, format: 'html' });
}
