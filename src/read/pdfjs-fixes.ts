/**
 * pdfjs-dist, mended as it loads: the repairs below are made to the text of its worker module
 * (`pdf.worker.mjs`, which reads the PDF in this thread) by a module `load` hook, since no
 * option of pdfjs reaches them. Each repair names the exact text it replaces; when an upgrade
 * of pdfjs no longer holds that text exactly once, the repair is left out (pdfjs runs as
 * published, only slower) and `pdfjsFixes()` says so, which a test checks.
 *
 * The one repair so far: CJK text drawn with a font the PDF does not embed (STSong-Light,
 * `UniGB-UCS2-H`, as iText and many government systems write it) makes pdfjs build its code
 * maps from the built-in CMaps, tens of thousands of entries for each font of each document.
 * Its `CharCodeMap` keeps the 16-bit codes in an array filled at the codes' own indexes: the
 * first code far past the array's end (V8's limit is a gap of 1024) turns the array into a hash
 * table, and every one of those insertions then costs a hash table's. That was 27 % of reading
 * such a PDF. The repaired map takes its whole 16-bit range (65,536 slots) as soon as a code
 * lands that far out, so the array stays a plain one; a map of small codes stays small. The
 * same problem is the subject of pdfjs's own mozilla/pdf.js#21975 (open).
 */
/** What a module load gives (node:module's `LoadFnOutput`, as far as it is used here). */
interface Loaded { format?: string | null; source?: string | ArrayBuffer | ArrayBufferView | null; shortCircuit?: boolean }
/** node:module's `registerHooks`, as far as it is used here (the core imports no node: module). */
type RegisterHooks = (hooks: { load: (url: string, context: object, nextLoad: (url: string, context?: object) => Loaded) => Loaded }) => unknown;

/** The module the repairs apply to. */
const WORKER = '/pdfjs-dist/legacy/build/pdf.worker.mjs';

interface Repair {
  name: string;
  find: string;
  replace: string;
}

const REPAIRS: readonly Repair[] = [
  {
    name: 'CharCodeMap: a code far past the dense array takes the whole 16-bit range, not a hash table',
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
  },
];

export interface RepairResult {
  source: string;
  applied: string[];
  missed: string[];
}

/** The worker module's text with every repair whose text it holds exactly once. */
export function repairWorker(source: string): RepairResult {
  const applied: string[] = [];
  const missed: string[] = [];
  for (const r of REPAIRS) {
    const at = source.indexOf(r.find);
    if (at < 0 || source.indexOf(r.find, at + 1) >= 0) { missed.push(r.name); continue; }
    source = source.slice(0, at) + r.replace + source.slice(at + r.find.length);
    applied.push(r.name);
  }
  return { source, applied, missed };
}

let status: { loaded: boolean; applied: string[]; missed: string[] } = { loaded: false, applied: [], missed: REPAIRS.map((r) => r.name) };
let hooked = false;

/**
 * A module built into Node, found through `globalThis.process` (the core imports no node: module,
 * so that it runs in a browser too): undefined where there is none.
 */
export function nodeBuiltin<T>(id: string): T | undefined {
  const proc = globalThis.process as { getBuiltinModule?: (id: string) => unknown } | undefined;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

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
