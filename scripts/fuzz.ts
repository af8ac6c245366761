/**
 * `npm run fuzz -- [--seconds N] [--seed S] [--out DIR] [--timeout MS] [--memory MB]`: a bounded
 * fuzzer. Mutations of real and synthetic inputs of every format (the test fixtures: text forms,
 * HTML, DOCX, DOC, XLSX, XLS, PDF, the real corpus, the tools' forms) go through the library as
 * `gongkai check` uses it (read, extract, check), in a child process with a time and a memory
 * limit. An input passes when it reads, or fails with a ReadError/ParseError (a one-line reason
 * naming what is wrong with the file). Anything else is a crash: another exception, a message
 * saying "internal error", an unhandled rejection, the child dying (out of memory); an input over
 * the time limit is a hang. Crashers are minimised (cut down while they still crash) and saved to
 * DIR (default fuzz-crashes/); commit them under test/fixtures/fuzz/ and test/fuzz.test.ts reads
 * each one as a regression fixture.
 *
 * It prints inputs tried per format, crashes and hangs, and exits 1 when it found any.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { rng } from '../src/synth/generate.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHILD = fileURLToPath(new URL('./fuzz-child.ts', import.meta.url));

export interface Outcome { kind: 'ok' | 'refused' | 'crash' | 'hang'; message: string }

// ------------------------------------------------------------------ seeds

const EXT: Record<string, string> = { txt: 'text', md: 'text', html: 'html', docx: 'docx', doc: 'doc', xlsx: 'xlsx', xls: 'xls', pdf: 'pdf' };

/** Every fixture under test/fixtures, by format (the fuzz regressions themselves excluded). */
export function seeds(): Array<{ name: string; format: string; bytes: Uint8Array }> {
  const out: Array<{ name: string; format: string; bytes: Uint8Array }> = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (e.name !== 'fuzz') walk(p); continue; }
      const format = EXT[e.name.split('.').pop()!];
      if (format && statSync(p).size < 2_000_000) out.push({ name: relative(ROOT, p), format, bytes: new Uint8Array(readFileSync(p)) });
    }
  };
  walk(join(ROOT, 'test/fixtures'));
  return out.sort((a, b) => a.name.localeCompare(b.name));
}

// ------------------------------------------------------------------ mutations

type Random = () => number;
const pick = <T>(r: Random, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
const int = (r: Random, n: number) => Math.floor(r() * n);
const enc = new TextEncoder();
const concat = (...parts: Uint8Array[]) => {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) { out.set(p, at); at += p.length; }
  return out;
};

/** Split into lines (keeping the newline bytes), for the line mutations. */
function lines(b: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  let start = 0;
  for (let i = 0; i < b.length; i++) if (b[i] === 10) { out.push(b.subarray(start, i + 1)); start = i + 1; }
  if (start < b.length) out.push(b.subarray(start));
  return out;
}

