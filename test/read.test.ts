import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { controlIn, decode, readText, ReadError, textToRows } from '../src/read/text.ts';
import { CHANGES, compact, MAY_BECOME_HAN, mayBecomeHan, mayChange, NFKC_CHANGES, NFKC_STABLE, narrowed, nfkc, normalize, ownCopy, rawIndex, skipSpace, skipSpaceBack } from '../src/read/normalize.ts';
import { parse } from '../src/index.ts';
import { formatCells } from '../src/format/cells.ts';
import { readFixture, SEEDS } from './helpers.ts';
import { CHROME, headStart, isChrome } from '../src/extract/sections.ts';

describe('decoding', () => {
  it('reads GBK bytes as the same report as UTF-8', () => {
    const utf8 = readFixture(SEEDS.tabs);
    const text = utf8.toString('utf8');
    // GB18030 encode via a round trip table: every char of the seed is in GBK
    const encoded = encodeGb18030(text);
    assert.equal(decode(encoded).encoding, 'gb18030');
    assert.equal(formatCells(parse(encoded)), formatCells(parse(utf8)));
  });
  it('strips a UTF-8 byte order mark', () => {
    const r = decode(new Uint8Array([0xef, 0xbb, 0xbf, 0x61]));
    assert.deepEqual(r, { text: 'a', encoding: 'utf-8' });
  });
  it('refuses empty input, NUL bytes and known binary formats with the reason', () => {
    assert.throws(() => decode(new Uint8Array()), (e: unknown) => e instanceof ReadError && e.message === 'empty file');
    assert.throws(() => decode(new Uint8Array([0x61, 0, 0x62])), /binary data/);
    assert.throws(() => decode(new TextEncoder().encode('%PDF-1.7\n...')), /a PDF file, not text/);
    assert.throws(() => decode(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2])), /ZIP container/);
    assert.throws(() => readText('  \n\t\n'), /only whitespace/);
  });
});

/** GB18030 encoder for the test, built from the platform's decoder (no encoder ships with Node). */
function encodeGb18030(text: string): Uint8Array {
  const table = new Map<string, number[]>();
  const dec = new TextDecoder('gb18030');
  for (let hi = 0x81; hi <= 0xfe; hi++) {
    for (let lo = 0x40; lo <= 0xfe; lo++) {
      if (lo === 0x7f) continue;
      const ch = dec.decode(new Uint8Array([hi, lo]));
      if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [hi, lo]);
    }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const b = table.get(ch);
      if (!b) throw new Error(`no GBK code for ${ch}`);
      out.push(...b);
    }
  }
  return new Uint8Array(out);
}

describe('binary data in text', () => {
  it('a control byte is looked for in the first 8192 bytes, by Node\'s byte search as by the pattern over the text', () => {
    const utf8 = new TextEncoder();
    const han = '政府信息公开'.repeat(500); // 9,000 bytes
    for (const [text, inHead] of [
      ['一、总体情况\t\n\r\v\f', false], ['\x01规章', true], [`${'a'.repeat(8191)}\x00`, true], [`${'a'.repeat(8192)}\x00`, false],
      [`${han}\x1f`, false], [`${han.slice(0, 2730)}\x1b${han}`, true], [`${han.slice(0, 2731)}\x1b${han}`, false],
    ] as const) {
      const bytes = utf8.encode(text);
      assert.equal(controlIn(bytes, text), inHead, JSON.stringify(text.slice(0, 12)));
      // the pattern, without Node, looks at the first 8192 characters: those bytes and perhaps more
      if (inHead) assert.equal(controlIn(bytes, text, null), true);
      else assert.equal(controlIn(bytes, text, null), /[\x00-\x08\x0e-\x1f]/.test(text.slice(0, 8192)));
      // beyond the first 8192 bytes a control character is no sign of binary data either way
      assert.doesNotThrow(() => inHead || decode(bytes));
    }
    assert.throws(() => decode(utf8.encode(`${'a'.repeat(8191)}\x00`)), /NUL/);
  });
});

