/**
 * Unpacking uploaded ZIP archives, safely: in a worker thread (the server's event loop never
 * inflates), entry by entry, counting the bytes that actually come out rather than trusting the
 * sizes the archive declares. An entry stops at the per-file limit, at a compression ratio no
 * real report has (a zip bomb's zeros), or when the archives of the upload reach the bytes the
 * server can still hold. Names with `..` or an absolute path are reported, not dropped. ZIP64
 * sizes and offsets are read from their extra field.
 */
import { Worker } from 'node:worker_threads';
import { Inflate } from 'fflate';
import { u16, u32 } from '../read/ole.ts';

export interface UnpackLimits {
  /** Largest file inflated out of an archive. */
  maxFile: number;
  /** Most bytes the archives of one upload may inflate to (what the server can still hold). */
  maxTotal: number;
  /** Most entries. */
  maxEntries: number;
  /** An entry that inflates past `ratioFloor` bytes at more than this many times its compressed size is a bomb. */
  maxRatio: number;
  ratioFloor: number;
}

export interface Unpacked { files: Array<{ name: string; bytes: Uint8Array }>; failures: Array<{ name: string; reason: string }>; bytes: number }

const mb = (n: number) => `${Math.round(n / 1048576)} MB`;

interface Entry { name: string; method: number; compressed: number; size: number; offset: number }

const u64 = (b: Uint8Array, i: number) => u32(b, i) + u32(b, i + 4) * 2 ** 32;

/** The central directory's entries (ZIP64 included). Throws on a file that is no ZIP. */
export function centralDirectory(b: Uint8Array, maxEntries: number): Entry[] {
  let eocd = -1;
  for (let i = b.length - 22; i >= Math.max(0, b.length - 22 - 65535); i--) if (u32(b, i) === 0x06054b50) { eocd = i; break; }
  if (eocd < 0) throw new Error('no end of central directory (truncated?)');
  let count = u16(b, eocd + 10);
  let at = u32(b, eocd + 16);
  // ZIP64: the locator just before the end record points at the ZIP64 end record
  if ((count === 0xffff || at === 0xffffffff) && eocd >= 20 && u32(b, eocd - 20) === 0x07064b50) {
    const z = u64(b, eocd - 12);
    if (z + 56 > b.length || u32(b, z) !== 0x06064b50) throw new Error('a broken ZIP64 end record');
    count = u64(b, z + 32);
    at = u64(b, z + 48);
  }
  if (count > maxEntries) throw new Error(`more than ${maxEntries} files in the archive`);
  const out: Entry[] = [];
  for (let k = 0; k < count; k++) {
    if (at + 46 > b.length || u32(b, at) !== 0x02014b50) throw new Error('a broken central directory');
    const method = u16(b, at + 10);
    let compressed = u32(b, at + 20);
    let size = u32(b, at + 24);
    const nameLen = u16(b, at + 28);
    const extraLen = u16(b, at + 30);
    const commentLen = u16(b, at + 32);
    let offset = u32(b, at + 42);
    const flags = u16(b, at + 8);
    const rawName = b.subarray(at + 46, at + 46 + nameLen);
    const name = new TextDecoder(flags & 0x800 ? 'utf-8' : 'gb18030').decode(rawName);
    // the ZIP64 extra field holds, in order, the fields that are 0xFFFFFFFF above
    for (let e = at + 46 + nameLen; e + 4 <= at + 46 + nameLen + extraLen;) {
      const id = u16(b, e);
      const len = u16(b, e + 2);
      if (id === 0x0001) {
        let f = e + 4;
        if (size === 0xffffffff) { size = u64(b, f); f += 8; }
        if (compressed === 0xffffffff) { compressed = u64(b, f); f += 8; }
        if (offset === 0xffffffff) { offset = u64(b, f); }
      }
      e += 4 + len;
    }
    out.push({ name, method, compressed, size, offset });
    at += 46 + nameLen + extraLen + commentLen;
  }
  return out;
}

