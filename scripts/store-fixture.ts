/**
 * Writes the store an office running this release would have: two reports ingested (their bytes
 * kept, as uploads are), an account, a reviewer's correction of an undetermined cell and a review
 * of a finding, all through the release's own code. Run once when a release changes the store's
 * schema, as `node scripts/store-fixture.ts VERSION`; the file for an older release is never made
 * again — it stands for the stores offices have, and `test/upgrade.test.ts` opens each with
 * today's code and checks that nothing people made by hand is lost.
 */
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ingest } from '../src/ingest/ingest.ts';
import { ReadPool } from '../src/ingest/pool.ts';
import { addUser } from '../src/serve/auth.ts';
import { correct, reviewFinding } from '../src/serve/review.ts';
import { Store } from '../src/store/store.ts';

const version = process.argv[2];
if (!version) throw new Error('usage: node scripts/store-fixture.ts VERSION');
const FIX = new URL('../test/fixtures/', import.meta.url).pathname;
const out = join(FIX, 'stores', `gongkai-${version}.db`);
if (existsSync(out)) throw new Error(`${out} exists: a released store is never remade`);
const work = `${out}.tmp`;
rmSync(work, { force: true });
const store = await Store.open(work);
const seeds = ['seed003-shuangyashan-swj-2020-blank-lines.txt', 'seed004-anshan-rsj-2020-squashed.txt'];
await ingest(store, seeds, { threads: 1, keepOriginals: true, load: async (p) => readFileSync(join(FIX, p)) });
await addUser(store, { name: 'reviewer', role: 'reviewer', region: '' }, 'reviewer-password-1');
const id = (title: string) => store.db.selectFrom('reports').select('id').where('title', 'like', `%${title}%`).executeTakeFirstOrThrow().then((r) => r.id);
const pool = new ReadPool({ threads: 1 });
await correct(store, pool, await id('鞍山'), 'reviewer', 't2.normative.made', '27', 'checked against the printed PDF');
const spam = await store.db.selectFrom('findings').select(['report_id', 'keys']).where('rule_id', '=', 'injected-content').executeTakeFirstOrThrow();
await reviewFinding(store, spam.report_id, 'reviewer', 'injected-content', JSON.parse(spam.keys) as string[], 'confirmed', '网站被篡改，已报告');
await pool.destroy();
await store.backup(out);
await store.close();
for (const f of [work, `${work}-wal`, `${work}-shm`]) rmSync(f, { force: true });
console.log(`${out} written`);
