/**
 * The web app's pages: built by `npm run build` into dist/web, which `gongkai serve` loads
 * into memory. Everything is bundled (no CDN): the app works without a network.
 */
import { defineConfig } from 'vite';

export default defineConfig({
  root: 'web',
  base: '/',
  logLevel: 'warn',
  build: { outDir: '../dist/web', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  oxc: { jsx: { runtime: 'automatic' } },
});
