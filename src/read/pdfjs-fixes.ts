/**
 * pdfjs-dist, mended as it loads: the repairs below are made to the text of its worker module
 * (`pdf.worker.mjs`, which reads the PDF in this thread) by a module `load` hook, since no
 * option of pdfjs reaches them. Each repair names the exact text it replaces; when an upgrade
 * of pdfjs no longer holds that text exactly once, the repair is left out (pdfjs runs as
 * published, only slower) and `pdfjsFixes()` says so, which a test checks.
 *
 * CJK text drawn with a font the PDF does not embed (STSong-Light, `UniGB-UCS2-H`, as iText and
 * many government systems write it) makes pdfjs build its code maps from the built-in CMaps,
 * tens of thousands of entries for each font of each document. The repairs:
 *
 * - Its `CharCodeMap` keeps the 16-bit codes in an array filled at the codes' own indexes: the
 *   first code far past the array's end (V8's limit is a gap of 1024) turns the array into a
 *   hash table, and every one of those insertions then costs a hash table's. That was 27 % of
 *   reading such a PDF. The repaired map takes its whole 16-bit range (65,536 slots) as soon as
 *   a code lands that far out, so the array stays a plain one; a map of small codes stays small.
 *   The same problem is the subject of pdfjs's own mozilla/pdf.js#21975 (open).
 * - A built-in CMap is made once a thread, not once a document: the same file of the package's
 *   `cmaps/`, parsed the same way every time (sent over pdfjs's message port and parsed into a
 *   map of some 30,000 codes). pdfjs changes a CMap only while it makes it.
 * - A composite font's code-to-Unicode map over a built-in CMap (every code of the CMap looked
 *   up in the registry's UCS-2 CMap) is made once a thread for each pair, and each font is given
 *   a copy of it, since a font may amend its own.
 *
 * The last two took a PDF of a synthetic report from about 40 ms to read to about 25; the
 * documents are the same, which a test checks with PDFs read in turn in both orders.
 *
 * - A Flate stream of 1 kB or more (a page's content, a font) went through a DecompressionStream:
 *   a web stream on zlib's thread pool, read chunk by chunk, this thread idle while it ran.
 *   Node's zlib inflates it here at once; where the stream ends before its bytes do, or does not
 *   inflate, the answer is the DecompressionStream's (none: pdfjs decodes it in JavaScript),
 *   which a test checks against the published method.
 * - A font whose dictionary cannot be read (a ToUnicode or descendant font cut open) gives an
 *   error font, and pdfjs read it again at every `Tf` that names it: a real report whose one
 *   object a fuzzer cut (a string opened and never closed, so each reading runs to the file's
 *   end) took 8 s instead of 0.5. The failure is kept for the font's reference, as a font that
 *   loads is; a test reads such a PDF with pdfjs as published and as mended.
 */
import { nodeBuiltin } from './builtin.ts';

/** What a module load gives (node:module's `LoadFnOutput`, as far as it is used here). */
interface Loaded { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean }
/** node:module's `registerHooks`, as far as it is used here (the core imports no node: module). */
type RegisterHooks = (hooks: { load: (url: string, context: object, nextLoad: (url: string, context?: object) => Loaded) => Loaded }) => unknown;

/** The module the repairs apply to. */
const WORKER = '/pdfjs-dist/legacy/build/pdf.worker.mjs';

/** A repair: texts to find, each exactly once, and what replaces each; made whole or not at all. */
interface Repair {
  name: string;
  edits: ReadonlyArray<{ find: string; replace: string }>;
}