export const MUTATORS: Record<string, (b: Uint8Array, r: Random, other: Uint8Array) => Uint8Array> = {
  'flip bytes': (b, r) => { const o = b.slice(); for (let k = 1 + int(r, 8); k > 0 && o.length; k--) { const i = int(r, o.length); o[i] = o[i]! ^ (1 << int(r, 8)); } return o; },
  truncate: (b, r) => b.subarray(0, int(r, b.length)),
  splice: (b, r, other) => { const at = int(r, b.length); const from = int(r, other.length); return concat(b.subarray(0, at), other.subarray(from, from + 1 + int(r, 4096)), b.subarray(at)); },
  'duplicate lines': (b, r) => { const l = lines(b); if (!l.length) return b; const i = int(r, l.length); const n = 1 + int(r, 50); return concat(...l.slice(0, i + 1), ...new Array<Uint8Array>(n).fill(l[i]!), ...l.slice(i + 1)); },
  'delete lines': (b, r) => { const l = lines(b); const i = int(r, l.length); return concat(...l.slice(0, i), ...l.slice(i + 1 + int(r, 20))); },
  'swap lines': (b, r) => { const l = lines(b); if (l.length < 2) return b; const i = int(r, l.length); const j = int(r, l.length); [l[i], l[j]] = [l[j]!, l[i]!]; return concat(...l); },
  'huge number': (b, r) => { const at = int(r, b.length); const digits = pick(r, ['9'.repeat(40), '1'.repeat(200), '0'.repeat(1000), `${'12 '.repeat(2000)}`, '１２３４５６７８９０'.repeat(50), '-'.repeat(30) + '5', '1e308', '.'.repeat(100)]); return concat(b.subarray(0, at), enc.encode(digits), b.subarray(at)); },
  'deep nesting': (b, r) => { const at = int(r, b.length); const tag = pick(r, ['<div>', '<table><tr><td>', '<w:tbl><w:tr><w:tc>', '<row><c>', '(', '[']); return concat(b.subarray(0, at), enc.encode(tag.repeat(500 + int(r, 5000))), b.subarray(at)); },
  'full-width and zero-width': (b, r) => {
    const t = new TextDecoder('utf-8', { fatal: false }).decode(b);
    const out = [...t].map((ch) => (/\d/.test(ch) && r() < 0.3 ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch === '|' && r() < 0.2 ? '｜' : r() < 0.01 ? `${ch}\u200b` : ch)).join('');
    return enc.encode(out);
  },
  'wrong encoding': (b, r) => {
    const t = new TextDecoder('utf-8', { fatal: false }).decode(b);
    // the text's UTF-16 code units as bytes, or its UTF-8 bytes behind a BOM of another encoding
    if (r() < 0.5) { const o = new Uint8Array(t.length * 2); for (let i = 0; i < t.length; i++) { o[2 * i] = t.charCodeAt(i) & 0xff; o[2 * i + 1] = t.charCodeAt(i) >> 8; } return o; }
    return concat(new Uint8Array(pick(r, [[0xff, 0xfe], [0xfe, 0xff], [0xef, 0xbb, 0xbf]])), b);
  },
};

// ------------------------------------------------------------------ the child

/** A child process that reads inputs one at a time; restarted when it dies or hangs. */
export class Runner {
  private child: ChildProcess | undefined;
  private waiting: ((o: Outcome) => void) | undefined;
  private readonly timeoutMs: number;
  private readonly memoryMb: number;

  constructor(opts: { timeoutMs: number; memoryMb: number }) {
    this.timeoutMs = opts.timeoutMs;
    this.memoryMb = opts.memoryMb;
  }

  private start(): ChildProcess {
    const child = fork(CHILD, [], { execArgv: [`--max-old-space-size=${this.memoryMb}`, '--stack-size=984'], stdio: ['ignore', 'ignore', 'pipe', 'ipc'], serialization: 'advanced' });
    let stderr = '';
    child.stderr!.on('data', (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
    child.on('message', (m: Outcome) => { const w = this.waiting; this.waiting = undefined; w?.(m); });
    child.on('exit', (code, signal) => {
      // a child killed for hanging has been answered for already
      if (this.child !== child) return;
      this.child = undefined;
      const w = this.waiting;
      this.waiting = undefined;
      w?.({ kind: 'crash', message: `the process died (${signal ?? `exit ${code}`}): ${stderr.trim().split('\n').slice(-3).join(' ')}` });
    });
    return child;
  }

  run(bytes: Uint8Array, name: string): Promise<Outcome> {
    const child = (this.child ??= this.start());
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.waiting = undefined;
        this.child = undefined;
        child.kill('SIGKILL');
        resolve({ kind: 'hang', message: `no answer within ${this.timeoutMs} ms` });
      }, this.timeoutMs);
      this.waiting = (o) => { clearTimeout(timer); resolve(o); };
      child.send({ bytes, name });
    });
  }

  stop(): void {
    this.child?.kill('SIGKILL');
    this.child = undefined;
  }
}

/** Cut a crasher down while it still fails the same way (for at most `ms`). */
async function minimise(runner: Runner, bytes: Uint8Array, name: string, kind: Outcome['kind'], ms = 15_000): Promise<Uint8Array> {
  let best = bytes;
  const until = Date.now() + ms;
  for (let chunk = Math.floor(best.length / 2); chunk >= 16 && best.length > 64 && Date.now() < until; chunk = Math.floor(chunk / 2)) {
    for (let at = 0; at + chunk <= best.length && Date.now() < until;) {
      const candidate = concat(best.subarray(0, at), best.subarray(at + chunk));
      if ((await runner.run(candidate, name)).kind === kind) best = candidate;
      else at += chunk;
    }
  }
  return best;
}

