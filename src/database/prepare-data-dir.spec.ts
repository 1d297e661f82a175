import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from '../config/load-config';
import { prepareDataDir } from './prepare-data-dir';

describe('prepareDataDir', () => {
  const root = mkdtempSync(join(tmpdir(), 'baton-data-dir-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('creates a missing directory, parents included, and answers its absolute path', () => {
    const dir = prepareDataDir(join(root, 'a', 'b'));
    expect([dir, statSync(dir).isDirectory()]).toEqual([join(root, 'a', 'b'), true]);
  });

  it('refuses a file, or a path under one, naming DATA_DIR and what to do', () => {
    const file = join(root, 'a-file');
    writeFileSync(file, '');
    for (const path of [file, join(file, 'sub')]) {
      expect(() => prepareDataDir(path)).toThrow(ConfigError);
      expect(() => prepareDataDir(path)).toThrow(`DATA_DIR ${path} is not a directory (or lies under a file): set DATA_DIR to a directory`);
    }
  });

  // Node's recursive mkdir spun for ever on this (a CPU at 100%, no start, no message).
  it('refuses a place under /proc at once, naming DATA_DIR', () => {
    expect(() => prepareDataDir('/proc/baton-data')).toThrow('DATA_DIR /proc/baton-data cannot be created or written here: set DATA_DIR');
  });
});