/** Unpack archives within the limits (runs in the worker; exported for tests). */
export function unpackArchive(name: string, b: Uint8Array, limits: UnpackLimits, used = 0): Unpacked {
  const out: Unpacked = { files: [], failures: [], bytes: 0 };
  let entries: Entry[];
  try {
    entries = centralDirectory(b, limits.maxEntries);
  } catch (e) {
    out.failures.push({ name, reason: `not a readable ZIP archive: ${(e as Error).message}` });
    return out;
  }
  for (const e of entries) {
    const label = `${name}/${e.name}`;
    if (/(^|[\\/])\.\.([\\/]|$)/.test(e.name) || /^([\\/]|[A-Za-z]:)/.test(e.name)) {
      out.failures.push({ name: label, reason: 'a path outside the archive (.. or an absolute path): not read' });
      continue;
    }
    if (e.name.endsWith('/') || /(^|\/)(__MACOSX|\.)/.test(e.name)) continue;
    if (e.size > limits.maxFile) { out.failures.push({ name: label, reason: `inflates to ${mb(e.size)}; the limit is ${mb(limits.maxFile)}` }); continue; }
    if (e.method !== 0 && e.method !== 8) { out.failures.push({ name: label, reason: `compressed with method ${e.method}, which is not read (only stored and deflate)` }); continue; }
    if (e.offset + 30 > b.length || u32(b, e.offset) !== 0x04034b50) { out.failures.push({ name: label, reason: 'its data is not where the directory says (a damaged archive)' }); continue; }
    const start = e.offset + 30 + u16(b, e.offset + 26) + u16(b, e.offset + 28);
    const data = b.subarray(start, Math.min(b.length, start + e.compressed));
    const budget = Math.min(limits.maxFile, limits.maxTotal - used - out.bytes);
    const got = inflate(data, e.method, budget, limits);
    if (typeof got === 'string') {
      out.failures.push({ name: label, reason: got });
      if (limits.maxTotal - used - out.bytes <= 0) break;
      continue;
    }
    out.bytes += got.length;
    out.files.push({ name: label, bytes: got });
  }
  return out;
}

/** Inflate one entry, counting what comes out: the bytes, or why it stopped. */
function inflate(data: Uint8Array, method: number, budget: number, limits: UnpackLimits): Uint8Array | string {
  if (method === 0) return data.length > budget ? `more than ${mb(budget)} (the server's limit for what an upload may hold)` : data.slice();
  const chunks: Uint8Array[] = [];
  let size = 0;
  let stop: string | null = null;
  const inf = new Inflate((chunk) => {
    if (stop) return;
    size += chunk.length;
    if (size > budget) stop = budget < limits.maxFile ? `the upload's archives inflate past what the server can hold now (${mb(budget)} left); send fewer files at once` : `inflates past ${mb(limits.maxFile)}; the limit is ${mb(limits.maxFile)}`;
    else if (size > limits.ratioFloor && size > limits.maxRatio * data.length) stop = `inflates more than ${limits.maxRatio} times its compressed size (a zip bomb?)`;
    else chunks.push(chunk);
  });
  try {
    for (let i = 0; i < data.length && !stop; i += 65536) inf.push(data.subarray(i, i + 65536), i + 65536 >= data.length);
  } catch (e) {
    return `cannot be inflated (${(e as Error).message})`;
  }
  if (stop) return stop;
  const out = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) { out.set(c, at); at += c.length; }
  return out;
}

const SELF = new URL(import.meta.url);

/** Unpack one archive in a worker thread: the caller's event loop stays free. */
export function unpackInWorker(name: string, bytes: Uint8Array, limits: UnpackLimits, used: number): Promise<Unpacked> {
  return new Promise((resolve, reject) => {
    const w = new Worker(SELF, { workerData: { name, bytes, limits, used } });
    w.once('message', (m: Unpacked) => { resolve(m); void w.terminate(); });
    w.once('error', reject);
    w.once('exit', (code) => { if (code !== 0) reject(new Error(`the unpacking worker stopped (${code})`)); });
  });
}

// the worker's side: unpack, and hand the files back (their buffers moved, not copied)
const { isMainThread, parentPort, workerData } = await import('node:worker_threads');
if (!isMainThread && workerData && (workerData as { limits?: unknown }).limits) {
  const d = workerData as { name: string; bytes: Uint8Array; limits: UnpackLimits; used: number };
  const r = unpackArchive(d.name, d.bytes, d.limits, d.used);
  parentPort!.postMessage(r, r.files.map((f) => f.bytes.buffer as ArrayBuffer));
}
