/**
 * Nothing a file can do takes gongkai down, and no failure of the machine is stored as the
 * file's: a damaged PDF whose errors pdfjs leaves unawaited, digit runs and rows of any length,
 * deep markup, broken spreadsheet references, a full disk, two ingests into one store (one of
 * them killed), and the CLI's own file and store errors.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { strToU8, unzipSync, zipSync } from 'fflate';
import { sql } from 'kysely';
import { ingest } from '../src/ingest/ingest.ts';
import { parse, parseAsync, readDocument, ReadError } from '../src/index.ts';
import { solveRow, type Piece } from '../src/solve/solver.ts';
import { Store } from '../src/store/store.ts';
import { rng, synthesize } from '../src/synth/generate.ts';
import { writeForm } from '../src/synth/forms.ts';
import { readFixture, SEEDS, fixture } from './helpers.ts';
import { assertTallied, ENGINES } from './store-helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const gongkai = (args: string[]) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8' });
const tmp = () => tempDir('gongkai-rel-');

/** seed 000's PDF with two object lines swapped: pdfjs meets a bad cross-reference entry while loading a font, and rejects a promise of its own that nobody awaits. */
function xrefBroken(): Uint8Array {
  const lines = readFixture('native/seed000-shangqiu-mzj-2020.pdf').toString('latin1').split('\n');
  [lines[9], lines[81]] = [lines[81]!, lines[9]!];
  return new Uint8Array(Buffer.from(lines.join('\n'), 'latin1'));
}

