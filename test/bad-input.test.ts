/** Input that is not a readable report gets one clear reason, never a crash or a hang. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse, ParseError, ReadError } from '../src/index.ts';
import { readFixture, SEEDS } from './helpers.ts';

const reason = (input: Uint8Array | string): string => {
  try {
    parse(input);
  } catch (e) {
    assert.ok(e instanceof ParseError || e instanceof ReadError, `unexpected ${(e as Error).name}: ${(e as Error).stack}`);
    return (e as Error).message;
  }
  return 'parsed';
};

describe('bad input', () => {
  it('an empty file', () => assert.equal(reason(new Uint8Array()), 'empty file'));
  it('binary bytes', () => assert.match(reason(new Uint8Array([1, 2, 0, 4, 5])), /binary data/));
  it('an unrelated web page', () => {
    const html = '<!doctype html><html><head><meta charset="utf-8"><title>首页</title></head><body><nav>首页 | 政务公开 | 办事服务</nav><p>欢迎访问本网站。2024年共发布信息 12 条。</p></body></html>';
    assert.match(reason(html), /not an annual report: no table 三 found/);
  });
  it('a report cut off in the middle of table 三', () => {
    const lines = readFixture(SEEDS.pipes).toString('utf8').split('\n');
    const cut = lines.slice(0, lines.findIndex((l) => l.startsWith('4.保护第三方合法权益')) + 1).join('\n');
    assert.match(reason(cut), /cut off: table 三 ends after row 4\.保护第三方合法权益/);
  });
  it('a report with only its narrative (tables removed)', () => {
    const text = readFixture(SEEDS.pipes).toString('utf8').split('\n').filter((l) => !l.includes('|')).join('\n');
    assert.match(reason(text), /no table 三 found/);
  });
  it('a 50 MB file of text is read through and refused, without running out of memory', { timeout: 120_000 }, () => {
    const para = '2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年共主动公开政府信息125条，其中规范性文件3件。\n';
    const big = para.repeat(Math.ceil((50 * 1024 * 1024) / Buffer.byteLength(para)));
    assert.match(reason(new TextEncoder().encode(big)), /no table 三 found/);
  });
  it('a 50 MB file with a real report at its end is still read', { timeout: 120_000 }, () => {
    const filler = '浏览次数：1024\n'.repeat(2_500_000);
    const r = parse(filler + readFixture(SEEDS.tabs).toString('utf8'));
    assert.equal(r.cells['t2.license.decisions']!.value, '34');
  });
});
