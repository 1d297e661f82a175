import 'reflect-metadata';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { EmbeddedDatabase } from '../../../src/database/embedded-database';
import { describeOutboxContract } from '../../integration/messaging/outbox-contract';

describeOutboxContract('embedded PGlite', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'baton-outbox-'));
  const embedded = await EmbeddedDatabase.open(dir);
  const dataSource = await new DataSource(dataSourceOptions(loadConfig({ DATA_DIR: dir }), embedded.pglite)).initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await embedded.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
});
