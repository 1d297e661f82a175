// Whether dist/ was built from the sources as they are now, without running tsc: `npm start`
// builds only when this says no. A source edit, a new or deleted file (its directory's mtime),
// a checkout (git writes files with the current time) or a changed tsconfig makes the newest
// input time differ from the one recorded when the last build started.
import { existsSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export const STAMP = 'dist/.build-state.json';
const ENTRY = 'dist/src/main.js';
const CONFIGS = ['package.json', 'package-lock.json', 'tsconfig.json', 'tsconfig.build.json',
  'packages/worker/package.json', 'packages/worker/tsconfig.json', 'packages/worker/tsconfig.build.json'];

/** The files and folders the server build reads: tsconfig.build.json's `include`, the SDK and the configs. */
export function buildInputs(root) {
  const { include } = JSON.parse(readFileSync(join(root, 'tsconfig.build.json'), 'utf8'));
  return [...include, 'packages/worker/src', ...CONFIGS];
}

/** The newest mtime (ms) of the inputs, folders included, so that a deleted file counts too. */
export function newestInputTime(root, inputs = buildInputs(root)) {
  const newest = (path) => {
    const s = statSync(path);
    if (!s.isDirectory()) return s.mtimeMs;
    return readdirSync(path).reduce((m, name) => Math.max(m, newest(join(path, name))), s.mtimeMs);
  };
  return Math.max(0, ...inputs.map((p) => join(root, p)).filter(existsSync).map(newest));
}

/** True when the last build recorded exactly the inputs' newest time and its output is there. */
export function isBuildCurrent(root) {
  try {
    if (!existsSync(join(root, ENTRY))) return false;
    const { inputsAt } = JSON.parse(readFileSync(join(root, STAMP), 'utf8'));
    return inputsAt === newestInputTime(root);
  } catch {
    return false; // no stamp, or a tsconfig we cannot read: build, and let tsc say what is wrong
  }
}

/** Records the inputs' newest time as read before the build started (an edit during it stays stale). */
export function recordBuild(root, inputsAt) {
  writeFileSync(join(root, STAMP), JSON.stringify({ inputsAt }));
}
