import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../../src/database/data-dir-lock';
import { EmbeddedDatabase } from '../../../src/database/embedded-database';

describe('the embedded database', () => {
  let dir: string;
  beforeAll(() => { dir = mkdtempSync(join(tmpdir(), 'baton-embedded-')); });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function sharedBuffers(db: EmbeddedDatabase): Promise<string> {
    const { rows } = await db.pglite.query<{ shared_buffers: string }>('SHOW shared_buffers');
    return rows[0].shared_buffers;
  }

  it('initialises a new directory, opens it with the shared_buffers asked for, and reopens it', async () => {
    const first = await EmbeddedDatabase.open(dir);
    try {
      expect(existsSync(join(dir, 'pgdata', 'PG_VERSION'))).toBe(true);
      expect(await sharedBuffers(first)).toBe('8MB');
      await first.pglite.exec('CREATE TABLE kept (id int); INSERT INTO kept VALUES (7)');
    } finally {
      await first.close();
    }
    const second = await EmbeddedDatabase.open(dir, '24MB');
    try {
      expect(await sharedBuffers(second)).toBe('24MB');
      expect((await second.pglite.query<{ id: number }>('SELECT id FROM kept')).rows).toEqual([{ id: 7 }]);
    } finally {
      await second.close();
    }
  }, 180_000);

  it('says why a directory cannot be initialised, and frees its lock', async () => {
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'pgdata'), 'a file where the data directory goes');
    await expect(EmbeddedDatabase.open(blocked)).rejects.toThrow(/Could not initialise the embedded database/);
    const release = await lockDataDir(blocked);
    await release();
  }, 60_000);
});
