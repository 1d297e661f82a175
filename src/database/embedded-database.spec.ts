import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { PGlite } from '@electric-sql/pglite';
import { EmbeddedDatabase } from './embedded-database';

jest.mock('node:v8', () => ({ ...jest.requireActual('node:v8'), setFlagsFromString: jest.fn() }));
jest.mock('@electric-sql/pglite', () => ({ PGlite: { defaultStartParams: ['--single'], create: jest.fn() } }));

const create = PGlite.create as unknown as jest.Mock;
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'baton-embedded-'));
  // An initialised directory: no initdb child.
  mkdirSync(join(dir, 'pgdata'));
  writeFileSync(join(dir, 'pgdata', 'PG_VERSION'), '17\n');
  create.mockReset().mockResolvedValue({ closed: false, close: jest.fn().mockResolvedValue(undefined) });
  (setFlagsFromString as jest.Mock).mockClear();
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('EmbeddedDatabase.open', () => {
  it('keeps V8 to baseline WebAssembly code before PGlite compiles PostgreSQL, and passes shared_buffers', async () => {
    let flagsAtCompile: unknown[] = [];
    create.mockImplementation(() => {
      flagsAtCompile = (setFlagsFromString as jest.Mock).mock.calls.map(([flags]) => flags);
      return Promise.resolve({ closed: false, close: jest.fn().mockResolvedValue(undefined) });
    });

    const db = await EmbeddedDatabase.open(dir, '16MB');
    await db.close();

    expect(flagsAtCompile).toEqual(['--liftoff-only']);
    expect(create).toHaveBeenCalledWith(join(dir, 'pgdata'), { startParams: ['--single', '-c', 'shared_buffers=16MB'] });
  });
});
