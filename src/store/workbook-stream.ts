/**
 * An XLSX workbook made as its sheets' rows come (the XLSX export): each sheet's rows compressed
 * as they come by two threads of zlib (`deflate-worker.ts`), its start (which holds the columns'
 * widths, known only when every row has been seen) compressed last and put before them, the ZIP
 * around them written by fflate. Here, not in `render/`, which runs in the browser too.
 */
import { Worker } from 'node:worker_threads';
import { constants, crc32, deflateRawSync } from 'node:zlib';
import type { DeflateDone, DeflateJob } from './deflate-worker.ts';
import { strToU8, Zip, type AsyncFlateStreamHandler, type ZipInputFile } from 'fflate';
import { MTIME, workbookParts } from '../render/xlsx.ts';

/**
 * zlib's levels for a sheet: its rows' XML compressed apart in pieces of a megabyte. Measured on
 * 16,695 reports' export: a sheet of numbers at level 3 is 7.0 times smaller (level 4: 7.3, level 5:
 * 9.7, level 6: 9.8) at 1.6 times level 5's speed and twice level 6's; the export took a tenth less
 * time than at level 4 for a file 2.5 % larger (20.8 MB against 20.3; 17.4 MB at level 5, in a
 * fifth more time). A sheet of text (the findings', whose texts recur) at level 5 is 12.1 times
 * smaller, as at level 6, at 1.6 times its speed. Compressing is a third of the export's work.
 */
export const LEVEL = { numbers: 3, text: 5 } as const;

/**
 * A piece of XML, as the export writes it: compressed on its own by one thread. A megabyte: waking
 * a thread for a piece costs the thread making the XML about a millisecond on a virtual machine's
 * two cores (at 256 kB that was a tenth of the export's time), and a piece a megabyte compresses
 * within 1 % of one stream.
 */
export const PIECE = 1 << 20;

/** Pieces of XML compressing at once, at most: beyond, the XML's making waits. */
const IN_FLIGHT = 8;

const DEFLATER = new URL(import.meta.url.endsWith('.ts') ? './deflate-worker.ts' : './deflate-worker.js', import.meta.url);

/** A piece compressed: its deflate blocks, the piece's CRC-32 and length. */
interface Compressed { out: Uint8Array; crc: number; size: number }

/**
 * Threads that compress pieces of XML (`deflate-worker.ts`), one a core: a piece goes to the
 * thread with the fewest waiting. Pieces are compressed apart (a megabyte's piece loses 0.3 % of
 * the ratio one stream would have, a 256 kB piece 1.4 %) so that both cores can compress one sheet.
 */
class Deflaters {
  private readonly threads: Array<{ worker: Worker; waiting: number }>;
  private readonly jobs = new Map<number, { resolve: (c: Compressed) => void; reject: (e: Error) => void; size: number; slot: SharedArrayBuffer | null }>();
  private next = 0;
  /** Compressed bytes made so far. */
  packed = 0;
  /** Buffers for pieces (shared with the threads), each back when its piece is compressed. */
  private readonly spare: SharedArrayBuffer[] = [];
  /** Resolves when there is room again (one for every caller that waits), and its resolver. */
  private room: { wait: Promise<void>; resolve: () => void } | null = null;
  private failed: Error | null = null;
  constructor(count: number) {
    this.threads = Array.from({ length: count }, () => {
      const thread = { worker: new Worker(DEFLATER), waiting: 0 };
      thread.worker.on('message', ({ id, out, crc }: DeflateDone) => {
        const job = this.jobs.get(id)!;
        this.jobs.delete(id);
        thread.waiting--;
        if (job.slot !== null) this.spare.push(job.slot);
        this.packed += out.length;
        job.resolve({ out, crc, size: job.size });
        if (this.jobs.size < IN_FLIGHT) this.free();
      });
      thread.worker.on('error', (e) => this.fail(e));
      thread.worker.on('exit', () => this.fail(new Error('a compressing thread stopped')));
      return thread;
    });
  }

  private fail(e: Error): void {
    this.failed ??= e;
    for (const job of this.jobs.values()) job.reject(this.failed);
    this.jobs.clear();
    this.free();
  }

  private free(): void {
    this.room?.resolve();
    this.room = null;
  }