const REPAIRS: readonly Repair[] = [
  {
    name: 'CharCodeMap: a code far past the dense array takes the whole 16-bit range, not a hash table',
    edits: [{
      find: `  set(code, value) {
    this.#reverse = null;
    if ((code & 0xffff) === code) {
      if (this.#dense[code] === undefined) {`,
      replace: `  set(code, value) {
    this.#reverse = null;
    if ((code & 0xffff) === code) {
      if (code >= this.#dense.length + 1024 && this.#dense.length < 0x10000) {
        const dense = new Array(0x10000);
        this.#dense.forEach((v, i) => { dense[i] = v; });
        this.#dense = dense;
      }
      if (this.#dense[code] === undefined) {`,
    }],
  },
  {
    name: 'built-in CMaps made once a thread, not once a document',
    edits: [{
      find: `async function createBuiltInCMap(name, fetchBuiltInCMap) {
  if (name === "Identity-H") {`,
      replace: `const gongkaiBuiltInCMaps = new Map();
function createBuiltInCMap(name, fetchBuiltInCMap) {
  let made = gongkaiBuiltInCMaps.get(name);
  if (made === undefined) {
    made = createBuiltInCMapOnce(name, fetchBuiltInCMap);
    gongkaiBuiltInCMaps.set(name, made);
    made.catch(() => gongkaiBuiltInCMaps.delete(name));
  }
  return made;
}
async function createBuiltInCMapOnce(name, fetchBuiltInCMap) {
  if (name === "Identity-H") {`,
    }],
  },
  {
    name: 'a composite font\'s code-to-Unicode map made once a thread for each built-in CMap, and copied for each font (a font amends its own)',
    edits: [{
      find: `      const ucs2CMapName = Name.get(\`\${registry}-\${ordering}-UCS2\`);
      const ucs2CMap = await CMapFactory.create({`,
      replace: `      const ucs2CMapName = Name.get(\`\${registry}-\${ordering}-UCS2\`);
      const ready = PartialEvaluator.gongkaiToUnicode?.get(properties.cMap)?.get(ucs2CMapName.name);
      if (ready !== undefined) return new ToUnicodeMap(ready.clone());
      const ucs2CMap = await CMapFactory.create({`,
    }, {
      find: `          toUnicode.set(charcode, String.fromCharCode(...buf));
        }
      });
      return new ToUnicodeMap(toUnicode);`,
      replace: `          toUnicode.set(charcode, String.fromCharCode(...buf));
        }
      });
      const made = (PartialEvaluator.gongkaiToUnicode ??= new WeakMap());
      if (!made.has(properties.cMap)) made.set(properties.cMap, new Map());
      made.get(properties.cMap).set(ucs2CMapName.name, toUnicode);
      return new ToUnicodeMap(toUnicode.clone());`,
    }],
  },
  {
    name: 'a Flate stream inflated by Node\'s zlib in this thread, not through a DecompressionStream',
    edits: [{
      find: `  async asyncGetBytesFromDecompressionStream(name) {
    this.stream.reset();
    const bytes = this.stream.isAsync && (await this.stream.asyncGetBytes()) || this.stream.getBytes();
    try {`,
      replace: `  async asyncGetBytesFromDecompressionStream(name) {
    this.stream.reset();
    const bytes = this.stream.isAsync && (await this.stream.asyncGetBytes()) || this.stream.getBytes();
    const gongkaiZlib = name === "deflate" ? globalThis.process?.getBuiltinModule?.("node:zlib") : undefined;
    if (gongkaiZlib) {
      try {
        const made = gongkaiZlib.inflateSync(bytes, { maxOutputLength: 1 << 28, info: true });
        // bytes after the stream's end: a DecompressionStream refuses them, and pdfjs decodes in JS
        if (made.engine.bytesWritten === bytes.length) return { decompressed: new Uint8Array(made.buffer), compressed: bytes };
      } catch {}
      return { decompressed: null, compressed: bytes };
    }
    try {`,
    }],
  },
  {
    name: 'a font that fails to load is remembered for its reference, not read again at every use',
    edits: [{
      find: `    } catch (reason) {
      warn(\`loadFont - preEvaluateFont failed: "\${reason}".\`);
      return errorFont();
    }`,
      replace: `    } catch (reason) {
      warn(\`loadFont - preEvaluateFont failed: "\${reason}".\`);
      const failed = errorFont();
      if (fontRef instanceof Ref) this.fontCache.put(fontRef, failed);
      return failed;
    }`,
    }],
  },
];

export interface RepairResult {
  source: string;
  applied: string[];
  missed: string[];
}

/** The worker module's text with every repair whose texts it holds exactly once each. */
export function repairWorker(source: string): RepairResult {
  const applied: string[] = [];
  const missed: string[] = [];
  for (const r of REPAIRS) {
    let next = source;
    const made = r.edits.every(({ find, replace }) => {
      const at = next.indexOf(find);
      if (at < 0 || next.indexOf(find, at + 1) >= 0) return false;
      next = next.slice(0, at) + replace + next.slice(at + find.length);
      return true;
    });
    if (!made) { missed.push(r.name); continue; }
    source = next;
    applied.push(r.name);
  }
  return { source, applied, missed };
}

let status: { loaded: boolean; applied: string[]; missed: string[] } = { loaded: false, applied: [], missed: REPAIRS.map((r) => r.name) };
let hooked = false;

/** Node's module hooks (a browser has none: pdfjs runs there as published). */
function nodeHooks(): RegisterHooks | undefined {
  const mod = nodeBuiltin<{ registerHooks?: RegisterHooks }>('node:module');
  return typeof mod?.registerHooks === 'function' ? mod.registerHooks : undefined;
}

/**
 * Mend pdfjs's worker module when it loads in this thread (each reading thread calls this
 * before pdfjs loads its worker). Where there are no synchronous module hooks (a browser, Node
 * before 22.15), pdfjs runs as published.
 */
export function mendPdfjs(): void {
  const hook = hooked ? undefined : nodeHooks();
  if (!hook) return;
  hooked = true;
  hook({
    load(url, context, nextLoad) {
      const loaded = nextLoad(url, context);
      if (!url.endsWith(WORKER) || loaded.source === undefined || loaded.source === null) return loaded;
      const text = typeof loaded.source === 'string' ? loaded.source : new TextDecoder().decode(loaded.source as ArrayBuffer | Uint8Array);
      const r = repairWorker(text);
      status = { loaded: true, applied: r.applied, missed: r.missed };
      return { ...loaded, source: r.source };
    },
  });
}

/** What was mended in this thread's pdfjs (for tests and `--debug` output). */
export function pdfjsFixes(): { loaded: boolean; applied: string[]; missed: string[] } {
  return status;
}
