/**
 * The core runs in the browser too: no Node-only import outside the CLI and the server side
 * (the store, on node:sqlite and pg; ingest, on worker threads; the web server). A Node global may be
 * feature-detected through `globalThis` (with a browser path beside it), never assumed.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { it } from 'node:test';

const SRC = fileURLToPath(new URL('../src/', import.meta.url));

it('nothing under src/ except src/cli, src/store, src/ingest and src/serve imports a node: module or a Node global', () => {
  const offenders: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) { if (!['cli', 'store', 'ingest', 'serve'].includes(e.name)) walk(p); continue; }
      const text = readFileSync(p, 'utf8');
      if (/from ['"]node:|require\(|(?<!globalThis\.)\bprocess\.|(?<!globalThis\.)\bBuffer\b|__dirname/.test(text)) offenders.push(p.slice(SRC.length));
    }
  };
  walk(SRC);
  assert.deepEqual(offenders, []);
});
