/**
 * OLE compound files (MS-CFB: the container of .doc, .xls, .wps, .et), read here: the header, the
 * sector allocation table (FAT) through its DIFAT, the directory, the mini stream. A stream is
 * read when it is asked for, by name among the root storage's children (the streams of a
 * document; an embedded object's streams sit in storages below and are never taken for them).
 *
 * Every chain of sectors and the directory's tree are walked with a bound. A chain that loops or
 * runs past the file is refused by name (`the chain of WordDocument loops`): its stream cannot be
 * read. A tree that loops is walked once round, each entry once, and a file whose streams it still
 * reaches is read; one whose Word or Excel streams it does not reach is refused with what is wrong
 * (`the directory's tree loops`). cfb, which this replaced, built ever longer paths round such a
 * loop until memory gave out (10 s and 2.6 GB on a 54 kB file the fuzzer made).
 * test/ole.test.ts reads every fixture both ways and compares the streams.
 */

/** The error of a damaged compound file; its message says what is broken. */
export class OleError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'OleError';
  }
}

const SIGNATURE = [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1];
const ENDOFCHAIN = 0xfffffffe;
const FREESECT = 0xffffffff;
/** The highest sector number; above it, the marks (ENDOFCHAIN, FREESECT, FATSECT, DIFSECT). */
const MAXREGSECT = 0xfffffffa;
const NOSTREAM = 0xffffffff;
const MINI_SECTOR = 64;

/** Little-endian integers, as the Office binary formats store them. */
export const u16 = (b: Uint8Array, i: number) => b[i]! | (b[i + 1]! << 8);
export const u32 = (b: Uint8Array, i: number) => (b[i]! | (b[i + 1]! << 8) | (b[i + 2]! << 16) | (b[i + 3]! << 24)) >>> 0;

/** The little-endian 32-bit words of `s` into `out` from index `at` (a sector cut short gives its whole words). */
function putWords(out: Uint32Array, at: number, s: Uint8Array): void {
  for (let i = 0; i + 4 <= s.length; i += 4) out[at + i / 4] = u32(s, i);
}

interface Entry { name: string; type: number; left: number; right: number; child: number; start: number; size: number }

export interface Ole {
  /** The names of the root storage's children (streams and storages) that its directory's tree reaches. */
  readonly names: readonly string[];
  /** What is wrong with the directory's tree, when something is (a loop, a pointer past its end). */
  readonly damage?: string;
  /** The bytes of the root storage's stream of this name (compared as CFB compares: ignoring case), or undefined. */
  stream(name: string): Uint8Array | undefined;
}

