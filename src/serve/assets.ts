/**
 * The web app's built files (dist/web, made by `vite build` in `npm run build`), loaded into
 * memory at start and served by exact name: a request path is looked up in a map, never joined
 * to a directory.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const TYPES: Record<string, string> = {
  html: 'text/html; charset=utf-8', js: 'text/javascript; charset=utf-8', css: 'text/css; charset=utf-8',
  svg: 'image/svg+xml', png: 'image/png', woff2: 'font/woff2', json: 'application/json', ico: 'image/x-icon',
};

export interface Asset {
  type: string;
  body: Buffer;
  immutable: boolean;
  /** The body gzipped once at start, for text that shrinks (the 887 kB bundle is 293 kB). */
  gzip?: Buffer;
}

const COMPRESSIBLE = /^(?:text\/|application\/json|image\/svg)/;

/** From src/serve (run from source) or dist/serve (built): the same dist/web. */
export const WEB_DIR = fileURLToPath(new URL(import.meta.url.endsWith('.ts') ? '../../dist/web/' : '../web/', import.meta.url));

export function loadAssets(dir = WEB_DIR): Map<string, Asset> {
  const out = new Map<string, Asset>();
  const walk = (d: string) => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      const p = join(d, e.name);
      if (e.isDirectory()) { walk(p); continue; }
      if (!statSync(p).isFile()) continue;
      const name = `/${relative(dir, p).split(sep).join('/')}`;
      const ext = e.name.split('.').pop() ?? '';
      // vite names built files by content hash: they never change under the same name
      const type = TYPES[ext] ?? 'application/octet-stream';
      const body = readFileSync(p);
      const gz = COMPRESSIBLE.test(type) && body.length > 1024 ? gzipSync(body, { level: 9 }) : undefined;
      out.set(name, { type, body, immutable: name.startsWith('/assets/'), ...(gz && gz.length < body.length ? { gzip: gz } : {}) });
    }
  };
  try { walk(dir); } catch { /* not built: the server says so on / */ }
  return out;
}
