/**
 * XML parts of Office files (DOCX, XLSX), walked by a scanner of our own.
 *
 * Why not a library: the conforming SAX parser we used (saxes) reads a character at a time
 * and was 40 % of reading an XLSX; the fast ones are not strict (ltx, which does not match
 * close tags or refuse a DTD), or pay more per small part than they save (sax-wasm, five
 * times slower than saxes on a 5 kB sheet). A part is one string already in memory, so this
 * scanner moves from mark to mark by character code (indexOf only for the ends of comments,
 * CDATA and processing instructions), and cuts an attribute out only when a handler asks.
 *
 * What it holds to, as saxes did:
 *  - a DOCTYPE is refused, so no entity a DTD declares is ever expanded (an entity bomb is an
 *    error, not a billion strings); the only entities are XML's five and character references;
 *  - tags must nest and match, one root element, quoted attributes, no duplicate attribute,
 *    no `<` in an attribute value, no text outside the root, nothing left unclosed;
 *  - line ends are normalised (CR LF and CR → LF), and in attribute values tab and line ends
 *    become spaces (XML 1.0 §2.11, §3.3.3); CDATA is text;
 *  - elements nest at most MAX_XML_DEPTH deep.
 * Not checked: which characters a name may hold, control characters in text, `--` in a comment.
 * Errors name the part and the offset. A tag's offset is just after its `>`.
 */
import { ReadError } from './text.ts';

/**
 * A tag's attributes, read when asked: most are never read (a cell's style, a paragraph's
 * revision ids), so none is cut out or decoded before. Valid only during the `open` call.
 */
export interface XmlAttrs {
  get(name: string): string | undefined;
  /** Every attribute, as a record. */
  all(): Record<string, string>;
}

export interface XmlHandlers {
  open(name: string, attrs: XmlAttrs, offset: number): void;
  close(name: string): void;
  text(text: string): void;
}

export const MAX_XML_DEPTH = 256;

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

const isSpace = (c: number) => c === 32 || c === 10 || c === 9 || c === 13;

/** Characters XML 1.0 allows (§2.2), for character references. */
const allowed = (c: number) => c === 9 || c === 10 || c === 13 || (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) || (c >= 0x10000 && c <= 0x10ffff);