/** Open a compound file. Throws OleError on a damaged one. */
export function readOle(bytes: Uint8Array): Ole {
  if (bytes.length < 512 || SIGNATURE.some((b, i) => bytes[i] !== b)) throw new OleError('no compound file header');
  const shift = u16(bytes, 30);
  if (shift !== 9 && shift !== 12) throw new OleError(`a sector size of 2^${shift} bytes`);
  const size = 1 << shift;
  const v3 = shift === 9;
  // sectors that begin inside the file (the last may be cut short)
  const sectors = Math.ceil((bytes.length - size) / size);

  /** Bytes of sector n, as far as the file holds them. */
  const sector = (n: number): Uint8Array => {
    if (n >= sectors) throw new OleError(`sector ${n} lies past the file's end; the file may be truncated`);
    const at = (n + 1) * size;
    return bytes.subarray(at, Math.min(at + size, bytes.length));
  };

  // the FAT's sectors: 109 listed in the header, the rest in a chain of DIFAT sectors
  const fatSectors = u32(bytes, 44);
  if (fatSectors > sectors) throw new OleError(`${fatSectors} FAT sectors in a file of ${sectors}`);
  const fatList: number[] = [];
  for (let i = 0; i < 109 && fatList.length < fatSectors; i++) fatList.push(u32(bytes, 76 + 4 * i));
  const perDifat = size / 4 - 1;
  for (let d = u32(bytes, 68), steps = 0; fatList.length < fatSectors; steps++) {
    if (d > MAXREGSECT || steps > sectors) throw new OleError('the DIFAT chain ends before it lists every FAT sector');
    const s = sector(d);
    for (let i = 0; i < perDifat && fatList.length < fatSectors; i++) fatList.push(u32(s, 4 * i));
    d = u32(s, 4 * perDifat);
  }
  const fat = new Uint32Array(fatSectors * (size / 4)).fill(FREESECT);
  fatList.forEach((n, k) => putWords(fat, k * (size / 4), sector(n)));

  /**
   * The sector numbers of a chain from `start`, `count` of them at most (all when undefined). A
   * chain passes through a sector once: one that comes back to a sector loops, even inside
   * `count` (its stream would repeat that sector's bytes).
   */
  const chain = (table: Uint32Array, start: number, what: string, count?: number): number[] => {
    const out: number[] = [];
    const seen = new Uint8Array(table.length);
    for (let n = start; n !== ENDOFCHAIN && (count === undefined || out.length < count);) {
      if (n >= table.length) throw new OleError(`the chain of ${what} points to sector ${n}, which is not allocated`);
      if (seen[n]) throw new OleError(`the chain of ${what} loops`);
      seen[n] = 1;
      out.push(n);
      n = table[n]!;
    }
    if (count !== undefined && out.length < count) throw new OleError(`the chain of ${what} ends before the stream does`);
    return out;
  };

  /** The bytes of a chain of sectors of `unit` bytes each, cut to `length`. */
  const gather = (ids: number[], unit: number, length: number, at: (n: number) => Uint8Array): Uint8Array => {
    // sectors in a row: a view of the file, no copy
    if (unit === size && ids.length > 0 && ids.every((n, i) => i === 0 || n === ids[i - 1]! + 1)) {
      const from = (ids[0]! + 1) * size;
      if (from + length > bytes.length) throw new OleError('a stream runs past the file\'s end; the file may be truncated');
      return bytes.subarray(from, from + length);
    }
    const out = new Uint8Array(length);
    let filled = 0;
    for (const n of ids) {
      const s = at(n);
      const take = Math.min(s.length, length - filled);
      out.set(s.subarray(0, take), filled);
      filled += take;
      if (s.length < unit && filled < length) throw new OleError('a stream runs past the file\'s end; the file may be truncated');
    }
    return out;
  };

  // the directory: 128-byte entries in the chain from the header's first directory sector
  const dirIds = chain(fat, u32(bytes, 48), 'the directory');
  if (dirIds.length === 0) throw new OleError('an empty directory');
  const dir = gather(dirIds, size, dirIds.length * size, sector);
  const entries: Entry[] = [];
  for (let at = 0; at + 128 <= dir.length; at += 128) {
    const nameBytes = Math.min(u16(dir, at + 64), 64);
    let name = '';
    for (let i = 0; i + 2 <= nameBytes - 2; i += 2) name += String.fromCharCode(u16(dir, at + i));
    // a version 3 file's size is 32 bits (the high half may hold anything)
    const high = v3 ? 0 : u32(dir, at + 124);
    entries.push({ name, type: dir[at + 66]!, left: u32(dir, at + 68), right: u32(dir, at + 72), child: u32(dir, at + 76), start: u32(dir, at + 116), size: high * 2 ** 32 + u32(dir, at + 120) });
  }
  const root = entries[0]!;
  if (root.type !== 5) throw new OleError('the directory does not begin with the root storage');

  // the root's children: a tree of siblings (left, right) under its child. A damaged tree is
  // walked as far as it goes, each entry once (a loop ends where it comes round, a pointer past
  // the directory is left): what it reaches is read, and what is wrong is said when a stream the
  // reader needs is not among them
  const children: Entry[] = [];
  const seen = new Uint8Array(entries.length);
  seen[0] = 1; // the root is no sibling
  let damage: string | undefined;
  const stack = root.child === NOSTREAM ? [] : [root.child];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id >= entries.length) { damage ??= `the directory's tree points to entry ${id} of ${entries.length}`; continue; }
    if (seen[id]) { if (id !== 0) damage ??= 'the directory\'s tree loops'; continue; }
    seen[id] = 1;
    const e = entries[id]!;
    if (e.type === 1 || e.type === 2) children.push(e);
    if (e.left !== NOSTREAM) stack.push(e.left);
    if (e.right !== NOSTREAM) stack.push(e.right);
  }

  const cutoff = u32(bytes, 56);
  let mini: { fat: Uint32Array; stream: Uint8Array } | undefined;
  const miniStream = () => {
    if (mini) return mini;
    const ids = chain(fat, u32(bytes, 60), 'the mini FAT');
    const table = gather(ids, size, ids.length * size, sector);
    const miniFat = new Uint32Array(table.length / 4);
    putWords(miniFat, 0, table);
    const rootIds = chain(fat, root.start, 'the mini stream', Math.ceil(root.size / size));
    mini = { fat: miniFat, stream: gather(rootIds, size, root.size, sector) };
    return mini;
  };

  return {
    names: children.map((e) => e.name),
    ...(damage ? { damage } : {}),
    stream(name) {
      const want = name.toUpperCase();
      const e = children.find((c) => c.type === 2 && c.name.toUpperCase() === want);
      if (!e) return undefined;
      if (e.size === 0) return new Uint8Array(0);
      if (e.size >= cutoff) return gather(chain(fat, e.start, e.name, Math.ceil(e.size / size)), size, e.size, sector);
      const m = miniStream();
      const ids = chain(m.fat, e.start, e.name, Math.ceil(e.size / MINI_SECTOR));
      return gather(ids, MINI_SECTOR, e.size, (n) => {
        if ((n + 1) * MINI_SECTOR > m.stream.length) throw new OleError(`mini sector ${n} lies past the mini stream's end`);
        return m.stream.subarray(n * MINI_SECTOR, (n + 1) * MINI_SECTOR);
      });
    },
  };
}

