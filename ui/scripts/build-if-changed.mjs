// The root `npm run build` (and so `npm start`) builds the console too: skip Vite when nothing
// under ui/ changed since the last build, so a restart stays as fast as tsc alone.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const stamp = join(root, 'dist', 'index.html');
const inputs = ['src', 'index.html', 'vite.config.ts', 'package.json', 'tsconfig.json'];

function newest(path) {
  const s = statSync(path);
  if (!s.isDirectory()) return s.mtimeMs;
  return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
}

const builtAt = existsSync(stamp) ? statSync(stamp).mtimeMs : 0;
const changedAt = Math.max(...inputs.map((p) => join(root, p)).filter(existsSync).map(newest));
if (builtAt > changedAt && !process.argv.includes('--force')) {
  process.stdout.write('console: up to date (ui/dist)\n');
} else {
  const { build } = await import('vite');
  await build({ root, logLevel: 'warn' });
}
