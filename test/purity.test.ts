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

it('the web app\'s pages do not reach the gazetteer\'s data (1 MB the browser never needs)', () => {
  const WEB = fileURLToPath(new URL('../web/src/', import.meta.url));
  const seen = new Set<string>();
  const reached: string[] = [];
  const visit = (file: string) => {
    if (seen.has(file)) return;
    seen.add(file);
    if (file.endsWith('divisions.data.ts')) reached.push(file);
    const text = readFileSync(file, 'utf8');
    // value imports only: `import type` brings no code into the bundle
    for (const m of text.matchAll(/^import (?!type )[^;]*?from ['"](\.[^'"]+)['"]/gm)) visit(join(file, '..', m[1]!));
  };
  const pages = (dir: string): string[] => readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? pages(join(dir, e.name)) : /\.tsx?$/.test(e.name) ? [join(dir, e.name)] : []));
  for (const f of pages(WEB)) visit(f);
  assert.ok(seen.size > 20, 'the walk follows the imports into src/');
  assert.deepEqual(reached, []);
});