describe('a damaged PDF', () => {
  it('is one line naming the file, and the batch goes on', () => {
    const dir = tmp();
    const bad = join(dir, 'broken.pdf');
    writeFileSync(bad, xrefBroken());
    const r = gongkai(['check', '--format', 'json', bad, fixture(SEEDS.tabs)]);
    assert.equal(r.status, 1);
    assert.doesNotMatch(r.stderr, /Unhandled|at .*\.mjs|node:internal/);
    assert.deepEqual(r.stderr.trim().split('\n'), [`gongkai: ${bad}: a damaged PDF (Bad (uncompressed) XRef entry: 9R)`]);
    assert.match(r.stdout, /seed001-wuzhong-mzj-2021-tabs\.txt/, 'the next file was checked');
  });

  it('is a clear reason on the path web uploads and ingest take (the worker task)', () => {
    // in a process of its own: the test runner counts any unhandled rejection as a failure, and
    // that is what this file provokes inside pdfjs
    const file = join(tmp(), 'broken.pdf');
    writeFileSync(file, xrefBroken());
    const worker = new URL('../src/ingest/worker.ts', import.meta.url).href;
    const r = spawnSync(process.execPath, ['--input-type=module', '-e', `import run from ${JSON.stringify(worker)}; import { readFileSync } from 'node:fs'; console.log(JSON.stringify(await run({ path: 'upload.pdf', bytes: readFileSync(${JSON.stringify(file)}) })))`], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const result = JSON.parse(r.stdout);
    assert.equal(result.error?.code, 'corrupt');
    assert.match(result.error.message, /^a damaged PDF \(Bad \(uncompressed\) XRef entry/);
  });
});

describe('the digit solver is bounded by construction', () => {
  const run = (digits: string): Piece[] => [{ kind: 'run', text: digits, rigidBefore: false }];
  const I2 = [{ total: 6, parts: [0, 1, 2, 3, 4, 5] }];

  it('gives up on a 30- or 60-digit run and says every cell is unknown, instead of searching for seconds', () => {
    for (const n of [30, 60, 200]) {
      const r = solveRow(run('123456789'.repeat(30).slice(0, n)), 7, I2);
      assert.ok(r.overflow || r.readings.length === 0, `${n} digits`);
    }
    const report = parse(readFixture(SEEDS.pipes).toString('utf8').replace(/一、本年新收政府信息公开申请数量[^\n]*/, `一、本年新收政府信息公开申请数量 ${'7'.repeat(60)}`), { name: 'x' });
    assert.equal(report.cells['t3.new.total']?.status, 'ambiguous');
  });

  it('never contradicts the truth on squashed rows that satisfy the identities (random rows)', () => {
    const random = rng(42);
    for (let k = 0; k < 300; k++) {
      const parts = Array.from({ length: 6 }, () => (random() < 0.5 ? 0 : Math.floor(random() ** 3 * 300)));
      const truth = [...parts, parts.reduce((a, b) => a + b, 0)].map(String);
      // squashed as a report prints it: some cells run together, the rest apart
      const pieces: Piece[] = [];
      let cur = '';
      for (const [i, v] of truth.entries()) {
        cur += v;
        if (i === truth.length - 1 || random() < 0.5) { pieces.push({ kind: cur.length > 1 ? 'run' : 'num', text: cur, rigidBefore: false }); cur = ''; }
      }
      const r = solveRow(pieces, 7, I2);
      if (r.overflow) continue;
      assert.ok(r.readings.length > 0, `row ${truth.join(' ')} has no reading`);
      // a cell every reading agrees on is what the truth says
      for (let slot = 0; slot < 7; slot++) {
        const values = new Set(r.readings.map((x) => x[slot]!.value ?? ''));
        if (values.size === 1) assert.equal([...values][0], truth[slot], `row ${truth.join(' ')} read as ${pieces.map((p) => p.text).join(' ')}: slot ${slot}`);
        else assert.ok(values.has(truth[slot]!), 'the truth is among the candidates');
      }
    }
  });
});

describe('rows of any size', () => {
  const seed = readFixture(SEEDS.pipes).toString('utf8');
  const withRow = (row: string) => seed.replace(/一、本年新收政府信息公开申请数量[^\n]*/, row);

  it('refuses a line of tens of thousands of numbers, or a digit run of megabytes, with the reason', () => {
    assert.throws(() => parse(withRow(`一、本年新收政府信息公开申请数量 ${'1 '.repeat(30_000)}`)), (e: unknown) => e instanceof ReadError && /line 39 ends in 60001 characters of numbers; one row may hold 4000/.test(e.message));
    assert.throws(() => parse(withRow(`一、本年新收政府信息公开申请数量 ${'9'.repeat(5_000_000)}`)), (e: unknown) => e instanceof ReadError && e.code === 'limit');
  });

  it('refuses a row of thousands of cells', () => {
    assert.throws(() => parse(withRow(`| 一、本年新收政府信息公开申请数量 |${' 1 |'.repeat(6000)}`)), (e: unknown) => e instanceof ReadError && /line 39 has 6001 cells/.test(e.message));
  });

  it('the library refuses an input over 256 MB itself, as the CLI does', async () => {
    await assert.rejects(readDocument(new Uint8Array(257 * 1024 * 1024)), /file is 257 MB; the limit is 256 MB/);
  });
});

describe('hostile structure', () => {
  it('HTML nested 5,000 deep is refused with the reason, not a stack overflow', async () => {
    const html = `<html><body>${'<div>'.repeat(5000)}一、总体情况 本年新收${'</div>'.repeat(5000)}</body></html>`;
    await assert.rejects(readDocument(new TextEncoder().encode(html)), /nested more than 256 deep/);
  });

  it('an XLSX row number in full-width digits is a damaged file, said so', async () => {
    const parts = unzipSync(readFixture('native/seed001-wuzhong-mzj-2021.xlsx'));
    const sheet = new TextDecoder().decode(parts['xl/worksheets/sheet1.xml']).replace('<row r="4"', '<row r="４"').replace(/<c r="[A-Z]+\d+"/g, '<c');
    parts['xl/worksheets/sheet1.xml'] = strToU8(sheet);
    await assert.rejects(readDocument(zipSync(parts)), /^ReadError: a damaged XLSX: row number “４”/);
  });

  it('a reader\'s surprise at a damaged binary is “a damaged … file”, never a JavaScript error', async () => {
    const doc = readFixture('native/seed000-shangqiu-mzj-2020.doc');
    const random = rng(3);
    for (let k = 0; k < 60; k++) {
      const bad = new Uint8Array(doc);
      for (let j = 0; j < 40; j++) { const i = 512 + Math.floor(random() * (bad.length - 512)); bad[i] = bad[i]! ^ 0xff; }
      try {
        await parseAsync(bad, { name: 'x.doc' });
      } catch (e) {
        assert.ok(!(e instanceof TypeError || e instanceof RangeError), `${(e as Error).name}: ${(e as Error).message}`);
        assert.doesNotMatch((e as Error).message, /undefined|reading '|is not a function|internal error/);
      }
    }
  });
});

describe('the CLI names what it cannot do', () => {
  it('a command that only reads does not create a store at a mistyped path', () => {
    const db = join(tmp(), 'typo.db');
    const r = gongkai(['stats', '--db', db]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /no store at .*typo\.db/);
    assert.equal(existsSync(db), false);
  });

  it('`parse --out` naming a file says so', () => {
    const file = join(tmp(), 'out.json');
    writeFileSync(file, '');
    const r = gongkai(['parse', '--out', file, fixture(SEEDS.tabs)]);
    assert.equal(r.status, 2);
    assert.match(r.stderr, /--out .*out\.json: is a file; --out takes a folder/);
  });
});

describe('failures of the machine are not stored as the file\'s', () => {
  const corpus = () => {
    const dir = tmp();
    for (const s of synthesize({ count: 12, seed: 2, defectRate: 0 })) writeFileSync(join(dir, `${s.id}.txt`), writeForm(s.report, 'pipes'));
    return dir;
  };
  const files = (dir: string) => spawnSync('ls', [dir], { encoding: 'utf8' }).stdout.trim().split('\n').map((f) => join(dir, f));

  it('a file over the time budget is not recorded, and the next run reads it', async () => {
    const store = await Store.open(':memory:');
    after(() => store.close());
    const list = files(corpus());
    // a budget no worker can meet: every file is stopped
    const first = await ingest(store, list, { threads: 1, timeoutMs: 0 });
    assert.equal(first.retry, list.length);
    assert.equal(first.failed, 0);
    assert.equal((await store.db.selectFrom('documents').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n, 0, 'nothing recorded');
    const second = await ingest(store, list, { threads: 1 });
    assert.equal(second.added, list.length);
  });

  it('a first ingest takes the store\'s statistics after its first files, not only at its end', async () => {
    // without statistics SQLite read `current = 1` from an index of every current report, so
    // each file's write grew with the store; they are taken after 64 files, then 512, …
    const dir = tmp();
    for (const s of synthesize({ count: 100, seed: 5, defectRate: 0 })) writeFileSync(join(dir, `${s.id}.txt`), writeForm(s.report, 'pipes'));
    const store = await Store.open(join(tmp(), 'g.db'));
    after(() => store.close());
    const at: number[] = [];
    const optimize = store.optimize.bind(store);
    store.optimize = async () => {
      at.push(Number((await store.db.selectFrom('reports').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n));
      await optimize();
    };
    const s = await ingest(store, files(dir), { threads: 1 });
    assert.equal(s.added, 100);
    assert.ok(at.length >= 2 && at[0]! >= 64 && at[0]! < 100, `statistics taken with ${at.join(', ')} reports stored`);
    assert.equal(at[at.length - 1], 100, 'and again at the end');
    const plan = (await sql.raw<{ detail: string }>(`explain query plan select id from reports where agency_key = 'x' and year = 2020 and current = 1`).execute(store.db)).rows.map((r) => r.detail).join();
    assert.match(plan, /reports_body_year/, 'a body\'s versions are read from its own index');
  });

  it('the progress line ends with every file done and every unreadable one counted', async () => {
    const dir = tmp();
    for (const s of synthesize({ count: 6, seed: 9, defectRate: 0 })) writeFileSync(join(dir, `${s.id}.txt`), writeForm(s.report, 'pipes'));
    for (let k = 0; k < 3; k++) writeFileSync(join(dir, `broken-${k}.pdf`), `%PDF-1.7 cut short ${k}`);
    const store = await Store.open(':memory:');
    after(() => store.close());
    const seen: Array<{ done: number; errors: number }> = [];
    const s = await ingest(store, files(dir), { threads: 1, onProgress: (p) => { if (p.phase === 'files') seen.push({ done: p.done, errors: p.errors }); } });
    assert.equal(s.failed, 3);
    assert.deepEqual(seen[seen.length - 1], { done: 9, errors: 3 });
  });

  it('a file an earlier version recorded as a worker failure is read again', async () => {
    const store = await Store.open(':memory:');
    after(() => store.close());
    const list = files(corpus());
    const { createHash } = await import('node:crypto');
    const bytes = readFileSync(list[0]!);
    await store.write({ path: list[0]!, hash: createHash('sha256').update(bytes).digest('hex'), bytes: bytes.length, format: null, error: { code: 'internal', message: 'internal error (please report): Terminating worker thread' } });
    const s = await ingest(store, list, { threads: 1 });
    assert.equal(s.added, list.length, 'the one recorded as internal error too');
  });

  it('a full disk stops the run with the reason, loses nothing, and the next run finishes', async () => {
    const dir = tmp();
    const db = join(dir, 'g.db');
    const list = files(corpus());
    const store = await Store.open(db);
    // SQLite's own page limit: the same error a full disk gives (SQLITE_FULL)
    await sql`pragma max_page_count = ${sql.raw(String(((await sql<{ page_count: number }>`pragma page_count`.execute(store.db)).rows[0]!.page_count) + 40))}`.execute(store.db);
    const s = await ingest(store, list, { threads: 1 });
    await store.close();
    assert.equal(s.stopped?.code, 'full');
    assert.match(s.stopped!.message, /the disk holding the store .*g\.db is full/);
    assert.ok(s.added < list.length);
    const again = await Store.open(db);
    after(() => again.close());
    const t = await ingest(again, list, { threads: 1 });
    assert.equal(t.added + t.unchanged, list.length);
    assert.equal((await again.db.selectFrom('documents').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n, list.length);
  });
});

for (const engine of ENGINES) {
  describe(`two ingests into one ${engine.name} store at once`, () => {
    it('store every file once, even when one of them is killed (kill -9)', { timeout: 180_000 }, async () => {
      const dir = tmp();
      const corpus = join(dir, 'corpus');
      assert.equal(gongkai(['synth', '--count', '60', '--out', corpus, '--defects', '0']).status, 0);
      const url = await engine.url();
      // the store exists before they start (two ingests making a new store at once is tested by hand: both migrate in turn)
      await (await Store.open(url)).close();
      const args = [MAIN, 'ingest', '-q', '--threads', '1', '--db', url, corpus];
      const a = spawn(process.execPath, args, { stdio: 'ignore' });
      const b = spawn(process.execPath, args, { stdio: 'ignore' });
      // a process killed by a signal has no exit code, only a signal code
      const exited = (c: typeof a) => new Promise<number | null>((resolve) => { if (c.exitCode !== null || c.signalCode !== null) resolve(c.exitCode); else c.on('exit', (code) => resolve(code)); });
      // once a few files are in, kill one of them mid-run
      const count = async () => {
        const s = await Store.open(url);
        try { return Number((await s.db.selectFrom('documents').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n); } finally { await s.close(); }
      };
      while ((await count()) < 5 && b.exitCode === null) await new Promise((r) => setTimeout(r, 200));
      b.kill('SIGKILL');
      assert.equal(await exited(a), 0, 'the other one finishes');
      await exited(b);
      const store = await Store.open(url);
      after(() => store.close());
      const one = async (query: string) => Number(((await sql.raw<{ n: number }>(query).execute(store.db)).rows[0]!).n);
      assert.equal(await one('select count(*) as n from documents'), 60);
      assert.equal(await one('select count(distinct hash) as n from documents'), 60);
      assert.equal(await one('select count(*) as n from reports where current = 1'), 60);
      assert.equal(await one('select sum(reports) as n from report_agg'), 60, 'the aggregates count each report once');
      assert.equal(await one(`select count(*) as n from (select report_id, rule_id, message from findings where scope = 'corpus' group by report_id, rule_id, message having count(*) > 1) x`), 0, 'no corpus finding twice');
      await assertTallied(store);
      const again = gongkai(['ingest', '-q', '--db', url, corpus]);
      assert.equal(again.status, 0);
      assert.match(again.stderr, /0 new, 60 unchanged/);
    });
  });
}
