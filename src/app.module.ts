import { Module } from '@nestjs/common';
import { ScheduleModule } from '@nestjs/schedule';
import { AuthModule } from './auth/auth.module';
import { LoggingModule } from './common/logging/logging.module';
import { ConfigModule } from './config/config.module';
import { DatabaseModule } from './database/database.module';
import { EngineModule } from './engine/engine.module';
import { HealingModule } from './healing/healing.module';
import { HealthModule } from './health/health.module';
import { MessagingModule } from './messaging/messaging.module';
import { MetricsModule } from './metrics/metrics.module';
import { OrcaModule } from './orca/orca.module';
import { RegistryModule } from './registry/registry.module';
import { TracingModule } from './tracing/tracing.module';
import { WorkersModule } from './workers/workers.module';

@Module({
  imports: [
    ConfigModule,
    LoggingModule,
    MetricsModule,
    DatabaseModule,
    AuthModule,
    ScheduleModule.forRoot(),
    MessagingModule,
    RegistryModule,
    EngineModule,
    HealingModule,
    HealthModule,
    OrcaModule,
    WorkersModule,
    TracingModule,
  ],
})
export class AppModule {}