  /** `piece` compressed (a piece in a `buffer()` is read where it is: the caller does not use that buffer again); `last` ends the stream. */
  compress(piece: Uint8Array, last: boolean, level: number): Promise<Compressed> {
    if (this.failed) return Promise.reject(this.failed);
    const thread = this.threads.reduce((a, b) => (b.waiting < a.waiting ? b : a));
    const id = this.next++;
    // a piece in one of our shared buffers is read where it is (neither copied nor moved: moving a
    // buffer to a thread took a third of a millisecond), and the buffer is ours again when it is done
    const slot = piece.buffer instanceof SharedArrayBuffer && piece.buffer.byteLength === PIECE ? piece.buffer : null;
    const done = new Promise<Compressed>((resolve, reject) => this.jobs.set(id, { resolve, reject, size: piece.length, slot }));
    thread.waiting++;
    thread.worker.postMessage({ id, piece, last, level } satisfies DeflateJob);
    return done;
  }

  /** A buffer to write a piece in (`PIECE` bytes, shared with the threads): one done with, or new. */
  readonly buffer = (): Uint8Array => new Uint8Array(this.spare.pop() ?? new SharedArrayBuffer(PIECE));

  /** Resolves when fewer than IN_FLIGHT pieces are compressing (undefined: now). */
  ready(): Promise<void> | undefined {
    if (this.jobs.size < IN_FLIGHT || this.failed) return undefined;
    if (this.room === null) {
      let resolve!: () => void;
      const wait = new Promise<void>((r) => { resolve = r; });
      this.room = { wait, resolve };
    }
    return this.room.wait;
  }

  close(): void {
    for (const t of this.threads) { t.worker.removeAllListeners('exit'); void t.worker.terminate(); }
  }
}

/** A workbook larger than a ZIP without ZIP64 holds: fewer reports must go into one. */
export class WorkbookTooLarge extends Error {
  constructor(bytes: number) {
    super(`the workbook would be larger than 4 GB (${Math.round(bytes / 2 ** 20)} MB compressed so far), more than an XLSX file without ZIP64 can hold: export fewer reports at a time (--where year=… or region=…), or as CSV or Parquet`);
  }
}

/** CRC-32's polynomial, reflected (as zlib's `crc32` uses it). */
const POLY = 0xedb88320;

/** a(x)·b(x) modulo the CRC's polynomial (bit 31 is x⁰, as the reflected CRC holds them). */
function multiply(a: number, b: number): number {
  // (a power of x is never 0 modulo the polynomial, as every caller's `a` is; 0 would loop forever below)
  if (a === 0) return 0;
  let m = 1 << 31;
  let p = 0;
  for (;;) {
    if (a & m) {
      p ^= b;
      if ((a & (m - 1)) === 0) break;
    }
    m >>>= 1;
    b = b & 1 ? (b >>> 1) ^ POLY : b >>> 1;
  }
  return p >>> 0;
}

/** x^(2^k) modulo the polynomial, k from 0 to 31. */
const X2N: number[] = [];
for (let p = 1 << 30, k = 0; k < 32; k++) { X2N.push(p >>> 0); p = multiply(p, p); }

/**
 * The CRC-32 of `a` then `b` from the CRC of `a`, the CRC of `b` and `b`'s length: zlib's
 * `crc32_combine` (Node does not give it). A sheet's rows are compressed, and their CRC made, before
 * its start exists, and the ZIP wants the CRC of the whole.
 */
export function crc32Combine(crcA: number, crcB: number, lengthB: number): number {
  // x^(8·lengthB): the shift of `a`'s CRC over lengthB bytes
  let shift = 1 << 31;
  for (let n = lengthB, k = 3; n > 0; n = Math.floor(n / 2), k++) if (n % 2 === 1) shift = multiply(X2N[k & 31]!, shift);
  return (multiply(shift, crcA) ^ crcB) >>> 0;
}

/** A sheet's rows, compressed as they come: the compressed pieces, in order, kept until the workbook ends. */
class SheetBody {
  private readonly pieces: Array<Promise<Compressed>> = [];
  private readonly deflaters: Deflaters;
  readonly level: number;
  constructor(deflaters: Deflaters, level: number) {
    this.deflaters = deflaters;
    this.level = level;
  }

  /** A piece of the rows' XML; resolves when the compressors can take more. */
  push(piece: Uint8Array): Promise<void> | undefined {
    const done = this.deflaters.compress(piece, false, this.level);
    // (a failure is told by `end`)
    done.catch(() => undefined);
    this.pieces.push(done);
    return this.deflaters.ready();
  }

  /** The rows compressed: their deflate blocks (the last final), their CRC-32 and length. */
  async end(): Promise<{ pieces: Uint8Array[]; crc: number; size: number }> {
    this.pieces.push(this.deflaters.compress(new Uint8Array(0), true, this.level));
    let crc = 0;
    let size = 0;
    const pieces: Uint8Array[] = [];
    for (const c of await Promise.all(this.pieces)) {
      crc = crc32Combine(crc, c.crc, c.size);
      size += c.size;
      pieces.push(c.out);
    }
    return { pieces, crc, size };
  }
}

