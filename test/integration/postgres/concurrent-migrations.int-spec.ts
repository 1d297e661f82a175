import 'reflect-metadata'; // loadConfig converts numbers by the settings' design types
import type { MigrationInterface, QueryRunner } from 'typeorm';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { MigrationLockingDataSource } from '../../../src/database/migration-lock';
import { freshDatabase } from '../../helpers/postgres';

type MigrationList = Array<new () => MigrationInterface>;

/**
 * Instances starting at once on an empty database: without the migration lock, all ran the same
 * migrations together and all but one failed on `duplicate key value violates unique constraint
 * "pg_type_typname_nsp_index"` (read as a failure to connect, and retried).
 */
describe('migrations on PostgreSQL', () => {
  it('run one after another under the advisory lock: every instance starts, each migration is applied once', async () => {
    const db = await freshDatabase();
    const options = { ...dataSourceOptions(loadConfig({ DATABASE_URL: db.url, MIGRATIONS_RUN: 'true' })), migrationsRun: true };
    const instances = [1, 2, 3].map(() => new MigrationLockingDataSource(options));
    try {
      const started = await Promise.allSettled(instances.map((ds) => ds.initialize()));
      expect(started.map((s) => (s.status === 'rejected' ? String(s.reason) : 'started'))).toEqual(['started', 'started', 'started']);
      const [{ n }] = await instances[0].query('SELECT count(*)::int AS n FROM migrations');
      expect(n).toBe(instances[0].migrations.length);
      expect(await instances[0].showMigrations()).toBe(false); // none pending
    } finally {
      await Promise.all(instances.map((ds) => (ds.isInitialized ? ds.destroy() : undefined)));
      await db.drop();
    }
  });

  it('run, and are undone, past DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_LOCK_TIMEOUT_MS, which hold again for every statement after them', async () => {
    const db = await freshDatabase();
    const config = loadConfig({
      DATABASE_URL: db.url, MIGRATIONS_RUN: 'true', DATABASE_STATEMENT_TIMEOUT_MS: '400', DATABASE_LOCK_TIMEOUT_MS: '300', DATABASE_POOL_SIZE: '1',
    });
    const options = dataSourceOptions(config);
    // A migration longer than the statement timeout, as an index on a large table would be, and
    // than the client's own bound on a silent server (1.4 s here: bounded-client.ts), which is
    // lifted for migrations too. The limits leave room for TypeORM's own statements before the
    // exemption on a loaded machine.
    class SlowMigration1900000000000 implements MigrationInterface {
      async up(runner: QueryRunner): Promise<void> { await runner.query('SELECT pg_sleep(2)'); }
      async down(runner: QueryRunner): Promise<void> { await runner.query('SELECT pg_sleep(2)'); }
    }
    const ds = new MigrationLockingDataSource({ ...options, migrations: [...(options.migrations as MigrationList), SlowMigration1900000000000], migrationsRun: true });
    try {
      await ds.initialize();
      expect(await ds.showMigrations()).toBe(false); // all applied, the slow one included
      // One connection: the one that migrated.
      const limits = () => ds.query(`SELECT current_setting('statement_timeout') AS s, current_setting('lock_timeout') AS l`);
      expect(await limits()).toEqual([{ s: '400ms', l: '300ms' }]);
      await expect(ds.query('SELECT pg_sleep(1)')).rejects.toMatchObject({ driverError: { code: '57014' } });
      await ds.undoLastMigration(); // migration:revert
      expect(await ds.showMigrations()).toBe(true); // the slow one is pending again
      expect(await limits()).toEqual([{ s: '400ms', l: '300ms' }]);
    } finally {
      if (ds.isInitialized) await ds.destroy();
      await db.drop();
    }
  });
});
