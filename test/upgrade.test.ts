/**
 * An office upgrades gongkai and keeps its work: a store written by each released version
 * (test/fixtures/stores, made by that release's own code: scripts/store-fixture.ts) is opened by
 * today's code, migrated on the spot, and still holds its reports, accounts, corrections and
 * reviews — and the review page shows the correction. A store a newer gongkai migrated is
 * refused by an older one. `gongkai backup` copies a store in use, and the copy restores.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import { sql, type Kysely } from 'kysely';
import { Migrator } from 'kysely/migration';
import { buildApp } from '../src/serve/app.ts';
import { login } from '../src/serve/auth.ts';
import { migrations } from '../src/store/migrations.ts';
import { connect } from '../src/store/db.ts';
import { Store } from '../src/store/store.ts';
import { assertPacked, ENGINES } from './store-helpers.ts';
import { tempDir } from './tmp.ts';

const MAIN = fileURLToPath(new URL('../src/cli/main.ts', import.meta.url));
const STORES = fileURLToPath(new URL('fixtures/stores/', import.meta.url));
const tmp = () => tempDir('gongkai-upgrade-');
const count = async (store: Store, table: 'reports' | 'report_cells' | 'corrections' | 'reviews' | 'users' | 'findings') =>
  Number((await store.db.selectFrom(table).select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n);

describe('upgrading a store', () => {
  const released = readdirSync(STORES).filter((f) => f.endsWith('.db')).sort();
  it('has a store of every release to upgrade from', () => assert.ok(released.includes('gongkai-0.1.0.db')));

  for (const file of released) {
    it(`opens ${file} with today's code, migrated, with its reviews, corrections and accounts`, async () => {
      const db = join(tmp(), 'office.db');
      copyFileSync(join(STORES, file), db);
      const store = await Store.open(db, { create: false });
      try {
        const done = (await sql<{ name: string }>`select name from kysely_migration`.execute(store.db)).rows.map((r) => r.name).sort();
        assert.deepEqual(done, Object.keys(migrations('sqlite')).sort());
        assert.equal(await count(store, 'reports'), 2);
        const correction = await store.db.selectFrom('corrections').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual([correction.key, correction.to_value, correction.who], ['t2.normative.made', '27', 'reviewer']);
        const review = await store.db.selectFrom('reviews').selectAll().executeTakeFirstOrThrow();
        assert.deepEqual([review.rule_id, review.status, review.comment], ['injected-content', 'confirmed', '网站被篡改，已报告']);
        assert.ok(await login(store, 'reviewer', 'reviewer-password-1'), 'the account still logs in');
        // every report placed in its division, its review carried to the body's new key
        const placed = await store.db.selectFrom('reports').select(['region', 'division', 'agency_key']).orderBy('region').execute();
        assert.deepEqual(placed.map((r) => [r.region, r.division]), [['辽宁省鞍山市', '210300'], ['黑龙江省双鸭山市', '230500']]);
        assert.ok(placed.some((r) => r.agency_key === review.agency_key), 'the review follows its body');
        assert.equal(Number((await store.db.selectFrom('report_agg').select(sql<number>`sum(reports)`.as('n')).executeTakeFirstOrThrow()).n), 2, 'the totals summed again under the new regions');
        // each report's cells packed for the exports
        assert.equal(await count(store, 'report_cells'), 2);
        await assertPacked(store);
        // the review page of the corrected report: the pick stands, its run's other cells narrowed by it
        const app = await buildApp({ store, assets: new Map() });
        try {
          const { id } = await store.db.selectFrom('reports').select('id').where('title', 'like', '%鞍山%').executeTakeFirstOrThrow();
          const page = (await app.inject({ url: `/api/reports/${id}` })).json();
          assert.equal(page.report.cells['t2.normative.made'].value, '27');
          assert.equal(page.corrections.length, 1);
          assert.ok(page.findings.length > 0);
          const seed003 = await store.db.selectFrom('reports').select('id').where('title', 'like', '%双鸭山%').executeTakeFirstOrThrow();
          const spam = (await app.inject({ url: `/api/reports/${seed003.id}` })).json().findings.find((f: { ruleId: string }) => f.ruleId === 'injected-content');
          assert.equal(spam.review?.status, 'confirmed', 'the review still shows on its finding');
        } finally {
          await app.close();
        }
      } finally {
        await store.close();
      }
    });
  }

  for (const engine of ENGINES) {
    it(`migrates from every earlier schema step, keeping what is stored (${engine.name})`, async () => {
      const names = Object.keys(migrations(engine.name));
      for (const step of names.slice(0, -1)) {
        const url = await engine.url();
        const conn = connect(url);
        const { error } = await new Migrator({ db: conn.db as unknown as Kysely<unknown>, provider: { getMigrations: async () => migrations(engine.name) } }).migrateTo(step);
        assert.ifError(error);
        await conn.db.insertInto('documents').values({ hash: 'h'.repeat(64), format: 'text', bytes: 1, ingested_at: '2025-01-01T00:00:00Z', error_code: null, error: null } as never).execute();
        await conn.close();
        const store = await Store.open(url);
        try {
          const done = (await sql<{ name: string }>`select name from kysely_migration`.execute(store.db)).rows.length;
          assert.equal(done, names.length, `from ${step}`);
          assert.equal(Number((await store.db.selectFrom('documents').select(sql<number>`count(*)`.as('n')).executeTakeFirstOrThrow()).n), 1);
        } finally {
          await store.close();
        }
      }
    });
  }

  it('three processes opening one new store at once all open it, migrated once', async () => {
    const db = join(tmp(), 'race.db');
    const code = `const { Store } = await import(${JSON.stringify(new URL('../src/store/store.ts', import.meta.url).href)}); const s = await Store.open(${JSON.stringify(db)}); await s.close();`;
    const run = () => new Promise<number | null>((done) => spawn(process.execPath, ['--input-type=module', '-e', code], { stdio: ['ignore', 'ignore', 'pipe'] }).on('exit', done));
    assert.deepEqual(await Promise.all([run(), run(), run()]), [0, 0, 0]);
    const store = await Store.open(db);
    try {
      assert.equal((await sql`select name from kysely_migration`.execute(store.db)).rows.length, Object.keys(migrations('sqlite')).length);
    } finally {
      await store.close();
    }
  });

  it('refuses a store a newer gongkai has migrated, in one line', async () => {
    const db = join(tmp(), 'newer.db');
    copyFileSync(join(STORES, 'gongkai-0.1.0.db'), db);
    const conn = connect(db);
    await sql`insert into kysely_migration (name, timestamp) values ('9999-from-the-future', '2030-01-01T00:00:00Z')`.execute(conn.db);
    await conn.close();
    await assert.rejects(Store.open(db), /written by a newer gongkai \(schema 9999-from-the-future\)/);
    const r = spawnSync(process.execPath, [MAIN, 'stats', '--db', db], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /^gongkai: cannot open the store .*newer gongkai.*\n$/);
  });
});

describe('gongkai backup', () => {
  it('copies a store while a server has it open, and the copy restores with everything in it', async () => {
    const dir = tmp();
    const db = join(dir, 'office.db');
    copyFileSync(join(STORES, 'gongkai-0.1.0.db'), db);
    const store = await Store.open(db);
    const app = await buildApp({ store, assets: new Map() });
    await app.listen({ port: 0, host: '127.0.0.1' });
    try {
      // the server holds the store open (and has just written to it) while the copy is taken
      const before = { reports: await count(store, 'reports'), findings: await count(store, 'findings') };
      const copy = join(dir, 'backup.db');
      const r = spawnSync(process.execPath, [MAIN, 'backup', '--db', db, copy], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      assert.match(r.stdout, /backup\.db: [\d.]+ MB — 2 reports, 1 corrections, 1 reviews, 1 accounts; integrity ok\n$/);
      // never over an existing file
      const again = spawnSync(process.execPath, [MAIN, 'backup', '--db', db, copy], { encoding: 'utf8' });
      assert.equal(again.status, 2);
      assert.match(again.stderr, /exists; a backup never overwrites a file/);
      // restore: the copy put where a store goes, opened and served
      const restored = join(tmp(), 'gongkai.db');
      copyFileSync(copy, restored);
      const back = await Store.open(restored, { create: false });
      try {
        assert.deepEqual({ reports: await count(back, 'reports'), findings: await count(back, 'findings') }, before);
        assert.equal(await count(back, 'corrections'), 1);
        assert.equal(await count(back, 'reviews'), 1);
        const served = await buildApp({ store: back, assets: new Map() });
        assert.equal((await served.inject({ url: '/api/health' })).json().status, 'ok');
        await served.close();
      } finally {
        await back.close();
      }
    } finally {
      await app.close();
      await store.close();
    }
  });

  it('points a PostgreSQL store to pg_dump', () => {
    const r = spawnSync(process.execPath, [MAIN, 'backup', '--db', 'postgres://office:secret@db.internal/gongkai', join(tmp(), 'x.db')], { encoding: 'utf8' });
    assert.equal(r.status, 2);
    assert.match(r.stderr, /PostgreSQL: back it up with `pg_dump --format=custom/);
    assert.ok(!r.stderr.includes('secret'), 'the password is masked');
  });
});