export function walkXml(xml: string, part: string, h: XmlHandlers): void {
  const fail = (why: string, at: number): never => {
    throw new ReadError('corrupt', `${part} is not well-formed XML (${why} at offset ${at})`);
  };

  /**
   * xml[from, to) as text, an attribute value or CDATA: line ends normalised and, outside
   * CDATA, entities decoded.
   */
  const decode = (from: number, to: number, attr: boolean, cdata = false): string => {
    let i = from;
    for (; i < to; i++) {
      const c = xml.charCodeAt(i);
      if ((c === 38 && !cdata) || c === 13 || (attr && (c === 10 || c === 9))) break;
    }
    if (i === to) return xml.slice(from, to);
    let out = xml.slice(from, i);
    let run = i;
    for (; i < to; i++) {
      const c = xml.charCodeAt(i);
      if (c === 13) {
        out += xml.slice(run, i) + (attr ? ' ' : '\n');
        if (xml.charCodeAt(i + 1) === 10 && i + 1 < to) i++;
        run = i + 1;
      } else if (attr && (c === 10 || c === 9)) {
        out += xml.slice(run, i) + ' ';
        run = i + 1;
      } else if (c === 38 && !cdata) {
        const semi = xml.indexOf(';', i);
        if (semi < 0 || semi >= to || semi - i > 12) fail('an unterminated entity reference', i);
        const name = xml.slice(i + 1, semi);
        let ch = NAMED[name];
        if (ch === undefined || !Object.hasOwn(NAMED, name)) {
          const hex = name.charCodeAt(1) === 120; // &#x…;
          const digits = name.slice(hex ? 2 : 1);
          const code = name.charCodeAt(0) === 35 && (hex ? /^[0-9a-fA-F]+$/ : /^[0-9]+$/).test(digits) ? parseInt(digits, hex ? 16 : 10) : NaN;
          if (Number.isNaN(code)) fail(`an undefined entity &${name};`, i);
          if (!allowed(code)) fail(`a character reference to a character XML does not allow (&${name};)`, i);
          ch = String.fromCodePoint(code);
        }
        out += xml.slice(run, i) + ch;
        i = semi;
        run = i + 1;
      }
    }
    return out + xml.slice(run, to);
  };

  // the open tag's attributes: [key from, key to, value from, value to] each, and the value
  // already decoded where it held an entity or a line end (decoded as read, so a bad entity
  // in an attribute nobody reads is still an error)
  let spans = new Int32Array(32);
  const decoded: Array<string | undefined> = [];
  let count = 0;
  const value = (k: number) => decoded[k] ?? xml.slice(spans[4 * k + 2]!, spans[4 * k + 3]!);
  const attrs: XmlAttrs = {
    get(key) {
      for (let k = 0; k < count; k++) {
        const a = spans[4 * k]!;
        if (spans[4 * k + 1]! - a === key.length && xml.startsWith(key, a)) return value(k);
      }
      return undefined;
    },
    all() {
      const out: Record<string, string> = {};
      for (let k = 0; k < count; k++) out[xml.slice(spans[4 * k]!, spans[4 * k + 1]!)] = value(k);
      return out;
    },
  };
  /** Key [a, z) is one the tag already has (by characters; by a set once a tag has many). */
  let many: Set<string> | null = null;
  const repeated = (a: number, z: number): boolean => {
    if (count >= 16) {
      if (!many) { many = new Set(); for (let k = 0; k < count; k++) many.add(xml.slice(spans[4 * k]!, spans[4 * k + 1]!)); }
      const key = xml.slice(a, z);
      if (many.has(key)) return true;
      many.add(key);
      return false;
    }
    outer: for (let k = 0; k < count; k++) {
      const b = spans[4 * k]!;
      if (spans[4 * k + 1]! - b !== z - a) continue;
      for (let m = 0; m < z - a; m++) if (xml.charCodeAt(a + m) !== xml.charCodeAt(b + m)) continue outer;
      return true;
    }
    return false;
  };

  const stack: string[] = [];
  let rootSeen = false;
  const n = xml.length;
  let i = xml.charCodeAt(0) === 0xfeff ? 1 : 0;

  // Loops over character codes, not indexOf: the runs between marks are short (a cell is
  // `<c r="B3" t="s"><v>7</v></c>`), and a call costs more than the few characters it skips.
  while (i < n) {
    // text up to the next tag, noting whether it needs decoding
    let lt = i;
    let plain = true;
    for (; lt < n; lt++) {
      const c = xml.charCodeAt(lt);
      if (c === 60) break;
      if (c === 38 || c === 13) plain = false;
    }
    if (lt > i) {
      if (stack.length > 0) h.text(plain ? xml.slice(i, lt) : decode(i, lt, false));
      else for (let k = i; k < lt; k++) if (!isSpace(xml.charCodeAt(k))) fail(rootSeen ? 'text after the root element' : 'text before the root element', k);
    }
    if (lt >= n) break;
    const c = xml.charCodeAt(lt + 1);
    if (c === 47) { // </name>
      const open = stack.pop();
      let gt = lt + 2;
      while (gt < n && xml.charCodeAt(gt) !== 62) gt++;
      if (gt >= n) fail('an unclosed end tag', lt);
      let z = gt;
      while (z > lt + 2 && isSpace(xml.charCodeAt(z - 1))) z--;
      if (open === undefined || z - lt - 2 !== open.length || !xml.startsWith(open, lt + 2)) {
        const name = xml.slice(lt + 2, z);
        fail(open === undefined ? `an end tag </${name}> with no element open` : `an end tag </${name}> where </${open}> belongs`, lt);
      }
      h.close(open!);
      i = gt + 1;
    } else if (c === 33) { // <!-- -->, <![CDATA[ ]]>, <!DOCTYPE
      if (xml.startsWith('<!--', lt)) {
        const z = xml.indexOf('-->', lt + 4);
        if (z < 0) fail('an unclosed comment', lt);
        i = z + 3;
      } else if (xml.startsWith('<![CDATA[', lt)) {
        const z = xml.indexOf(']]>', lt + 9);
        if (z < 0) fail('an unclosed CDATA section', lt);
        if (stack.length === 0) fail('a CDATA section outside the root element', lt);
        h.text(decode(lt + 9, z, false, true));
        i = z + 3;
      } else if (xml.startsWith('<!DOCTYPE', lt)) {
        throw new ReadError('corrupt', `${part} declares a DOCTYPE, which Office files never do (an entity bomb?)`);
      } else fail('a markup declaration XML does not know', lt);
    } else if (c === 63) { // <? … ?>
      const z = xml.indexOf('?>', lt + 2);
      if (z < 0) fail('an unclosed processing instruction', lt);
      i = z + 2;
    } else { // <name attr="value" …> or …/>
      let j = lt + 1;
      for (; j < n; j++) {
        const d = xml.charCodeAt(j);
        if (d <= 32 ? isSpace(d) : d === 47 || d === 62) break;
        if (d === 60 || d === 38 || d === 61 || d === 34 || d === 39) fail('a tag with no proper name', lt);
      }
      if (j === lt + 1) fail('a tag with no proper name', lt);
      const name = xml.slice(lt + 1, j);
      count = 0;
      many = null;
      if (decoded.length !== 0) decoded.length = 0;
      let selfClosing = false;
      for (;;) {
        const before = j;
        while (j < n && isSpace(xml.charCodeAt(j))) j++;
        if (j >= n) fail(`an unclosed tag <${name}`, lt);
        const d = xml.charCodeAt(j);
        if (d === 62) { j++; break; }
        if (d === 47) {
          if (xml.charCodeAt(j + 1) !== 62) fail(`a stray / in the tag <${name}`, j);
          selfClosing = true;
          j += 2;
          break;
        }
        if (j === before) fail(`no space between attributes in the tag <${name}`, j);
        const from = j;
        for (; j < n; j++) {
          const e = xml.charCodeAt(j);
          if (e <= 32 ? isSpace(e) : e === 61 || e === 62 || e === 47) break;
          if (e === 60 || e === 38 || e === 34 || e === 39) fail(`an attribute with no proper name in the tag <${name}`, from);
        }
        const keyEnd = j;
        while (j < n && isSpace(xml.charCodeAt(j))) j++;
        if (xml.charCodeAt(j) !== 61 || keyEnd === from) fail(`an attribute with no value in the tag <${name}`, from);
        j++;
        while (j < n && isSpace(xml.charCodeAt(j))) j++;
        const q = xml.charCodeAt(j);
        if (q !== 34 && q !== 39) fail(`an unquoted attribute value in the tag <${name}`, j);
        let close = j + 1;
        let plainValue = true;
        for (; close < n; close++) {
          const e = xml.charCodeAt(close);
          if (e === q) break;
          if (e === 60) fail(`a < in an attribute value in the tag <${name}`, close);
          if (e === 38 || e === 13 || e === 10 || e === 9) plainValue = false;
        }
        if (close >= n) fail(`an unclosed attribute value in the tag <${name}`, j);
        if (repeated(from, keyEnd)) fail(`the attribute ${xml.slice(from, keyEnd)} twice in the tag <${name}`, from);
        if (4 * count + 4 > spans.length) { const grown = new Int32Array(spans.length * 2); grown.set(spans); spans = grown; }
        spans[4 * count] = from;
        spans[4 * count + 1] = keyEnd;
        spans[4 * count + 2] = j + 1;
        spans[4 * count + 3] = close;
        if (!plainValue) decoded[count] = decode(j + 1, close, true);
        count++;
        j = close + 1;
      }
      if (stack.length === 0 && rootSeen) fail('a second root element', lt);
      rootSeen = true;
      if (stack.length >= MAX_XML_DEPTH) throw new ReadError('limit', `${part} nests elements more than ${MAX_XML_DEPTH} deep`);
      h.open(name, attrs, j);
      if (selfClosing) h.close(name);
      else stack.push(name);
      i = j;
    }
  }
  if (stack.length > 0) fail(`the element <${stack[stack.length - 1]}> never closed`, n);
  if (!rootSeen) fail('no root element', n);
}
