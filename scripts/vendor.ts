/**
 * Part of `npm run build` (`build:cli`), after tsc: kysely as one file in dist/vendor/kysely.js, and the built
 * modules' imports of 'kysely' pointed at it.
 *
 * kysely is some 300 modules: resolving and linking them was 0.19 s of every store command's
 * start (`gongkai stats` took 1.16 s, of which this), against 9 ms for the same code as one
 * module. The code is kysely's own, bundled unchanged (not minified) by vite's library build;
 * the tests and `node src/…` still import the package.
 *
 *   node scripts/vendor.ts
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const root = fileURLToPath(new URL('..', import.meta.url));
const dist = join(root, 'dist');
const vendor = join(dist, 'vendor');

await build({
  configFile: false,
  logLevel: 'warn',
  publicDir: false,
  build: {
    lib: { entry: fileURLToPath(import.meta.resolve('kysely')), formats: ['es'], fileName: () => 'kysely.js' },
    outDir: vendor,
    emptyOutDir: false,
    minify: false,
    sourcemap: false,
  },
});

// kysely is MIT-licensed: its notice travels with the copy
const pkg = JSON.parse(readFileSync(join(root, 'node_modules/kysely/package.json'), 'utf8')) as { version: string };
const license = readFileSync(join(root, 'node_modules/kysely/LICENSE'), 'utf8').trim();
const bundle = join(vendor, 'kysely.js');
writeFileSync(bundle, `/*! kysely ${pkg.version}, bundled unchanged by gongkai's build (scripts/vendor.ts)\n${license.replaceAll('*/', '* /')}\n*/\n${readFileSync(bundle, 'utf8')}`);

/** `from 'kysely'` in a built module, as tsc writes it (type-only imports are gone from the .js). */
const IMPORT = /(\bfrom\s*|\bimport\s*\(\s*)(['"])kysely\2/g;
let rewritten = 0;
for (const e of readdirSync(dist, { withFileTypes: true, recursive: true })) {
  if (!e.isFile() || !e.name.endsWith('.js') || e.parentPath.startsWith(vendor) || e.parentPath.startsWith(join(dist, 'web'))) continue;
  const file = join(e.parentPath, e.name);
  const code = readFileSync(file, 'utf8');
  let to = relative(dirname(file), bundle).replaceAll('\\', '/');
  if (!to.startsWith('.')) to = `./${to}`;
  const next = code.replace(IMPORT, (_m, lead: string, q: string) => `${lead}${q}${to}${q}`);
  if (next !== code) { writeFileSync(file, next); rewritten++; }
}
console.log(`dist/vendor/kysely.js written; ${rewritten} modules import it`);
