/**
 * The command as users run it: the built `dist/cli/main.js` (the package's bin), built first when
 * a source file is newer than it — timing `src/` would add Node's type stripping to every start.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

export function builtCli(): string {
  const bin = join(root, 'dist/cli/main.js');
  const newest = readdirSync(join(root, 'src'), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .reduce((m, e) => Math.max(m, statSync(join(e.parentPath, e.name)).mtimeMs), 0);
  let built = 0;
  try { built = statSync(bin).mtimeMs; } catch { /* not built yet */ }
  if (built < newest) {
    console.log('dist is older than src: building it (npm run build:cli, the build without the web pages)');
    execFileSync('npm', ['run', '--silent', 'build:cli'], { cwd: root, stdio: 'inherit' });
  }
  return bin;
}
