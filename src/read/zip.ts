/**
 * ZIP containers (DOCX, XLSX), with bounds: a part is inflated only up to the size its
 * directory entry declares, and the declared sizes must stay under the limits, so a zip bomb
 * costs at most `maxPart`/`maxTotal` bytes of memory.
 *
 * The central directory is read here (APPNOTE.TXT 4.3: the end record, ZIP64's when the
 * counts overflow, each entry, its local header) and the parts inflated by Node's zlib (by
 * fflate in a browser). fflate, which did both, inflates in JavaScript at about twice zlib's
 * cost: a quarter of reading an XLSX. The directory is a few fixed-width records, every one of them checked against the
 * file's bounds before it is read.
 */
import { inflateSync, strFromU8 } from 'fflate';
import { nodeBuiltin } from './builtin.ts';
import { ReadError, libraryReason } from './text.ts';

/** Node's zlib; in a browser, fflate inflates. */
const zlib = nodeBuiltin<{ inflateRawSync(data: Uint8Array, opts: { maxOutputLength: number }): Uint8Array }>('node:zlib');

/**
 * A deflated part, inflated up to `size` bytes: Node's zlib refuses a part that holds more
 * (`ERR_BUFFER_TOO_LARGE`); fflate, given a buffer of that size, cuts it there. `node` false
 * takes fflate's way (a browser's), for tests.
 */
export function inflatePart(data: Uint8Array, size: number, node = zlib !== undefined): Uint8Array {
  if (node) return zlib!.inflateRawSync(data, { maxOutputLength: Math.max(size, 1) });
  return inflateSync(data, { out: new Uint8Array(size) });
}

export interface ZipLimits {
  /** Largest decompressed part (default 64 MB). */
  maxPart: number;
  /** Largest total decompressed size of the parts read (default 256 MB). */
  maxTotal: number;
  /** Most entries in the directory (default 10,000). */
  maxEntries: number;
}

export const ZIP_LIMITS: ZipLimits = { maxPart: 64 << 20, maxTotal: 256 << 20, maxEntries: 10_000 };

interface Entry {
  name: string;
  flags: number;
  method: number;
  /** Compressed and declared decompressed sizes, and the local header's offset. */
  size: number;
  originalSize: number;
  local: number;
}

const broken = (why: string) => new ReadError('corrupt', `not a readable ZIP container (${why}); the file may be truncated`);

/** The directory's entries, in its order. */
function directory(bytes: Uint8Array, limits: ZipLimits): Entry[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = bytes.length;
  const u16 = (at: number) => v.getUint16(at, true);
  const u32 = (at: number) => v.getUint32(at, true);
  const u64 = (at: number) => {
    const x = v.getBigUint64(at, true);
    if (x > BigInt(Number.MAX_SAFE_INTEGER)) throw broken('a ZIP64 size past any file');
    return Number(x);
  };
  // the end record: its last 22 bytes, or before them a comment of at most 65,535
  let end = -1;
  for (let i = n - 22; i >= 0 && n - i <= 22 + 0xffff; i--) {
    if (u32(i) === 0x06054b50) { end = i; break; }
  }
  if (end < 0) throw broken('no end of central directory');
  let count = u16(end + 10);
  let at = u32(end + 16);
  if (count === 0xffff || at === 0xffffffff) {
    // ZIP64: a locator just before the end record points at the ZIP64 end record
    const loc = end - 20;
    if (loc < 0 || u32(loc) !== 0x07064b50) throw broken('a ZIP64 directory with no locator');
    const z = u64(loc + 8);
    if (z + 56 > n || u32(z) !== 0x06064b50) throw broken('a ZIP64 end record out of place');
    count = u64(z + 32);
    at = u64(z + 48);
  }
  if (count > limits.maxEntries) throw new ReadError('limit', `more than ${limits.maxEntries} entries in the ZIP container`);
  const out: Entry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > n || u32(at) !== 0x02014b50) throw broken('a damaged central directory');
    const flags = u16(at + 8);
    const nameLen = u16(at + 28);
    const extraLen = u16(at + 30);
    const next = at + 46 + nameLen + extraLen + u16(at + 32);
    if (next > n) throw broken('a damaged central directory');
    const raw = bytes.subarray(at + 46, at + 46 + nameLen);
    const e: Entry = { name: strFromU8(raw, !(flags & 0x800)), flags, method: u16(at + 10), size: u32(at + 20), originalSize: u32(at + 24), local: u32(at + 42) };
    if (e.size === 0xffffffff || e.originalSize === 0xffffffff || e.local === 0xffffffff) {
      // the ZIP64 extra field holds, in this order, each of these that overflowed
      const extraEnd = at + 46 + nameLen + extraLen;
      for (let x = at + 46 + nameLen; x + 4 <= extraEnd;) {
        const id = u16(x);
        const len = u16(x + 2);
        if (id === 1) {
          let p = x + 4;
          const take = () => { if (p + 8 > Math.min(x + 4 + len, extraEnd)) throw broken('a short ZIP64 extra field'); const val = u64(p); p += 8; return val; };
          if (e.originalSize === 0xffffffff) e.originalSize = take();
          if (e.size === 0xffffffff) e.size = take();
          if (e.local === 0xffffffff) e.local = take();
          break;
        }
        x += 4 + len;
      }
    }
    out.push(e);
    at = next;
  }
  return out;
}

