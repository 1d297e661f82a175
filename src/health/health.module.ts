import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealerHealthIndicator } from '../healing/healer.health';
import { HealingModule } from '../healing/healing.module';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { InstanceHealthIndicator } from '../messaging/outbox/instance.health';
import { Draining } from './draining';
import { HealthController } from './health.controller';
import { ScrapedGauges } from './scraped-gauges';

// The indicators need terminus's HealthIndicatorService, so they are provided here; the
// messaging and instance ones' other dependencies come from the global MessagingModule.
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), HealingModule],
  providers: [MessagingHealthIndicator, InstanceHealthIndicator, HealerHealthIndicator, Draining, ScrapedGauges],
  controllers: [HealthController],
})
export class HealthModule {}
