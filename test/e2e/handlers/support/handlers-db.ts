import 'reflect-metadata';
import { PGlite } from '@electric-sql/pglite';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../../src/config/load-config';
import { dataSourceOptions } from '../../../../src/database/data-source-options';
import { ENTITIES } from '../../../../src/database/entities';
import { JobExecutionEntity } from '../../../../src/handlers/job-execution.entity';

export interface HandlersDb {
  dataSource: DataSource;
  close(): Promise<void>;
}

/**
 * A fresh embedded database with every migration applied, configured exactly as the app
 * configures PGlite (one connection). JobExecutionEntity is added in case the shared entity list
 * does not carry it yet.
 */
export async function openHandlersDb(): Promise<HandlersDb> {
  // A directory, not memory: PGlite's in-memory mode needs a dynamic import Jest cannot do.
  const dir = mkdtempSync(join(tmpdir(), 'baton-handlers-'));
  const pglite = await PGlite.create(join(dir, 'pgdata'));
  const config = loadConfig({ MIGRATIONS_RUN: 'true' });
  const options = dataSourceOptions(config, pglite);
  const entities = [...new Set<Function>([...(ENTITIES as Function[]), JobExecutionEntity])];
  const dataSource = new DataSource({ ...options, entities, logging: false });
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
