import { ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { once } from 'node:events';
import * as ts from 'typescript';
import { DataDirInUseError, lockDataDir } from './data-dir-lock';

/**
 * Real processes take the lock: the module is transpiled to a temporary CommonJS file that a
 * child `node` loads (resolving proper-lockfile from our node_modules through NODE_PATH).
 */
let work: string;
let lockModule: string;
const children: ChildProcess[] = [];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'baton-lock-'));
  const source = readFileSync(join(__dirname, 'data-dir-lock.ts'), 'utf8');
  const { outputText } = ts.transpileModule(source, { compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 } });
  lockModule = join(work, 'data-dir-lock.js');
  writeFileSync(lockModule, outputText);
});
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A process that takes the lock on `dir` and holds it; resolves with what it printed first. */
async function lockingProcess(dir: string): Promise<{ child: ChildProcess; outcome: string }> {
  const script = `require(${JSON.stringify(lockModule)}).lockDataDir(${JSON.stringify(dir)})
    .then(() => { process.stdout.write('locked\\n'); setInterval(() => undefined, 1000); })
    .catch((e) => { process.stdout.write('refused: ' + e.message + '\\n'); process.exit(3); });`;
  const child = spawn(process.execPath, ['-e', script], {
    env: { ...process.env, NODE_PATH: resolve(__dirname, '../../node_modules') }, stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  const [chunk] = (await once(child.stdout!, 'data')) as [Buffer];
  return { child, outcome: chunk.toString().trim() };
}

function freshDir(name: string): string {
  return mkdtempSync(join(work, `${name}-`));
}

describe('lockDataDir', () => {
  it('refuses the directory while another live process holds it', async () => {
    const dir = freshDir('live');
    const holder = await lockingProcess(dir);
    expect(holder.outcome).toBe('locked');
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    const second = await lockingProcess(dir);
    expect(second.outcome).toMatch(/^refused: Data directory .* is in use by another Baton process/);
  });

  it('lets a process started right after the holder was SIGKILLed take the lock on its first try', async () => {
    const dir = freshDir('killed');
    const first = await lockingProcess(dir);
    expect(first.outcome).toBe('locked');
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const started = Date.now();
    const restarted = await lockingProcess(dir);
    expect(restarted.outcome).toBe('locked');
    expect(Date.now() - started).toBeLessThan(5000); // the mtime check alone took 15 s
    // And the restarted one is live: it is refused to others again.
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
  });

  it('refuses a second lock taken inside the process that holds it (a CLI run beside an open database)', async () => {
    const dir = freshDir('same-process');
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toBeInstanceOf(DataDirInUseError);
    await release();
  });

  it('takes over a lock its own PID left behind when this process does not hold it (PID 1 again after a container restart)', async () => {
    const dir = freshDir('own-pid');
    const first = await lockingProcess(dir);
    first.child.kill('SIGKILL');
    await once(first.child, 'exit');
    const ownerPath = join(dir, 'baton.lock.owner');
    writeFileSync(ownerPath, JSON.stringify({ ...JSON.parse(readFileSync(ownerPath, 'utf8')), pid: process.pid }));
    const release = await lockDataDir(dir);
    await release();
  });

  it('releases on close, so the next owner takes it without any staleness check', async () => {
    const dir = freshDir('released');
    const release = await lockDataDir(dir);
    await release();
    const again = await lockDataDir(dir);
    await again();
  });
});
