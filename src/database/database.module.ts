import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { dataSourceOptions } from './data-source-options';
import { EmbeddedDatabase } from './embedded-database';

/** The embedded instance, if any; closed only after TypeORM has let go of it. */
export class EmbeddedDatabaseHolder implements OnApplicationShutdown {
  private dataSource?: DataSource;

  constructor(readonly instance: EmbeddedDatabase | undefined) {}

  attach(dataSource: DataSource): void {
    this.dataSource = dataSource;
  }

  async onApplicationShutdown(): Promise<void> {
    if (!this.instance) return;
    if (this.dataSource?.isInitialized) await this.dataSource.destroy();
    await this.instance.close();
  }
}

@Module({
  providers: [{
    provide: EmbeddedDatabaseHolder,
    inject: [AppConfig],
    useFactory: async (config: AppConfig) =>
      new EmbeddedDatabaseHolder(config.embedded ? await EmbeddedDatabase.open(config.DATA_DIR, config.EMBEDDED_SHARED_BUFFERS) : undefined),
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
      useFactory: (config: AppConfig, holder: EmbeddedDatabaseHolder) =>
        dataSourceOptions(config, holder.instance?.pglite),
    }),
  ],
})
export class DatabaseModule {
  constructor(dataSource: DataSource, holder: EmbeddedDatabaseHolder) {
    holder.attach(dataSource);
  }
}
