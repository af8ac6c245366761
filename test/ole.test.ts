/**
 * The compound-file reader (src/read/ole.ts) against cfb, the library it replaced (kept as a dev
 * dependency, as saxes is for the XML scanner): the same streams, byte for byte, from every Word
 * and Excel binary among the fixtures and from containers cfb writes (small streams in the mini
 * stream, large ones over a DIFAT chain); and a damaged container refused by name, quickly.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import CFB from 'cfb';
import { readOle, u32 } from '../src/read/ole.ts';
import { readDocument } from '../src/index.ts';
import { readFixture } from './helpers.ts';

const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const OLE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];

/** Every compound file under test/fixtures (the fuzzer's crashers aside: damaged on purpose, below). */
function oleFixtures(): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'fuzz') walk(p); }
      else if (statSync(p).size >= 512 && OLE.every((b, i) => readFileSync(p).subarray(0, 8)[i] === b)) out.push(p);
    }
  };
  walk(FIXTURES);
  return out.sort();
}

/** The root storage's children as cfb reads them: name → bytes (undefined for a storage). */
function byCfb(bytes: Uint8Array): Map<string, Uint8Array | undefined> {
  const c = CFB.read(Buffer.from(bytes), { type: 'buffer' });
  const out = new Map<string, Uint8Array | undefined>();
  c.FullPaths.forEach((p, i) => {
    const parts = p.replace(/\/$/, '').split('/');
    if (parts.length !== 2) return;
    const e = c.FileIndex[i]!;
    out.set(parts[1]!, e.type === 2 ? Uint8Array.from((e.content ?? []) as ArrayLike<number>) : undefined);
  });
  return out;
}

function assertSame(bytes: Uint8Array, what: string): void {
  const want = byCfb(bytes);
  const ole = readOle(bytes);
  assert.deepEqual([...ole.names].sort(), [...want.keys()].sort(), what);
  for (const [name, content] of want) {
    if (content === undefined) continue;
    assert.deepEqual(ole.stream(name), content, `${what}: ${name}`);
    assert.deepEqual(ole.stream(name.toLowerCase()), content, `${what}: ${name}, asked in lower case`);
  }
}

const written = (streams: Record<string, Uint8Array>) => {
  const c = CFB.utils.cfb_new();
  for (const [name, data] of Object.entries(streams)) CFB.utils.cfb_add(c, name, data);
  return Uint8Array.from(CFB.write(c, { type: 'array' }) as number[]);
};
const filled = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + seed * 7 + (i >> 8)) & 0xff);

describe('compound files (src/read/ole.ts)', () => {
  it('gives the streams cfb gives from every Word and Excel binary among the fixtures', () => {
    const files = oleFixtures();
    assert.ok(files.length >= 11, `${files.length} compound files`);
    for (const f of files) assertSame(new Uint8Array(readFileSync(f)), f);
  });

  it('gives the streams cfb gives from containers cfb writes: mini streams, streams at the cut-off, one over a DIFAT chain', () => {
    assertSame(written({ a: filled(1, 1), b: filled(63, 2), c: filled(64, 3), d: filled(4095, 4), e: filled(4096, 5), f: filled(70_000, 6), g: new Uint8Array(0) }), 'mixed sizes');
    // over 109 FAT sectors (7 MB of 512-byte sectors): the FAT's list runs on into DIFAT sectors
    const big = written({ Big: filled(8_000_000, 7), small: filled(100, 8) });
    assert.notEqual(u32(big, 68), 0xfffffffe, 'the container has DIFAT sectors');
    assertSame(big, 'DIFAT');
  });

  it('an embedded object\'s stream is not taken for the document\'s', () => {
    const c = CFB.utils.cfb_new();
    CFB.utils.cfb_add(c, 'Workbook', filled(5000, 1));
    CFB.utils.cfb_add(c, 'MBD0001/WordDocument', filled(5000, 2));
    const ole = readOle(Uint8Array.from(CFB.write(c, { type: 'array' }) as number[]));
    assert.equal(ole.stream('WordDocument'), undefined);
    assert.ok(ole.names.includes('MBD0001'));
  });

  it('a damaged container: a tree that loops is walked once round, and a chain that loops, a sector past the end or a cut file is refused by name', async () => {
    const doc = new Uint8Array(readFixture('native/seed002-kongtong-gov-2021.doc'));
    const dirAt = (u32(doc, 48) + 1) * 512;
    // a stream with no left sibling is given the root's child as one: every stream is still reached
    const loop = doc.slice();
    const child = u32(doc, dirAt + 76);
    let leaf = 1;
    while (leaf === child || doc[dirAt + 128 * leaf + 66] !== 2 || u32(doc, dirAt + 128 * leaf + 68) !== 0xffffffff) leaf++;
    loop.set(new Uint8Array(new Uint32Array([child]).buffer), dirAt + 128 * leaf + 68);
    const ole = readOle(loop);
    assert.equal(ole.damage, "the directory's tree loops");
    assert.deepEqual(ole.names, readOle(doc).names);
    assert.deepEqual(await readDocument(loop, 'loop.doc'), await readDocument(doc, 'loop.doc'));
    // the directory's chain in the FAT points to itself
    const fatAt = (u32(doc, 76) + 1) * 512;
    const chainLoop = doc.slice();
    chainLoop.set(new Uint8Array(new Uint32Array([u32(doc, 48)]).buffer), fatAt + 4 * u32(doc, 48));
    assert.throws(() => readOle(chainLoop), /the chain of the directory loops/);
    // a stream's chain that comes back to its first sector inside the stream's length: refused,
    // not read as that sector's bytes over and over (seed002's Data stream starts at sector 7)
    const dataLoop = doc.slice();
    dataLoop.set(new Uint8Array(new Uint32Array([7]).buffer), fatAt + 4 * 7);
    assert.throws(() => readOle(dataLoop).stream('Data'), /the chain of Data loops/);
    await assert.rejects(readDocument(dataLoop, 'loop.doc'), /^ReadError: a damaged Word 97-2003 file \(DOC\): the chain of Data loops$/);
    // cut in the middle: the streams' sectors lie past its end
    await assert.rejects(readDocument(doc.subarray(0, doc.length >> 1), 'cut.doc'), /damaged Office binary file \(.*(past the file's end|truncated)/);
    assert.throws(() => readOle(doc.subarray(0, 100)), /no compound file header/);
  });

  it('a tree whose siblings point back up it is walked at once, and a file whose Word streams it does not reach is refused with what is wrong (cfb walked such a directory, which the fuzzer made, for 10 s)', async () => {
    const doc = new Uint8Array(readFixture('native/seed002-kongtong-gov-2021.doc'));
    const dirAt = (u32(doc, 48) + 1) * 512;
    const twisted = doc.slice();
    for (let id = 1; id < 8; id++) twisted.set(new Uint8Array(new Uint32Array([id - 1 || 1]).buffer), dirAt + 128 * id + 72);
    assert.match(readOle(twisted).damage ?? '', /the directory's tree (loops|points)/);
    // and the fuzzer's own file (seed002's .doc with lines of it repeated), kept among its crashers
    const fuzzed = new Uint8Array(readFixture('fuzz/hang-directory-loop.doc'));
    assert.equal(readOle(fuzzed).damage, "the directory's tree loops");
    assert.ok(!readOle(fuzzed).names.includes('WordDocument'));
    await assert.rejects(readDocument(fuzzed, 'fuzzed.doc'), /damaged Office binary file \(the directory's tree loops\)/);
  });
});
