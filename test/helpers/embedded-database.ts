import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../src/config/load-config';
import { dataSourceOptions } from '../../src/database/data-source-options';

export interface EmbeddedDatabase {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A fresh embedded database with every migration applied, configured exactly as the app
 * configures PGlite (one connection, every entity).
 */
export async function openEmbeddedDatabase(): Promise<EmbeddedDatabase> {
  // A directory, not memory: PGlite's in-memory mode needs a dynamic import Jest cannot do.
  const dir = mkdtempSync(join(tmpdir(), 'baton-embedded-'));
  const pglite = await PGlite.create(join(dir, 'pgdata'));
  const dataSource = new DataSource({ ...dataSourceOptions(loadConfig({ MIGRATIONS_RUN: 'true' }), pglite), logging: false });
  await dataSource.initialize();
  return {
    dataSource,
    async close() {
      if (dataSource.isInitialized) await dataSource.destroy();
      if (!pglite.closed) await pglite.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
