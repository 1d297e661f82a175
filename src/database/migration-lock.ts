import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource, Migration, MigrationExecutor, QueryRunner } from 'typeorm';
import { BoundedClient } from './bounded-client';

/**
 * The advisory lock every Baton takes on its database before it migrates it: any constant, the
 * same for all versions (here the bytes of "BATN" and 1). PostgreSQL's advisory locks share one
 * space per database: a key this arbitrary will not be another application's.
 */
const MIGRATION_LOCK_KEY = 0x4241544e_01;

/** DATABASE_STATEMENT_TIMEOUT_MS and DATABASE_LOCK_TIMEOUT_MS, which migrations are exempt from. */
const LIMITS = ['statement_timeout', 'lock_timeout'];

/** How often a waiting instance asks for the lock again. */
const RETRY_MS = 250;

type MigrationOptions = Parameters<DataSource['runMigrations']>[0];

/**
 * Runs migrations (the pending ones, or an undo of the last) while holding MIGRATION_LOCK_KEY, on
 * the one connection that holds it (PGlite has only one). Instances starting at once on an empty
 * database raced to create the same types and tables: two of three failed with `duplicate key
 * value violates unique constraint "pg_type_typname_nsp_index"`, reported as a failure to connect.
 * Now the others wait, then find nothing left to run. Embedded (PGlite) the lock is taken as well,
 * and never contended.
 */
async function migrateLocked<T>(
  dataSource: DataSource, options: MigrationOptions, migrate: (executor: MigrationExecutor) => Promise<T>,
): Promise<T> {
  const queryRunner = dataSource.createQueryRunner();
  try {
    await lock(queryRunner);
    // A migration (an index on a large table) may take longer than DATABASE_STATEMENT_TIMEOUT_MS,
    // and wait for the locks of transactions under way longer than DATABASE_LOCK_TIMEOUT_MS.
    for (const limit of LIMITS) await queryRunner.query(`SET ${limit} = 0`);
    try {
      const executor = new MigrationExecutor(dataSource, queryRunner);
      executor.transaction = options?.transaction ?? dataSource.options.migrationsTransactionMode ?? 'all';
      executor.fake = options?.fake ?? false;
      // The client-side bound follows the statement timeout (bounded-client.ts), so it is lifted too.
      return await BoundedClient.unbounded(await queryRunner.connect(), () => migrate(executor));
    } finally {
      for (const limit of LIMITS) await queryRunner.query(`RESET ${limit}`); // the connection goes back to the pool
      await queryRunner.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_KEY]);
    }
  } finally {
    await queryRunner.release();
  }
}

/**
 * Tries for the lock until it has it, rather than waiting inside pg_advisory_lock: a session
 * waiting there is a transaction in progress, which a migration's CREATE INDEX CONCURRENTLY waits
 * for, while it waits for the lock that migration's session holds (PostgreSQL: "deadlock detected").
 */
async function lock(queryRunner: QueryRunner): Promise<void> {
  let said = false;
  for (;;) {
    const [{ locked }] = await queryRunner.query('SELECT pg_try_advisory_lock($1) AS locked', [MIGRATION_LOCK_KEY]) as [{ locked: boolean }];
    if (locked) return;
    if (!said) new Logger('Database').log('Another instance is migrating the database: waiting for it');
    said = true;
    await sleep(RETRY_MS);
  }
}

/**
 * A DataSource whose migrations (at initialize with migrationsRun, or the CLI's migration:run and
 * migration:revert) run under the lock, exempt from the statement and lock timeouts.
 */
export class MigrationLockingDataSource extends DataSource {
  override async runMigrations(options?: MigrationOptions): Promise<Migration[]> {
    if (!this.isInitialized) return super.runMigrations(options); // TypeORM's own "not connected" error
    return migrateLocked(this, options, (executor) => executor.executePendingMigrations());
  }

  override async undoLastMigration(options?: MigrationOptions): Promise<void> {
    if (!this.isInitialized) return super.undoLastMigration(options);
    return migrateLocked(this, options, (executor) => executor.undoLastMigration());
  }
}
