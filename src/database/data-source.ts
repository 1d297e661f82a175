// Entry point for the TypeORM CLI (npm run migration:generate / migration:run). With no
// DATABASE_URL it opens the embedded database in DATA_DIR: stop Baton first.
import { PGlite } from '@electric-sql/pglite';
import { mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { DataSource } from 'typeorm';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';

const config = loadConfig();
let pglite: PGlite | undefined;
if (config.embedded) {
  const dir = resolve(config.DATA_DIR);
  mkdirSync(dir, { recursive: true });
  pglite = new PGlite(`${dir}/pgdata`);
}

const dataSource = new DataSource({ ...dataSourceOptions(config, pglite), migrationsRun: false });
if (pglite) {
  // The CLI destroys the DataSource when done; the PGlite instance must close too, or the
  // process never exits.
  const destroy = dataSource.destroy.bind(dataSource);
  dataSource.destroy = async () => {
    await destroy();
    await pglite!.close();
  };
}
export default dataSource;