describe('splitting lines into cells', () => {
  it('pipes: a trailing pipe ends the row, a leading one opens a Markdown row', () => {
    assert.deepEqual(textToRows('规章 | 0 | 1 |')[0]!.cells.map((c) => c.raw.trim()), ['规章', '0', '1']);
    assert.deepEqual(textToRows('| 规章 | 0 | 1 |')[0]!.cells.map((c) => c.raw.trim()), ['规章', '0', '1']);
    assert.deepEqual(textToRows('||')[0]!.cells.map((c) => c.raw), ['', '']);
  });
  it('skips Markdown separator rows and keeps blank cells inside a row', () => {
    const rows = textToRows('| a | b |\n|---|:---:|\n| 1 |  |');
    assert.equal(rows.length, 2);
    assert.deepEqual(rows[1]!.cells.map((c) => c.raw.trim()), ['1', '']);
  });
  it('tabs, with offsets pointing into the text', () => {
    const text = 'x\n规章\t0\t12';
    const cell = textToRows(text)[1]!.cells[2]!;
    assert.equal(text.slice(cell.offset, cell.offset + 2), '12');
    assert.equal(cell.line, 2);
    assert.equal(cell.column, 6);
  });
  it('lines end at \\r\\n, \\n or a lone \\r, and empty lines still count', () => {
    const rows = textToRows('a|b\r\n|---|---|\r\n\r\n1|2\rx');
    assert.deepEqual(rows.map((r) => [r.line, r.cells.map((c) => c.raw)]), [[1, ['a', 'b']], [4, ['1', '2']], [5, ['x']]]);
    assert.equal(rows[0]!.header, true);
    // a rule line with a blank line between it and the row above makes no header
    assert.equal(textToRows('a|b\n\n|---|---|\n1|2')[0]!.header, undefined);
  });
  it('a separator or heading after whitespace other than spaces is still one', () => {
    // a form feed (a page break) before a rule line, an ideographic space before a heading's #s
    const rows = textToRows('a|b\n\f|---|---|\n\u3000## 四、结转情况\n   #no heading\n#### 标题');
    assert.equal(rows[0]!.header, true);
    assert.deepEqual(rows.slice(1).map((r) => r.cells[0]!.raw), ['四、结转情况', '   #no heading', '标题']);
    assert.equal(rows[1]!.cells[0]!.column, 5);
  });
  it('pipes around nothing but spaces are cells, not the edges of a Markdown row', () => {
    assert.deepEqual(textToRows('|  |  |')[0]!.cells.map((c) => c.raw), ['', '  ', '  ']);
    assert.deepEqual(textToRows(' | a |\u3000')[0]!.cells.map((c) => c.raw), [' a ']);
  });
  it('each line is cut at its own delimiters: pipes where it has one, else tabs', () => {
    const text = '规章\t0 | 1\n标题\n2\t3\nplain\n| 4 |\t5 |\n\t';
    assert.deepEqual(textToRows(text).map((r) => [r.delimited, r.cells.map((c) => c.raw)]), [
      [true, ['规章\t0 ', ' 1']], [false, ['标题']], [true, ['2', '3']], [false, ['plain']], [true, [' 4 ', '\t5 ']], [true, ['', '']],
    ]);
  });
  it('the title repeated later, however indented, is a running title; a line that only starts with it is not', () => {
    const title = '某某市民政局2020年政府信息公开工作年度报告';
    const rows = textToRows([title, '一、总体情况', 'a', 'b', 'c', 'd', 'e', `\u3000${title}  `, `${title}（续）`, ` ${title}`].join('\n'));
    assert.deepEqual(rows.map((r) => r.furniture === true), [false, false, false, false, false, false, false, true, false, true]);
  });
});

