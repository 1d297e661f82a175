import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root, found upwards from here: works from test/ (ts-jest) and from dist/test/. */
function findRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name === 'baton') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no baton package.json above ${start}`);
    dir = parent;
  }
}

export const REPO_ROOT = findRoot(__dirname);
export const ENGINE_MAIN = join(REPO_ROOT, 'dist', 'src', 'main.js');
export const ECHO_WORKER_MAIN = join(REPO_ROOT, 'dist', 'test', 'bench', 'echo-worker.js');
export const MEMORY_HOST_MAIN = join(REPO_ROOT, 'dist', 'test', 'bench', 'memory-host.js');
export const PGBOSS_PEER_MAIN = join(REPO_ROOT, 'dist', 'test', 'bench', 'pgboss-peer.js');
export const PROFILING_PRELOAD = join(REPO_ROOT, 'dist', 'test', 'bench', 'harness', 'profiling-preload.js');

/** The child processes run the compiled build: say how to get it rather than fail obscurely. */
export function requireBuilt(...files: string[]): void {
  const missing = files.filter((f) => !existsSync(f));
  if (missing.length > 0) {
    throw new Error(`${missing.join(', ')} missing: run \`npm run build\` first (the engine and the echo worker run from dist/)`);
  }
}
