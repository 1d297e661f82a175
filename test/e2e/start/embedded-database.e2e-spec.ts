import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir } from '../../../src/database/data-dir-lock';
import { EmbeddedCheckpoints } from '../../../src/database/embedded-checkpoints';
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

  it('a CHECKPOINT moves the redo point to the last write, so a restart after kill -9 replays nothing before it', async () => {
    const db = await EmbeddedDatabase.open(dir);
    const redo = async () => (await db.pglite.query<{ redo: string; insert: string }>(
      'SELECT redo_lsn::text AS redo, pg_current_wal_insert_lsn()::text AS insert FROM pg_control_checkpoint()')).rows[0];
    try {
      await db.pglite.exec('CREATE TABLE IF NOT EXISTS written (id int); INSERT INTO written SELECT generate_series(1, 1000)');
      const before = await redo();
      expect(before.redo).not.toBe(before.insert);
      await new EmbeddedCheckpoints(() => db.pglite.exec('CHECKPOINT'), 1000).tick();
      const { rows } = await db.pglite.query<{ covered: boolean }>(
        'SELECT pg_wal_lsn_diff(redo_lsn, $1::pg_lsn) >= 0 AS covered FROM pg_control_checkpoint()', [before.insert]);
      expect(rows).toEqual([{ covered: true }]);
    } finally {
      await db.close();
    }
  }, 60_000);

  it('says why a directory cannot be initialised, and frees its lock', async () => {
    const blocked = join(dir, 'blocked');
    mkdirSync(blocked);
    writeFileSync(join(blocked, 'pgdata'), 'a file where the data directory goes');
    await expect(EmbeddedDatabase.open(blocked)).rejects.toThrow(/Could not initialise the embedded database/);
    const release = await lockDataDir(blocked);
    await release();
  }, 60_000);
});