/** A ZIP entry whose compressed bytes are all there: fflate's `Zip` is handed them at once. */
class Entry implements ZipInputFile {
  readonly compression = 8;
  readonly flag = 0;
  readonly mtime = MTIME;
  ondata?: AsyncFlateStreamHandler;
  readonly filename: string;
  readonly crc: number;
  readonly size: number;
  constructor(filename: string, crc: number, size: number) {
    this.filename = filename;
    this.crc = crc;
    this.size = size;
  }

  write(pieces: readonly Uint8Array[]): void {
    pieces.forEach((p) => this.ondata!(null, p as Uint8Array<ArrayBuffer>, false));
    this.ondata!(null, new Uint8Array(0), true);
  }
}

/**
 * A workbook made as its sheets' rows come: sheets are added as they are needed and their rows'
 * XML pushed piece by piece, all sheets at once; each sheet's start comes at the end (`end`), with
 * the columns' widths its rows gave. The compressed sheets are held until then: a tenth or so of
 * their XML. (Deflate's blocks may follow one another from two compressors: the start is
 * compressed on its own and flushed to a byte's edge, and the rows' blocks follow it.)
 */
export class WorkbookStream {
  private readonly bodies: SheetBody[] = [];
  private readonly names: string[] = [];
  private readonly deflaters = new Deflaters(2);
  /** The most compressed bytes the file may hold (a ZIP without ZIP64: its offsets are 32 bits). */
  private readonly most: number;
  constructor(opts: { most?: number } = {}) {
    this.most = opts.most ?? 2 ** 32 - 2 ** 26;
  }

  /** A new sheet named `name`, its rows compressed at zlib's `level`; its number, for `push`. */
  add(name: string, level: number = LEVEL.text): number {
    this.names.push(name);
    this.bodies.push(new SheetBody(this.deflaters, level));
    return this.bodies.length - 1;
  }

  /** A buffer to write a piece of a sheet in (`PIECE` bytes; handed over with `push`). */
  buffer(): Uint8Array {
    return this.deflaters.buffer();
  }

  /**
   * More of sheet `i`'s rows' XML (its buffer, all of it, is handed over); resolves when the
   * compressors can take more. Throws `WorkbookTooLarge` when what is compressed so far passes what
   * a ZIP without ZIP64 holds (its offsets would wrap round unseen): such a file would be damaged.
   */
  push(i: number, piece: Uint8Array): Promise<void> | undefined {
    const packed = this.deflaters.packed;
    if (packed > this.most) throw new WorkbookTooLarge(packed);
    return this.bodies[i]!.push(piece);
  }

  /** Give the workbook up unfinished (its reader went away): its compressors stop. */
  abort(): void {
    this.deflaters.close();
  }

  /**
   * The workbook's bytes: each sheet's start (`starts`, by sheet number: its XML before the rows)
   * then its rows, the tabs in `order` (sheet numbers; else in the order added), the workbook's
   * other parts after them (its shared strings' XML among them, when given).
   */
  async end(starts: readonly Uint8Array[], order?: readonly number[], shared?: Uint8Array): Promise<Uint8Array[]> {
    let bodies;
    try {
      bodies = await Promise.all(this.bodies.map((b) => b.end()));
    } finally {
      this.deflaters.close();
    }
    if (this.deflaters.packed > this.most) throw new WorkbookTooLarge(this.deflaters.packed);
    const out: Uint8Array[] = [];
    let failed: Error | null = null;
    const zip = new Zip((err, chunk) => { if (err) failed ??= err; else out.push(chunk); });
    bodies.forEach((b, i) => {
      const start = starts[i]!;
      const entry = new Entry(`xl/worksheets/sheet${i + 1}.xml`, crc32Combine(crc32(start), b.crc, b.size), start.length + b.size);
      zip.add(entry);
      entry.write([deflateRawSync(start, { level: this.bodies[i]!.level, finishFlush: constants.Z_SYNC_FLUSH }), ...b.pieces]);
    });
    const parts = Object.entries(workbookParts(this.names, order, shared !== undefined)).map(([path, text]) => [path, strToU8(text)] as const);
    for (const [path, bytes] of shared ? [...parts, ['xl/sharedStrings.xml', shared] as const] : parts) {
      const entry = new Entry(path, crc32(bytes), bytes.length);
      zip.add(entry);
      entry.write([deflateRawSync(bytes, { level: LEVEL.text })]);
    }
    zip.end();
    if (failed) throw failed;
    return out;
  }
}
