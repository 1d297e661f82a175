// `npm run build` builds the worker SDK, the server (incremental tsc) and the console (only when
// ui/ changed). `--if-stale` (npm start's prestart) skips the SDK and server when dist/ is current.
// `--at-install` (npm's prepare) never fails the install: without a source tree (a Docker layer
// that installs first) or dev dependencies it says why and leaves the build to the first start.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import process from 'node:process';
import { fileURLToPath } from 'node:url';
import { isBuildCurrent, newestInputTime, recordBuild } from './build-state.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const ifStale = process.argv.includes('--if-stale');
const atInstall = process.argv.includes('--at-install');

function run(label, args) {
  const { status } = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
  if (status !== 0) throw new Error(`${label} failed (exit ${status})`);
}

function build() {
  if (ifStale && isBuildCurrent(root)) {
    process.stdout.write('server: up to date (dist)\n');
  } else {
    // The first start, or one after a change, takes a few seconds more: say why.
    if (ifStale) process.stdout.write('server: building (sources changed since the last build)\n');
    const inputsAt = newestInputTime(root);
    const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
    run('worker SDK build', [tsc, '-p', 'packages/worker/tsconfig.build.json']);
    run('server build', [tsc, '-p', 'tsconfig.build.json']);
    recordBuild(root, inputsAt);
  }
  run('console build', ['ui/scripts/build-if-changed.mjs']);
}

if (atInstall && !existsSync(join(root, 'src'))) {
  process.stdout.write('build: no sources here yet; skipped at install\n');
} else {
  try {
    build();
  } catch (e) {
    if (!atInstall) {
      process.stderr.write(`build: ${e.message}\n`);
      process.exit(1);
    }
    process.stderr.write(`build: ${e.message} at install; \`npm start\` builds again and shows why\n`);
  }
}
