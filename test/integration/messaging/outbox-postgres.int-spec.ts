import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { freshDatabase } from '../../helpers/postgres';
import { describeOutboxContract } from './outbox-contract';

describeOutboxContract('PostgreSQL', async () => {
  const db = await freshDatabase();
  const dataSource = await new DataSource(dataSourceOptions(loadConfig({ DATABASE_URL: db.url }))).initialize();
  return {
    dataSource,
    close: async () => {
      await dataSource.destroy();
      await db.drop();
    },
  };
});
