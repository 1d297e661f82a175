import { Global, Module, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { worthRetrying } from './connect-retry';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedCheckpoints } from './embedded-checkpoints';
import { EmbeddedDatabase } from './embedded-database';
import { MigrationLockingDataSource } from './migration-lock';

/**
 * The embedded instance, if any: checkpointed on a timer once the application is up (through
 * TypeORM's pool, so a checkpoint waits its turn on PGlite's one session), and closed only after
 * TypeORM has let go of it.
 */
export class EmbeddedDatabaseHolder implements OnApplicationBootstrap, OnApplicationShutdown {
  private dataSource?: DataSource;
  private checkpoints?: EmbeddedCheckpoints;

  constructor(readonly instance: EmbeddedDatabase | undefined, private readonly checkpointIntervalMs = 0) {}

  attach(dataSource: DataSource): void {
    this.dataSource = dataSource;
  }

  onApplicationBootstrap(): void {
    const dataSource = this.dataSource;
    if (!this.instance || !dataSource) return;
    this.checkpoints = new EmbeddedCheckpoints(() => dataSource.query('CHECKPOINT'), this.checkpointIntervalMs);
    this.checkpoints.start();
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.instance) return;
    await this.checkpoints?.stop();
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.instance.close();
  }
}

@Module({
  providers: [{
    provide: EmbeddedDatabaseHolder,
    inject: [AppConfig],
    useFactory: async (config: AppConfig) =>
      new EmbeddedDatabaseHolder(
        config.embedded ? await EmbeddedDatabase.open(config.DATA_DIR, config.EMBEDDED_SHARED_BUFFERS) : undefined,
        config.EMBEDDED_CHECKPOINT_INTERVAL_MS,
      ),
  }],
  exports: [EmbeddedDatabaseHolder],
})
class EmbeddedDatabaseModule {}

@Global()
@Module({
  imports: [
    EmbeddedDatabaseModule,
    TypeOrmModule.forRootAsync({
      imports: [EmbeddedDatabaseModule],
      inject: [AppConfig, EmbeddedDatabaseHolder],
      // A refusal no retry cures stops the start at once (worthRetrying); each retried failure names its cause in the line.
      useFactory: (config: AppConfig, holder: EmbeddedDatabaseHolder) =>
        ({ ...dataSourceOptions(config, holder.instance?.pglite), toRetry: worthRetrying, verboseRetryLog: true }),
      // Instances starting at once on one database migrate it one after another (migration-lock.ts).
      dataSourceFactory: (options) => Promise.resolve(new MigrationLockingDataSource(options!)),
    }),
  ],
})
export class DatabaseModule {
  constructor(dataSource: DataSource, holder: EmbeddedDatabaseHolder) {
    holder.attach(dataSource);
  }
}
