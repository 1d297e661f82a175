import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { HealerHealthIndicator } from '../healing/healer.health';
import { MessagingHealthIndicator } from '../messaging/messaging.health';

@ApiTags('operations')
@Controller('api/orchestration/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly healer: HealerHealthIndicator,
  ) {}

  @Get()
  @HealthCheck()
  @ApiOperation({ summary: 'Database, broker, outbox and healer status; 503 when a dependency is down' })
  check() {
    return this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      () => this.messaging.check('messaging'),
      () => this.healer.check('healer'),
    ]);
  }
}
