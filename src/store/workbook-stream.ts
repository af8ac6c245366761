/**
 * An XLSX workbook written as it is made (the XLSX export): its sheets' XML compressed by Node's
 * zlib as it comes, the ZIP around them written by fflate. Here, not in `render/`, which runs in
 * the browser too.
 */
import { once } from 'node:events';
import type { TransformOptions } from 'node:stream';
import { createDeflateRaw, crc32, type ZlibOptions } from 'node:zlib';
import { strToU8, Zip, type AsyncFlateStreamHandler, type FlateError, type ZipInputFile } from 'fflate';
import { MTIME, workbookParts } from '../render/xlsx.ts';

/**
 * A sheet's compressor: a megabyte of XML may wait for it (zlib's streams take a Transform's
 * options). With Node's 16 kB the thread making the XML waited for each 64 kB piece to be
 * compressed, and the two took turns instead of working at once.
 */
const DEFLATE: ZlibOptions & TransformOptions = { level: 6, writableHighWaterMark: 1 << 20 };

/**
 * A ZIP entry compressed by Node's zlib (native, on libuv's threads: several times fflate's speed,
 * and beside the thread making the XML rather than on it), handed to fflate's `Zip`, which writes
 * the container.
 */
class NativeDeflate implements ZipInputFile {
  readonly filename: string;
  crc = 0;
  size = 0;
  readonly compression = 8;
  readonly flag = 0;
  readonly mtime = MTIME;
  ondata?: AsyncFlateStreamHandler;
  private readonly z = createDeflateRaw(DEFLATE);
  constructor(filename: string) {
    this.filename = filename;
    this.z.on('data', (d: Buffer) => this.ondata!(null, d as Uint8Array as Uint8Array<ArrayBuffer>, false));
    this.z.on('end', () => this.ondata!(null, new Uint8Array(0), true));
    this.z.on('error', (e: Error) => this.ondata!(Object.assign(e, { code: 0 }) as FlateError, null as unknown as Uint8Array<ArrayBuffer>, true));
  }

  /** Stop compressing (the workbook was given up): zlib's memory goes now, not at the next collection. */
  close(): void {
    this.z.removeAllListeners('data');
    this.z.destroy();
  }

  /** A chunk of the entry (the last with `final`); resolves when zlib can take more. */
  push(chunk: Uint8Array, final = false): Promise<void> | undefined {
    this.crc = crc32(chunk, this.crc);
    this.size += chunk.length;
    const more = this.z.write(chunk);
    if (final) this.z.end();
    return more || final ? undefined : once(this.z, 'drain').then(() => undefined);
  }
}

/**
 * A workbook written as it is made: sheets are added as they are needed and their XML pushed
 * piece by piece, all sheets at once (a later sheet's compressed bytes wait in memory for the
 * earlier ones to end: a tenth or so of its XML), and the file's bytes go to `out` as they are
 * ready. Memory stays that of the compressed sheets, not of their text.
 */
export class WorkbookStream {
  private readonly zip: Zip;
  private readonly sheets: NativeDeflate[] = [];
  private readonly pending: string[] = [];
  private readonly names: string[] = [];
  private readonly done: Promise<void>;
  constructor(out: (chunk: Uint8Array) => void) {
    let finish!: () => void;
    let fail!: (e: Error) => void;
    this.done = new Promise<void>((resolve, reject) => { finish = resolve; fail = reject; });
    this.zip = new Zip((err, chunk, final) => { if (err) fail(err); else { out(chunk); if (final) finish(); } });
  }

  private file(path: string): NativeDeflate {
    const f = new NativeDeflate(path);
    this.zip.add(f);
    return f;
  }

  /** A new sheet named `name`; its number, for `push`. */
  add(name: string): number {
    this.names.push(name);
    this.pending.push('');
    this.sheets.push(this.file(`xl/worksheets/sheet${this.sheets.length + 1}.xml`));
    return this.sheets.length - 1;
  }

  /** More of sheet `i`'s XML (compressed in pieces of 64 kB and more); resolves when the compressor can take more. */
  push(i: number, xml: string): Promise<void> | undefined {
    this.pending[i] += xml;
    if (this.pending[i]!.length < 65_536) return undefined;
    const chunk = strToU8(this.pending[i]!);
    this.pending[i] = '';
    return this.sheets[i]!.push(chunk);
  }

  /** Give the workbook up unfinished (its reader went away): its compressors stop. */
  abort(): void {
    for (const f of this.sheets) f.close();
  }

  /**
   * The sheets end here (their tabs in `order`, sheet numbers; else in the order added); the
   * workbook's other parts follow, and the file's end, when every byte has gone to `out`.
   */
  end(order?: readonly number[]): Promise<void> {
    this.sheets.forEach((f, i) => { f.push(strToU8(this.pending[i]!), true); this.pending[i] = ''; });
    for (const [path, text] of Object.entries(workbookParts(this.names, order))) this.file(path).push(strToU8(text), true);
    this.zip.end();
    return this.done;
  }
}