/** The entry names of a ZIP file and their declared sizes, without inflating anything. */
export function zipEntries(bytes: Uint8Array, limits: ZipLimits = ZIP_LIMITS): Map<string, number> {
  const entries = new Map<string, number>();
  for (const e of directory(bytes, limits)) entries.set(e.name, e.originalSize);
  return entries;
}

/** Inflate the named parts (those present) as UTF-8 text, within the limits. */
export function readParts(bytes: Uint8Array, want: (name: string) => boolean, limits: ZipLimits = ZIP_LIMITS): Map<string, string> {
  let total = 0;
  const out = new Map<string, string>();
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (const e of directory(bytes, limits)) {
    if (!want(e.name)) continue;
    if (e.originalSize > limits.maxPart) {
      throw new ReadError('limit', `part ${e.name} inflates to ${mb(e.originalSize)}; the limit is ${mb(limits.maxPart)} (a zip bomb?)`);
    }
    total += e.originalSize;
    if (total > limits.maxTotal) throw new ReadError('limit', `the parts inflate to more than ${mb(limits.maxTotal)} (a zip bomb?)`);
    if (e.flags & 1) throw new ReadError('corrupt', `part ${e.name} of the ZIP container is encrypted`);
    if (e.local + 30 > bytes.length || v.getUint32(e.local, true) !== 0x04034b50) throw broken(`part ${e.name} is not where the directory says`);
    const from = e.local + 30 + v.getUint16(e.local + 26, true) + v.getUint16(e.local + 28, true);
    if (from + e.size > bytes.length) throw broken(`part ${e.name} runs past the end of the file`);
    const data = bytes.subarray(from, from + e.size);
    let text: Uint8Array;
    if (e.method === 0) text = data.subarray(0, e.originalSize);
    else if (e.method === 8) {
      try {
        // zlib stops at the declared size: a part that claims less than it holds fails here
        text = inflatePart(data, e.originalSize);
      } catch (err) {
        if ((err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') throw new ReadError('corrupt', `part ${e.name} of the ZIP container inflates past the ${e.originalSize} bytes its directory declares`);
        throw new ReadError('corrupt', `a part of the ZIP container cannot be inflated (${libraryReason(err)})`);
      }
    } else throw new ReadError('corrupt', `part ${e.name} of the ZIP container is compressed by method ${e.method}, which Office files do not use`);
    out.set(e.name, strFromU8(text));
  }
  return out;
}

function mb(n: number): string {
  return n >= 1 << 20 ? `${Math.round(n / (1 << 20))} MB` : `${Math.round(n / 1024)} kB`;
}
