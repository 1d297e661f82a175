import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { HealerHealthIndicator } from '../healing/healer.health';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { Draining } from './draining';

@ApiTags('operations')
@Controller('api/orchestration/health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly healer: HealerHealthIndicator,
    private readonly draining: Draining,
  ) {}

  /**
   * Liveness, apart from readiness (below): a process that answers is alive, whatever its database
   * or broker. A liveness probe on readiness restarted every instance at a database blip, and each
   * one draining too.
   */
  @Get('live')
  @Public()
  @ApiOperation({ summary: 'Liveness: 200 while the process answers, whatever its dependencies (for a liveness probe; use the health check for readiness)' })
  @ApiOkResponse({ schema: { type: 'object', properties: { status: { type: 'string', enum: ['ok'] } }, required: ['status'] } })
  live(): { status: 'ok' } {
    return { status: 'ok' };
  }

  @Get()
  @Public()
  @HealthCheck()
  @ApiOperation({ summary: 'Database, broker, outbox and healer status; 503 when a dependency is down, or while Baton drains before it stops. Without credentials, or with a service key only: the status only' })
  async check(@CurrentPrincipal() principal?: Principal): Promise<HealthCheckResult | { status: string }> {
    if (this.draining.active) throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'Baton is stopping');
    const checking = this.health.check([
      () => this.db.pingCheck('database', { timeout: 3000 }),
      () => this.messaging.check('messaging'),
      () => this.healer.check('healer'),
    ]);
    if (principal?.roles.some((role) => role !== 'service')) return checking;
    // Load balancers need the status; the backlog and broker details are for people with a role. Not
    // for a service: they list every service's command topic, which tells it of the others.
    try {
      const { status } = await checking;
      return { status };
    } catch (e) {
      if (e instanceof HttpException && e.getStatus() === 503) throw new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'A dependency is down');
      throw e;
    }
  }
}
