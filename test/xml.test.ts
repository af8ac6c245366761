/**
 * The Office XML scanner (src/read/xml.ts) against saxes, the conforming parser it replaced:
 * the same events, offsets and attributes on every part of the native fixtures and on edge
 * cases, and an error wherever saxes finds the XML not well-formed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { strFromU8, unzipSync } from 'fflate';
import { SaxesParser } from 'saxes';
import { MAX_XML_DEPTH, walkXml } from '../src/read/xml.ts';
import { ReadError } from '../src/read/text.ts';

type Event = ['open', string, Record<string, string>, number] | ['close', string] | ['text', string];

function ours(xml: string): Event[] {
  const out: Event[] = [];
  walkXml(xml, 'part.xml', {
    open: (name, attrs, offset) => out.push(['open', name, attrs.all(), offset]),
    close: (name) => out.push(['close', name]),
    text: (text) => out.push(['text', text]),
  });
  return merged(out);
}

function oracle(xml: string): Event[] {
  const out: Event[] = [];
  const p = new SaxesParser({ position: true });
  let depth = 0;
  p.on('error', (e) => { throw e; });
  p.on('opentag', (t) => { depth++; out.push(['open', t.name, { ...t.attributes as Record<string, string> }, p.position]); });
  p.on('closetag', (t) => { depth--; out.push(['close', t.name]); });
  // saxes hands on the space around the root element too; nothing reads it
  p.on('text', (t) => { if (depth > 0) out.push(['text', t]); });
  p.on('cdata', (t) => out.push(['text', t]));
  p.write(xml).close();
  return merged(out);
}

/** Adjacent text events as one (saxes splits text at CDATA and comments; so do we, differently). */
function merged(events: Event[]): Event[] {
  const out: Event[] = [];
  for (const e of events) {
    const last = out[out.length - 1];
    if (e[0] === 'text' && last?.[0] === 'text') last[1] += e[1];
    else if (e[0] !== 'text' || e[1] !== '') out.push(e);
  }
  return out;
}

const NATIVE = new URL('./fixtures/native/', import.meta.url);

describe('Office XML scanner', () => {
  it('gives saxes\'s events, attributes and offsets on every part of the native DOCX and XLSX fixtures', () => {
    let parts = 0;
    for (const f of readdirSync(NATIVE).filter((f) => /\.(docx|xlsx)$/.test(f))) {
      for (const [name, data] of Object.entries(unzipSync(new Uint8Array(readFileSync(new URL(f, NATIVE)))))) {
        if (!/\.(xml|rels)$/.test(name)) continue;
        const xml = strFromU8(data);
        assert.deepEqual(ours(xml), oracle(xml), `${f}: ${name}`);
        parts++;
      }
    }
    assert.ok(parts >= 40, `${parts} parts`);
  });

  const WELL_FORMED = [
    '<a/>',
    '\ufeff<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\r\n<a>x</a>\r\n',
    '<a b="1" c=\'2\'  d = "3"><b/><c  /></a>',
    '<a b="x > y" c="tab\there\r\nline\rend"/>',
    '<a b="&lt;&amp;&gt;&quot;&apos;&#65;&#x4e2d;&#x1F600;"/>',
    '<a>&lt;1&gt; &amp; &#20013;&#x6587; &#x1f600;</a>',
    '<a>line\r\nline\rline\n</a>',
    '<a><![CDATA[<b>&amp;</b>\r\n]]>after</a>',
    '<a>x<!-- a comment <b> -->y<?pi data?>z</a>',
    '<x:a xmlns:x="urn:x"><x:b x:r="A1">1</x:b></x:a>',
    '<a>\u4e2d\u6587 \ud83d\ude00 text</a>',
    '<!-- before --><a/><!-- after -->\n',
    '<a\n  b="1"\n>t</a >',
  ];
  for (const xml of WELL_FORMED) {
    it(`reads ${JSON.stringify(xml).slice(0, 60)} as saxes does`, () => assert.deepEqual(ours(xml), oracle(xml)));
  }

  const MALFORMED = [
    '<a>', '<a></b>', '</a>', '<a></a></a>', '<a/><b/>', 'text<a/>', '<a/>text', '<a', '<a b="1>x</a>',
    '<a b=1/>', '<a b/>', '<a b="1"c="2"/>', '<a b="1" b="2"/>', '<a b="<"/>', '<a>&nbsp;</a>', '<a>&#0;</a>',
    '<a>&#xD800;</a>', '<a>&amp</a>', '<a><!-- x</a>', '<a><![CDATA[x</a>', '<a><?pi</a>', '', '   ', '<!ELEMENT a ANY><a/>',
    '<a>&#x;</a>', '<a>&#12a;</a>', '< a/>', '<a/ >',
  ];
  for (const xml of MALFORMED) {
    it(`refuses ${JSON.stringify(xml)} as saxes does, naming the part`, () => {
      assert.throws(() => oracle(xml));
      assert.throws(() => ours(xml), (e: unknown) => e instanceof ReadError && e.code === 'corrupt' && /^part\.xml is not well-formed XML \(.* at offset \d+\)$/.test(e.message));
    });
  }

  it('refuses a DOCTYPE, so a DTD\'s entities are never expanded', () => {
    assert.throws(() => ours('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "y">]><a>&x;</a>'), /part\.xml declares a DOCTYPE/);
  });

  it(`reads ${MAX_XML_DEPTH} elements deep and refuses one more`, () => {
    const deep = (n: number) => `${'<p>'.repeat(n)}${'</p>'.repeat(n)}`;
    assert.equal(ours(deep(MAX_XML_DEPTH)).length, 2 * MAX_XML_DEPTH);
    assert.throws(() => ours(deep(MAX_XML_DEPTH + 1)), (e: unknown) => e instanceof ReadError && e.code === 'limit');
    assert.throws(() => ours(`${'<p>'.repeat(MAX_XML_DEPTH)}<q/>${'</p>'.repeat(MAX_XML_DEPTH)}`), (e: unknown) => e instanceof ReadError && e.code === 'limit');
  });
});
