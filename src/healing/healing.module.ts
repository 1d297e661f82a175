import { Module } from '@nestjs/common';
import { EngineModule } from '../engine/engine.module';
import { RegistryModule } from '../registry/registry.module';
import { Healer } from './healer.service';
import { Retention } from './retention.service';
import { RunRetentionRepository } from './run-retention.repository';
import { RunRevivals } from './run-revivals.service';
import { StuckWorkRepository } from './stuck-work.repository';

@Module({
  imports: [EngineModule, RegistryModule],
  providers: [Healer, Retention, RunRevivals, RunRetentionRepository, StuckWorkRepository],
  exports: [Healer],
})
export class HealingModule {}
