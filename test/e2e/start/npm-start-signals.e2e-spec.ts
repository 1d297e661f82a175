import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { expectEventually } from '../../helpers/expect-eventually';

/**
 * A supervisor that stops `npm start` signals npm, which passes the signal to its script's shell.
 * Our start script, run by npm in a project holding only it, must hand that signal to Baton: with a
 * shell in between that does not pass it on, Baton was left running, orphaned, on its port.
 */
const repo = resolve(__dirname, '../../..');
const START = (JSON.parse(readFileSync(join(repo, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;

/** Stands in for Baton: says it is up, and on SIGTERM writes a file and exits as Baton does. */
const FAKE_MAIN = `
const { writeFileSync } = require('node:fs');
process.on('SIGTERM', () => { writeFileSync(process.env.STOPPED_FILE, String(process.pid)); process.exit(0); });
process.stdout.write('up ' + process.pid + '\\n');
setInterval(() => undefined, 1000);
`;

describe('npm start hands a stop signal to Baton', () => {
  let root: string;
  // Whatever this test started is stopped, even when it fails: an orphan would keep jest waiting.
  const started: number[] = [];

  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'baton-start-'));
    mkdirSync(join(root, 'dist/src'), { recursive: true });
    writeFileSync(join(root, 'dist/src/main.js'), FAKE_MAIN);
    writeFileSync(join(root, 'package.json'), JSON.stringify({ name: 'start-fixture', private: true, scripts: { start: START } }));
  });
  afterEach(() => {
    for (const pid of started.splice(0)) if (alive(pid)) process.kill(pid, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  it('stops Baton when npm gets SIGTERM, leaving no process behind', async () => {
    const stopped = join(root, 'stopped');
    const npm = spawn('npm', ['start', '--silent'], { cwd: root, env: { ...process.env, STOPPED_FILE: stopped }, stdio: ['ignore', 'pipe', 'pipe'] });
    started.push(npm.pid!);
    let out = '';
    npm.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    await expectEventually(() => expect(out).toMatch(/^up \d+/m), { timeoutMs: 15_000 });
    const baton = Number(/^up (\d+)/m.exec(out)![1]);
    started.push(baton);
    npm.kill('SIGTERM');
    await expectEventually(() => expect(existsSync(stopped)).toBe(true), { timeoutMs: 10_000 });
    expect(readFileSync(stopped, 'utf8')).toBe(String(baton));
    await expectEventually(() => expect(alive(baton)).toBe(false), { timeoutMs: 5000 });
  }, 30_000);
});

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
