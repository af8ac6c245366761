/**
 * The engines the storage tests run on: SQLite always; PostgreSQL when GONGKAI_TEST_PG names a
 * server (CI starts one: scripts/pg-start.sh). Each PostgreSQL store is a fresh database.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { Store } from '../src/store/store.ts';

export interface Engine {
  name: 'sqlite' | 'postgres';
  open(): Promise<Store>;
  /** A URL for a new, empty store (a temporary SQLite file, or a fresh PostgreSQL database). */
  url(): Promise<string>;
}

const PG = process.env.GONGKAI_TEST_PG;
let n = 0;

async function freshPg(): Promise<string> {
  const db = `gongkai_test_${process.pid}_${n++}`;
  const admin = new pg.Client({ connectionString: PG });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${db}`);
  await admin.query(`CREATE DATABASE ${db}`);
  await admin.end();
  const url = new URL(PG!);
  url.pathname = `/${db}`;
  return url.toString();
}

export const ENGINES: Engine[] = [
  { name: 'sqlite', open: () => Store.open(':memory:'), url: async () => join(mkdtempSync(join(tmpdir(), 'gongkai-store-')), 'g.db') },
  ...(PG ? [{ name: 'postgres' as const, open: async () => Store.open(await freshPg()), url: freshPg }] : []),
];

if (!PG) console.log('# storage tests: PostgreSQL skipped (set GONGKAI_TEST_PG, e.g. eval "$(scripts/pg-start.sh)")');
