/**
 * `gongkai serve` run as an office runs it, as a service: a real process, its health check, and a
 * SIGTERM (what systemd, docker and `kill` send) while a batch is being ingested — the batch is
 * finished, the store closed cleanly, the port freed, exit 0.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { describe, it } from 'node:test';
import { sql } from 'kysely';
import { Jobs, Busy } from '../src/serve/jobs.ts';
import { buildApp } from '../src/serve/app.ts';
import { Store } from '../src/store/store.ts';
import { serveCommand } from '../src/cli/serve.ts';
import { backupCommand } from '../src/cli/backup.ts';
import { readFixture, SEEDS } from './helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const CITIES = ['商丘市', '开封市', '洛阳市', '平顶山市', '安阳市', '鹤壁市', '新乡市', '焦作市', '濮阳市', '许昌市', '漯河市', '三门峡市'];

/** Start `gongkai serve` on a free port; resolves with its address once it says it listens. */
function startServer(db: string) {
  const child = spawn(process.execPath, [MAIN, 'serve', '--port', '0', '--db', db], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const listening = new Promise<string>((resolve, reject) => {
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr += d;
      const m = stderr.match(/gongkai serve: (http:\/\/127\.0\.0\.1:\d+)\//);
      if (m) resolve(m[1]!);
    });
    void exited.then((code) => reject(new Error(`serve exited ${code}: ${stderr}`)));
  });
  return { child, listening, exited, stderr: () => stderr };
}

describe('gongkai serve as a service', () => {
  it('answers its health check, and on SIGTERM finishes the batch it took, closes the store and exits 0', async () => {
    const dir = tempDir('gongkai-service-');
    const db = join(dir, 'office.db');
    const server = startServer(db);
    const base = await server.listening;

    const health = await fetch(`${base}/api/health`);
    assert.equal(health.status, 200);
    assert.equal(health.headers.get('cache-control'), 'no-store');
    assert.deepEqual(await health.json(), { status: 'ok', version: '0.1.0', batches: 0 });
    // a monitor may use any name for the host: the answer says nothing of the store
    assert.equal((await fetch(`${base}/api/health`, { headers: { host: 'monitor.internal' } })).status, 200);

    const form = new FormData();
    const text = readFixture(SEEDS.pipes).toString('utf8');
    for (const city of CITIES) form.append('file', new Blob([text.replaceAll('商丘市', city)]), `${city}民政局.txt`);
    const r = await fetch(`${base}/api/ingest`, { method: 'POST', headers: { 'x-gongkai': '1' }, body: form });
    assert.equal(r.status, 200, await r.clone().text());
    server.child.kill('SIGTERM');

    assert.equal(await server.exited, 0, server.stderr());
    assert.match(server.stderr(), /SIGTERM: stopping/);
    assert.match(server.stderr(), /gongkai serve: stopped\n$/);
    await assert.rejects(fetch(`${base}/api/health`), 'the port is closed');
    // the batch taken before the signal was finished, and the store closed cleanly (no WAL left)
    assert.ok(!existsSync(`${db}-wal`), 'SQLite checkpointed and closed');
    const store = await Store.open(db, { create: false });
    try {
      const n = await store.db.selectFrom('reports').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow();
      assert.equal(Number(n.n), CITIES.length);
    } finally {
      await store.close();
    }
  });

  it('says 503 when its store is gone, so a monitor sees it', async () => {
    const store = await Store.open(':memory:');
    const app = await buildApp({ store, assets: new Map() });
    await store.close();
    const r = await app.inject({ url: '/api/health' });
    assert.equal(r.statusCode, 503);
    assert.equal(r.json().status, 'store unavailable');
    await app.close();
  });

  it('takes no new batch once stopping, and drains the ones it took', async () => {
    const store = await Store.open(':memory:');
    try {
      const jobs = new Jobs(store);
      const job = await jobs.start('local', [{ name: 'a.txt', bytes: readFixture(SEEDS.tabs) }]);
      await jobs.drain();
      assert.equal(job.phase, 'done');
      assert.equal(job.failures.length, 0);
      await assert.rejects(jobs.start('local', [{ name: 'b.txt', bytes: readFixture(SEEDS.pipes) }]), (e: unknown) => e instanceof Busy && e.status === 503);
    } finally {
      await store.close();
    }
  });
});

describe('the service files in docs/', () => {
  const unit = (name: string) => readFileSync(new URL(`../docs/${name}`, import.meta.url), 'utf8');
  const execStart = (text: string) => text.match(/^ExecStart=(.*)$/m)![1]!;
  it('gongkai.service runs the built command on the project\'s Node with options serve takes', () => {
    const text = unit('gongkai.service');
    const [node, main, command, ...args] = execStart(text).split(/\s+/);
    assert.equal(node, '/opt/gongkai/node_modules/.bin/node', 'the project\'s Node 24, not the machine\'s');
    assert.equal(main, '/opt/gongkai/dist/cli/main.js', 'directly: npx would not pass SIGTERM on');
    assert.equal(command, 'serve');
    const { values } = parseArgs({ args, options: serveCommand.options, allowPositionals: false, strict: true });
    assert.equal(values.auth, true);
    assert.match(text, /^KillSignal=SIGTERM$/m);
    assert.match(text, /^Environment=GONGKAI_DB=/m);
    assert.match(text, /^ReadWritePaths=\/var\/lib\/gongkai$/m);
  });
  it('gongkai-backup.service runs gongkai backup with one file a day', () => {
    const cmd = execStart(unit('gongkai-backup.service'));
    const inner = cmd.match(/exec (\S+) (\S+) backup (.+)'$/)!;
    assert.equal(inner[1], '/opt/gongkai/node_modules/.bin/node');
    assert.equal(inner[2], '/opt/gongkai/dist/cli/main.js');
    assert.match(inner[3]!, /\$\(date \+%%F\)\.db$/);
    assert.deepEqual(Object.keys(backupCommand.options), ['db']);
    assert.match(unit('gongkai-backup.timer'), /^OnCalendar=/m);
  });
});

