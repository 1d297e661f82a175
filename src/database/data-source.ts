// Entry point for the TypeORM CLI (npm run migration:generate / migration:run). With no
// DATABASE_URL it opens the embedded database in DATA_DIR: stop Baton first.
import { PGlite } from '@electric-sql/pglite';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from './data-source-options';
import { MigrationLockingDataSource } from './migration-lock';
import { prepareDataDir } from './prepare-data-dir';

const config = loadConfig();
let pglite: PGlite | undefined;
if (config.embedded) {
  pglite = new PGlite(`${prepareDataDir(config.DATA_DIR)}/pgdata`);
}

// migration:run waits for a Baton migrating the same database at start, and the other way round.
const dataSource = new MigrationLockingDataSource({ ...dataSourceOptions(config, pglite), migrationsRun: false });
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
