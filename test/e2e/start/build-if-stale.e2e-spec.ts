import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * `npm start`'s prestart (`scripts/build.mjs --if-stale`) on a small project laid out like ours,
 * with the real scripts and the real tsc: the fixture's build is not incremental, so any tsc run
 * rewrites dist/src/main.js, and a marker written there shows whether tsc ran.
 */
const repo = resolve(__dirname, '../../..');
const MARKER = '// left by the test: tsc did not run\n';
let root: string;

function write(path: string, text: string): void {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), text);
}

function prestart(): string {
  const result = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, encoding: 'utf8' });
  expect(result.stderr).toBe('');
  expect(result.status).toBe(0);
  return result.stdout;
}

const main = () => readFileSync(join(root, 'dist/src/main.js'), 'utf8');
const markMain = () => writeFileSync(join(root, 'dist/src/main.js'), MARKER);
/** mtimes move forward by whole seconds here, so a check in the same millisecond still sees the change. */
const later = (path: string, seconds = 5) => { const at = Date.now() / 1000 + seconds; utimesSync(join(root, path), at, at); };

type BuildState = {
  isBuildCurrent(root: string): boolean;
  newestInputTime(root: string): number;
  recordBuild(root: string, inputsAt: number): void;
};
let state: BuildState;

beforeAll(async () => {
  state = (await import(join(repo, 'scripts/build-state.mjs'))) as BuildState;
});

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'baton-build-'));
  cpSync(join(repo, 'scripts'), join(root, 'scripts'), { recursive: true });
  cpSync(join(repo, 'ui/scripts'), join(root, 'ui/scripts'), { recursive: true });
  symlinkSync(join(repo, 'node_modules'), join(root, 'node_modules'));
  // ES5's library only: each tsc run here costs a second of CPU rather than four.
  const compilerOptions = { module: 'node16', target: 'ES2022', lib: ['ES5'], outDir: './dist', rootDir: '.', types: [] };
  write('tsconfig.json', JSON.stringify({ compilerOptions, include: ['src'] }));
  write('tsconfig.build.json', JSON.stringify({ extends: './tsconfig.json', include: ['src'] }));
  write('src/main.ts', 'export const answer: number = 42;\n');
  write('packages/worker/tsconfig.build.json', JSON.stringify({ compilerOptions: { ...compilerOptions, rootDir: './src' }, include: ['src'] }));
  write('packages/worker/src/index.ts', 'export const sdk = true;\n');
  write('ui/dist/index.html', '<!doctype html>'); // a current console build: nothing under ui/ to rebuild
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

describe('npm start builds only when the sources changed since the last build', () => {
  it('builds the first time, starts without running tsc while nothing changed, and builds again after an edit', () => {
    expect(prestart()).not.toContain('server: up to date');
    expect(main()).toContain('answer = 42');
    markMain();
    expect(prestart()).toContain('server: up to date');
    expect(main()).toBe(MARKER);

    write('src/main.ts', 'export const answer: number = 43;\n');
    later('src/main.ts');
    expect(prestart()).not.toContain('server: up to date');
    expect(main()).toContain('answer = 43');
  });

  it('counts a new file, a deleted file, a changed config or lock file, and missing output as stale', () => {
    // What a build records, without running tsc again: the first test shows the script records it.
    const built = () => { write('dist/src/main.js', MARKER); state.recordBuild(root, state.newestInputTime(root)); };
    write('dist/src/main.js', MARKER);
    write('dist/.build-state.json', '{"inputsAt": 0}');
    expect(state.isBuildCurrent(root)).toBe(false); // recorded before the sources were written

    built();
    expect(state.isBuildCurrent(root)).toBe(true);
    write('src/extra.ts', 'export const extra = 1;\n');
    later('src/extra.ts');
    expect(state.isBuildCurrent(root)).toBe(false);

    built();
    rmSync(join(root, 'src/extra.ts'));
    later('src', 10);
    expect(state.isBuildCurrent(root)).toBe(false);

    // Each edit later than the one before: within one second, two edits of the same offset get the same mtime.
    for (const [i, file] of ['package-lock.json', 'tsconfig.json', 'packages/worker/src/index.ts'].entries()) {
      built();
      expect(state.isBuildCurrent(root)).toBe(true);
      write(file, readFileSync(join(root, file), { encoding: 'utf8', flag: 'a+' }));
      later(file, 20 * (i + 1));
      expect(state.isBuildCurrent(root)).toBe(false);
    }

    built();
    rmSync(join(root, 'dist/src/main.js'));
    expect(state.isBuildCurrent(root)).toBe(false);
  });

  it('fails the start when the build fails, but never fails an install', () => {
    write('packages/worker/src/index.ts', 'export const sdk: boolean = "not a boolean";\n');
    const start = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale'], { cwd: root, encoding: 'utf8' });
    expect(start.status).not.toBe(0);
    expect(start.stderr).toContain('worker SDK build failed');
    const install = spawnSync(process.execPath, ['scripts/build.mjs', '--if-stale', '--at-install'], { cwd: root, encoding: 'utf8' });
    expect(install.status).toBe(0);
    expect(install.stderr).toContain('at install');
  });
});