describe('normalisation', () => {
  it('maps full-width digits and brackets, and keeps raw positions', () => {
    const n = normalize('（七）总计１２');
    assert.equal(n.text, '(七)总计12');
    assert.equal(rawIndex(n, 5), 5);
  });
  it('keeps raw positions where NFKC changes length', () => {
    const n = normalize('㎡1');
    assert.equal(n.text, 'm21');
    assert.equal(rawIndex(n, 2), 1);
  });
  it('takes the short way only where it is exactly NFKC', () => {
    // every character the short way keeps is one NFKC keeps, and every one it maps is mapped so by NFKC
    for (const [a, b] of NFKC_STABLE) {
      for (let c = a; c <= b; c++) assert.equal(String.fromCharCode(c).normalize('NFKC'), String.fromCharCode(c), `U+${c.toString(16)}`);
    }
    for (let c = 0; c < 0x10000; c++) {
      const n = narrowed(c);
      if (n !== null) assert.equal(String.fromCharCode(c).normalize('NFKC'), String.fromCharCode(n), `U+${c.toString(16)}`);
    }
    // mixed with characters it does not know, the whole string goes to NFKC
    for (const s of ['（一）行政许可　１２', '②（二）', '（政府信息公开…）', 'ﬁ１', '⺠族（宗教）', 'e\u0301（', '\u1100\u1161　']) {
      assert.equal(nfkc(s), s.normalize('NFKC').replace(/⺠/g, '民'), s);
    }
  });
  it('tests a short string by its table exactly as a long one by the pattern', () => {
    // CHANGES marks what NEEDS_NFKC holds (1) and what \s holds (2), for every code unit
    const nfkcClass = new RegExp(`[${NFKC_CHANGES}]`);
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(CHANGES[c], (nfkcClass.test(ch) ? 1 : 0) | (/\s/.test(ch) ? 2 : 0), `U+${c.toString(16)}`);
    }
    // and the one-character tests beside the patterns' classes
    const hanClass = new RegExp(`[${MAY_BECOME_HAN}]`);
    for (let c = 0; c < 0x10000; c++) {
      const ch = String.fromCharCode(c);
      assert.equal(mayBecomeHan(c), hanClass.test(ch), `U+${c.toString(16)}`);
      assert.equal(mayChange(c), nfkcClass.test(ch), `U+${c.toString(16)}`);
    }
    // the same text short and long (past the table's length) compacts alike
    const cell = '（一）行 政　许可１２';
    assert.equal(compact(cell), '(一)行政许可12');
    assert.equal(compact(cell.repeat(8)), '(一)行政许可12'.repeat(8));
    // every white space and every full-width form, short, as NFKC and then the removal of spaces give it
    const spaces = [...Array(0x10000).keys()].filter((c) => CHANGES[c]! & 2).map((c) => String.fromCharCode(c));
    for (const s of [...spaces.map((w) => `本年${w}新收Ａ１`), 'ＡＢ　Ｃ\u2003１', '⺠族　宗教', 'e\u0301 （', '\u200b规章', '\u1680\ufeff①']) {
      assert.equal(compact(s), nfkc(s).replace(/\s+/g, ''), JSON.stringify(s));
    }
  });
  it('skipSpace and skipSpaceBack find the ends trim cuts at, over every kind of white space', () => {
    const spaces = [' ', '\t', '\n', '\v', '\f', '\r', '\u00a0', '\u1680', '\u2000', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
    for (const s of ['', 'a', ' 18 ', '\u3000规章\u00a0', ...spaces, spaces.join(''), `${spaces.join('')}1 2${spaces.join('')}`, '\u200b1\u200b']) {
      const a = skipSpace(s);
      const b = skipSpaceBack(s, a);
      assert.equal(s.slice(a, b), s.trim(), JSON.stringify(s));
      assert.equal(a, s.length - s.trimStart().length);
    }
  });
  it('compact form removes every space, including ideographic ones', () => {
    assert.equal(compact('结 果　维 持'), '结果维持');
  });
});

describe('what is kept from report to report changes no reading', () => {
  it('a report read again, after others of both editions and every form, is read the same', () => {
    const names = ['seed000-shangqiu-mzj-2020-pipes.txt', 'seed001-wuzhong-mzj-2021-tabs.txt', 'seed002-kongtong-gov-2021-cell-per-line.txt', 'corpus/pingtan-2019-crawler-dump.txt', 'corpus/shuyang-county-gov-2025-ocr-markdown.md'];
    const read = (f: string) => JSON.stringify(parse(readFixture(f), { name: f, partial: true }));
    const first = names.map(read);
    for (let round = 0; round < 3; round++) names.forEach((f, i) => assert.equal(read(f), first[i], `${f}, round ${round}`));
  });
  it('a compact form kept is the one made, past the table\'s bound too', () => {
    const texts = Array.from({ length: 9000 }, (_, i) => `（${i}）行 政　许可`);
    for (const pass of [0, 1]) for (const t of texts) assert.equal(compact(t), nfkc(t).replace(/\s+/g, ''), `${t}, pass ${pass}`);
  });
  it('a copy of a string is equal to it', () => {
    for (const s of ['', '规章', '（一）予以公开', 'ＡＢ　Ｃ', '𠀀x']) assert.equal(ownCopy(s), s);
  });
});

describe('a heading\'s first character', () => {
  it('is told by its code exactly as by the pattern, for every code unit after any white space', () => {
    const re = /^\s*[一二三四五六七八九十\u2e80-\u2fdf\uf900-\ufaff]/;
    for (let c = 0; c < 0x10000; c++) {
      for (const text of [String.fromCharCode(c), ` \u3000${String.fromCharCode(c)}、总体情况`]) assert.equal(headStart(text), re.test(text), `U+${c.toString(16)}`);
    }
  });
});

describe('page chrome', () => {
  it('a line is told chrome by its first character exactly as by the pattern on its compact form', () => {
    // every code unit first, before nothing and before the rest of each of the pattern's words
    for (let c = 0; c < 0x10000; c++) {
      for (const rest of ['', '一篇', '享到本页', '号:12', '即注册', '件:', '印本页】', ' 览次数 3']) {
        const text = String.fromCharCode(c) + rest;
        assert.equal(isChrome(text), CHROME.test(compact(text)), `U+${c.toString(16)} ${rest}`);
      }
    }
  });
});
