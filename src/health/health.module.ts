import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { HealthController } from './health.controller';

// MessagingHealthIndicator needs terminus's HealthIndicatorService, so it is provided here; its
// other dependencies come from the global MessagingModule.
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  providers: [MessagingHealthIndicator],
  controllers: [HealthController],
})
export class HealthModule {}
