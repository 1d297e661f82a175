import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { MigrationLockingDataSource } from '../../../src/database/migration-lock';
import { freshDatabase } from '../../helpers/postgres';

/**
 * Instances starting at once on an empty database: without the migration lock, all ran the same
 * migrations together and all but one failed on `duplicate key value violates unique constraint
 * "pg_type_typname_nsp_index"` (read as a failure to connect, and retried).
 */
describe('migrations of instances starting at once on PostgreSQL', () => {
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
});
