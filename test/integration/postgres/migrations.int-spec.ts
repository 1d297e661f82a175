import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { freshDatabase } from '../../helpers/postgres';

describe('migrations on PostgreSQL 15', () => {
  it('run up, down to nothing, and up again', async () => {
    const db = await freshDatabase();
    const ds = new DataSource({ ...dataSourceOptions(loadConfig({ DATABASE_URL: db.url })), migrationsRun: false });
    await ds.initialize();
    try {
      const tables = async () => (await ds.query(`SELECT count(*)::int AS n FROM information_schema.tables WHERE table_schema = 'public' AND table_name <> 'migrations'`))[0].n;
      const applied = await ds.runMigrations();
      expect(applied.length).toBe(ds.migrations.length);
      expect(await tables()).toBeGreaterThanOrEqual(10);
      for (let i = 0; i < applied.length; i++) await ds.undoLastMigration();
      expect(await tables()).toBe(0);
      await ds.runMigrations();
      expect(await tables()).toBeGreaterThanOrEqual(10);
    } finally {
      await ds.destroy();
      await db.drop();
    }
  });
});