// ------------------------------------------------------------------ main

export interface FuzzOptions { seconds: number; seed: number; out?: string; timeoutMs?: number; memoryMb?: number; onFound?: (line: string) => void }
export interface FuzzResult { inputs: number; tried: Map<string, number>; found: Array<{ outcome: Outcome; name: string; file?: string }> }

/** Fuzz for `seconds`: mutate fixtures, read each mutant in the child, keep what crashes or hangs. */
export async function fuzz(opts: FuzzOptions): Promise<FuzzResult> {
  const random = rng(opts.seed);
  const corpus = seeds();
  const runner = new Runner({ timeoutMs: opts.timeoutMs ?? 10_000, memoryMb: opts.memoryMb ?? 1024 });
  const tried = new Map<string, number>();
  const found: FuzzResult['found'] = [];
  const seen = new Set<string>();
  const end = Date.now() + opts.seconds * 1000;
  let n = 0;
  try {
    while (Date.now() < end) {
      const seed = pick(random, corpus);
      const mutator = pick(random, Object.keys(MUTATORS));
      let bytes = MUTATORS[mutator]!(seed.bytes, random, pick(random, corpus).bytes);
      if (random() < 0.3) bytes = MUTATORS[pick(random, Object.keys(MUTATORS))]!(bytes, random, seed.bytes);
      const name = `${seed.name} (${mutator}, #${n})`;
      n++;
      tried.set(seed.format, (tried.get(seed.format) ?? 0) + 1);
      const outcome = await runner.run(bytes, name);
      if (outcome.kind === 'ok' || outcome.kind === 'refused') continue;
      // one crasher per distinct message shape is enough; a hang's message is always the same
      // ("no answer within N ms"), so hangs are told apart by the fixture and mutation that made them
      const shape = outcome.kind === 'hang' ? `hang:${seed.name}:${mutator}` : `${outcome.kind}:${outcome.message.replace(/\d+/g, '#').slice(0, 120)}`;
      if (seen.has(shape)) continue;
      seen.add(shape);
      opts.onFound?.(`${outcome.kind}: ${name}: ${outcome.message}`);
      let file: string | undefined;
      if (opts.out) {
        const small = outcome.kind === 'crash' ? await minimise(runner, bytes, name, 'crash') : bytes;
        mkdirSync(opts.out, { recursive: true });
        file = join(opts.out, `${outcome.kind}-${found.length + 1}-${seed.format}.${seed.name.split('.').pop()}`);
        writeFileSync(file, small);
      }
      found.push({ outcome, name, ...(file ? { file } : {}) });
    }
  } finally {
    runner.stop();
  }
  return { inputs: n, tried, found };
}

async function main(): Promise<number> {
  const { values } = parseArgs({ options: {
    seconds: { type: 'string', default: '60' }, seed: { type: 'string', default: '1' }, out: { type: 'string', default: 'fuzz-crashes' },
    timeout: { type: 'string', default: '10000' }, memory: { type: 'string', default: '1024' },
  } });
  const seconds = Number(values.seconds);
  const r = await fuzz({ seconds, seed: Number(values.seed), out: values.out!, timeoutMs: Number(values.timeout), memoryMb: Number(values.memory), onFound: (l) => process.stderr.write(`${l}\n`) });
  const crashes = r.found.filter((f) => f.outcome.kind === 'crash').length;
  const hangs = r.found.length - crashes;
  console.log(`fuzz: ${r.inputs} inputs in ${seconds} s (seed ${values.seed}): ${[...r.tried].map(([f, k]) => `${f} ${k}`).join(', ')}`);
  console.log(`crashes: ${crashes}, hangs: ${hangs}${r.found.length ? ` (saved to ${values.out}/)` : ''}`);
  // (the input's name: the fixture, the mutation and the input's number in the run, which `--seed` repeats)
  for (const f of r.found) console.log(`  ${f.file}: ${f.outcome.kind}: ${f.name}: ${f.outcome.message}`);
  return r.found.length > 0 ? 1 : 0;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) process.exitCode = await main();
