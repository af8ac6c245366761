/**
 * A corpus on the command line: synth writes the same corpus for the same seed, ingest is
 * parallel and survives kill -9, and the readers make no silent error on the synthetic truth.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import { check } from '../src/check/engine.ts';
import { Store } from '../src/store/store.ts';
import { measureAccuracy } from '../src/synth/accuracy.ts';
import { toolForms } from '../scripts/tool-forms.ts';
import { synthesize } from '../src/synth/generate.ts';
import { fixture, SEEDS } from './helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const gongkai = (args: string[], cwd?: string) => spawnSync(process.execPath, [MAIN, ...args], { encoding: 'utf8', ...(cwd ? { cwd } : {}) });
const tmp = () => tempDir('gongkai-corpus-');

/** Wait until the store at `db` holds `n` documents (the ingest writing it has got that far), or the child has ended. */
async function storedAtLeast(db: string, n: number, child: { exitCode: number | null; signalCode: string | null }): Promise<void> {
  while (child.exitCode === null && child.signalCode === null) {
    if (existsSync(db)) {
      const store = await Store.open(db, { create: false }).catch(() => null);
      if (store) {
        try {
          const rows = await store.db.selectFrom('documents').select('id').limit(n).execute().catch(() => []);
          if (rows.length >= n) return;
        } finally {
          await store.close();
        }
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('gongkai synth', () => {
  it('writes the same corpus for the same seed, with its truth kept apart', () => {
    const [a, b] = [tmp(), tmp()];
    for (const d of [a, b]) assert.equal(gongkai(['synth', '--count', '18', '--out', d, '--seed', '5']).status, 0);
    const files = readdirSync(a).filter((f) => !f.startsWith('.'));
    assert.equal(files.length, 18);
    assert.ok(files.some((f) => f.endsWith('.pdf')) && files.some((f) => f.endsWith('.gbk.html')) && files.some((f) => f.endsWith('.squashed.txt')));
    for (const f of files) assert.deepEqual(readFileSync(join(a, f)), readFileSync(join(b, f)), f);
    const planted = readFileSync(join(a, '.truth', 'planted.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    assert.equal(planted.length, 18);
    assert.match(readFileSync(join(a, '.truth', `${planted[0].id}.cells`), 'utf8'), /^# cells v1\n/);
  });

  it('writes numbers that satisfy every identity unless a defect was planted', () => {
    for (const s of synthesize({ count: 60, seed: 3 })) {
      const errors = check(s.report).filter((f) => f.severity === 'error').map((f) => f.ruleId);
      if (s.planted.length === 0) assert.deepEqual(errors, [], s.id);
    }
  });

  it('usage errors exit 2', () => {
    assert.equal(gongkai(['synth', '--out', tmp()]).status, 2);
    assert.equal(gongkai(['synth', '--count', '3', '--out', tmp(), '--forms', 'nope']).status, 2);
  });
});

describe('accuracy against the synthetic truth', () => {
  it('reads every form with no silent error and finds the planted defects', async (t) => {
    // the forms chromium, pdftotext and pandoc make are measured where they are installed (.ci/run installs them)
    const tools = toolForms();
    t.after(() => tools.close());
    for (const s of tools.skipped) t.diagnostic(`${s.form} not measured: ${s.why}`);
    const r = await measureAccuracy({ count: 36, seed: 9, extra: tools.forms, extraCount: 8 });
    for (const f of r.forms) {
      assert.equal(f.silent, 0, `${f.form}: ${f.examples.join('; ')}`);
      assert.equal(f.unreadable, 0, f.form);
      assert.equal(f.meta, 0, `${f.form}: ${f.examples.join('; ')}`);
      assert.ok(f.exact / f.cells > 0.8, `${f.form}: ${f.exact}/${f.cells}`);
    }
    assert.deepEqual(r.falseFindings, []);
    for (const d of r.defects.filter((x) => x.kind !== 'duplicate-text')) assert.equal(d.found, d.planted, d.kind);
  });
});

describe('gongkai ingest', () => {
  it('ingests a folder in parallel, skips what it has, and answers stats, coverage and export', () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    assert.equal(gongkai(['synth', '-n', '20', '-o', corpus, '--defects', '0']).status, 0);
    writeFileSync(join(corpus, 'notes.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0]));
    const db = join(dir, 'g.db');
    const first = gongkai(['ingest', '--db', db, '--threads', '2', corpus]);
    assert.equal(first.status, 1, 'one file is not a report');
    assert.match(first.stderr, /notes\.png: a PNG image/);
    assert.match(first.stderr, /21 files into .*: 20 new, 0 unchanged, 1 not readable/);
    const again = gongkai(['ingest', '--db', db, corpus]);
    assert.match(again.stderr, /0 new, 21 unchanged/);
    const stats = gongkai(['stats', '--db', db, '--by', 'year', '--format', 'json']);
    assert.equal(stats.status, 0, stats.stderr);
    const s = JSON.parse(stats.stdout);
    assert.equal(s.groups.reduce((n: number, g: { reports: number }) => n + g.reports, 0), 20);
    const csv = gongkai(['export', '--db', db]);
    assert.equal(csv.stdout.trim().split('\r\n').length, 21);
    // to a file: put in its place whole; a folder that is not there is said in one line (exit 75),
    // and an export the store fails (a damaged store) leaves the file that was there as it was
    const out = join(dir, 'export.csv');
    assert.equal(gongkai(['export', '--db', db, '--out', out]).status, 0);
    assert.equal(readFileSync(out, 'utf8'), csv.stdout);
    const nowhere = gongkai(['export', '--db', db, '--out', join(dir, 'no-such-folder', 'export.csv')]);
    assert.equal(nowhere.status, 75);
    assert.match(nowhere.stderr, /^gongkai: cannot write .*no-such-folder.export\.csv: .+\n$/);
    // what is there and is no plain file (a link here; a device such as /dev/null) is written through, never replaced
    const link = join(dir, 'latest.csv');
    writeFileSync(out, 'yesterday');
    symlinkSync(out, link);
    assert.equal(gongkai(['export', '--db', db, '--out', link]).status, 0);
    assert.ok(lstatSync(link).isSymbolicLink(), 'the link stays a link');
    assert.equal(readFileSync(out, 'utf8'), csv.stdout);
    const damaged = new DatabaseSync(db);
    damaged.prepare(`update report_cells set cell_values = '[]' where report_id = (select max(report_id) from report_cells)`).run();
    damaged.close();
    const failed = gongkai(['export', '--db', db, '--out', out]);
    assert.equal(failed.status, 2);
    assert.match(failed.stderr, /^gongkai: the store .* is damaged: report \d+'s packed cells do not fit their layout \(0 values for \d+ keys\); restore the last backup .*\n$/);
    assert.equal(readFileSync(out, 'utf8'), csv.stdout, 'the earlier export stands');
    assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.part')), [], 'no part left behind');
    assert.equal(gongkai(['coverage', '--db', db, '--format', 'json']).status, 0);
    assert.equal(gongkai(['stats', '--db', db, '--where', 'year=20x']).status, 2);
  });

  it('lists the bodies it could not place, takes a mapping file for them, and covers the divisions of a region', () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    mkdirSync(corpus);
    const seed = readFileSync(fixture(SEEDS.cellPerLine), 'utf8');
    // 平凉市崆峒区 printed as 鼓楼区 (four districts bear the name) and as 崆峒区 of its city
    writeFileSync(join(corpus, 'gulou.txt'), seed.replaceAll('平凉市崆峒区', '鼓楼区').replaceAll('崆峒', '鼓楼'));
    writeFileSync(join(corpus, 'kongtong.txt'), seed);
    const db = join(dir, 'g.db');
    assert.equal(gongkai(['ingest', '-q', '--db', db, corpus]).status, 0);
    const open = gongkai(['place', '--db', db]);
    assert.equal(open.status, 1);
    assert.match(open.stdout, /鼓楼区\t2021\t.*可能属于 4 个行政区划：江苏省南京市鼓楼区（320106）/);
    assert.match(open.stdout, /1 reports not placed/);
    const map = join(dir, 'map.csv');
    writeFileSync(map, 'agency,code\n鼓楼区,350102\n');
    const placed = gongkai(['place', '--db', db, '--map', map, '--who', 'reviewer']);
    assert.equal(placed.status, 0, placed.stderr);
    assert.match(placed.stdout, /1 reports placed from 1 lines/);
    assert.equal(gongkai(['place', '--db', db]).status, 0, 'nothing left unplaced');
    const cov = gongkai(['coverage', '--db', db, '--divisions', '--where', 'region=福州市', '--where', 'year=2021', '--format', 'json']);
    const c = JSON.parse(cov.stdout);
    assert.equal(c.region.name, '福建省福州市');
    assert.deepEqual(c.divisions.filter((d: { years: Record<string, boolean> }) => d.years['2021']).map((d: { name: string }) => d.name), ['鼓楼区']);
    assert.equal(cov.status, 1, 'the other divisions of 福州市 have none');
    // an unknown code, a malformed line: usage errors naming the line
    writeFileSync(map, '鼓楼区,999999\n');
    assert.match(gongkai(['place', '--db', db, '--map', map]).stderr, /map\.csv:1: 999999 is not a division code/);
    assert.equal(gongkai(['coverage', '--db', db, '--divisions', '--where', 'region=鼓楼区']).status, 2);
  });

  it('stops on Ctrl-C with exit 130, and the next run finishes the job', async () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    assert.equal(gongkai(['synth', '-n', '300', '-o', corpus, '--forms', 'pdf']).status, 0);
    const db = join(dir, 'g.db');
    const child = spawn(process.execPath, [MAIN, 'ingest', '--db', db, corpus], { stdio: ['ignore', 'ignore', 'pipe'] });
    const exited = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
    let err = '';
    child.stderr.on('data', (d) => { err += d; });
    // a signal, not a fixed delay: interrupt once the ingest has stored a few files
    await storedAtLeast(db, 3, child);
    child.kill('SIGINT');
    const code = await exited;
    assert.equal(code, 130, err);
    assert.match(err, /interrupted; finishing the work in progress/);
    const resumed = gongkai(['ingest', '--db', db, corpus]);
    assert.equal(resumed.status, 0, resumed.stderr);
    assert.match(resumed.stderr, /300 files into .*: \d+ new, [1-9]\d* unchanged, 0 not readable/);
  });

  it('resumes after kill -9 with nothing lost and nothing twice', async () => {
    const dir = tmp();
    const corpus = join(dir, 'corpus');
    assert.equal(gongkai(['synth', '-n', '120', '-o', corpus, '--forms', 'tabs,pdf']).status, 0);
    const db = join(dir, 'g.db');
    const child = spawn(process.execPath, [MAIN, 'ingest', '--db', db, corpus], { stdio: 'ignore' });
    const exited = new Promise((r) => child.on('exit', r));
    await storedAtLeast(db, 3, child);
    child.kill('SIGKILL');
    await exited;
    const resumed = gongkai(['ingest', '--db', db, corpus]);
    assert.equal(resumed.status, 0, resumed.stderr);
    const store = await Store.open(db);
    try {
      const docs = await store.db.selectFrom('documents').select('hash').execute();
      assert.equal(docs.length, 240);
      assert.equal(new Set(docs.map((d) => d.hash)).size, 240);
      const current = await store.db.selectFrom('reports').select('id').where('current', '=', 1).execute();
      assert.equal(current.length, 120, 'each body-year once, whichever form came last');
      assert.deepEqual(await store.uncheckedReports(), [], 'the corpus rules ran for every report');
    } finally {
      await store.close();
    }
  });
});
