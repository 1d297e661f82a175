import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealerHealthIndicator } from '../healing/healer.health';
import { HealingModule } from '../healing/healing.module';
import { MessagingModule } from '../messaging/messaging.module';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MessagingModule, HealingModule],
  providers: [MessagingHealthIndicator, HealerHealthIndicator],
  controllers: [HealthController],
})
export class HealthModule {}
