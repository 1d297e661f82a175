import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { MessagingModule } from '../messaging/messaging.module';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { HealthController } from './health.controller';

@Module({
  imports: [TerminusModule.forRoot({ logger: false }), MessagingModule],
  providers: [MessagingHealthIndicator],
  controllers: [HealthController],
})
export class HealthModule {}
