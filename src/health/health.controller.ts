import { Controller, Get, HttpException } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/access.decorator';
import { CurrentPrincipal } from '../auth/current-principal';
import type { Principal } from '../auth/principal';
import { NotReadyError } from '../common/errors/not-ready-error';
import { HealerHealthIndicator } from '../healing/healer.health';
import { MessagingHealthIndicator } from '../messaging/messaging.health';
import { InstanceHealthIndicator } from '../messaging/outbox/instance.health';
import { Draining } from './draining';
import { HealthStateLog } from './health-state-log';
import { isDegraded } from './readiness';

/** Terminus's result, or `degraded`: up but for the broker, the healer or a shared INSTANCE_ID. */
type Checked = HealthCheckResult | (Omit<HealthCheckResult, 'status'> & { status: 'degraded' });

@ApiTags('operations')
@Controller('api/orchestration/health')
export class HealthController {
  private readonly stateLog = new HealthStateLog();

  constructor(
    private readonly health: HealthCheckService,
    private readonly db: TypeOrmHealthIndicator,
    private readonly messaging: MessagingHealthIndicator,
    private readonly healer: HealerHealthIndicator,
    private readonly instance: InstanceHealthIndicator,
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
  @ApiOperation({ summary: 'Readiness, with the database, broker, outbox and healer status: 503 while the database is down or Baton drains before it stops; '
    + '200 with status "degraded" while only the broker or the healer is, or another process runs with this INSTANCE_ID (runs are still taken, into the outbox). '
    + 'Without credentials, or with a service key only: the status only' })
  async check(@CurrentPrincipal() principal?: Principal): Promise<Checked | { status: string }> {
    if (this.draining.active) throw new NotReadyError('Baton is stopping');
    // Load balancers need the status; the backlog and broker details are for people with a role. Not
    // for a service: they list every service's command topic, which tells it of the others.
    const details = principal?.roles.some((role) => role !== 'service') ?? false;
    const result = await this.checked(details);
    return details ? result : { status: result.status };
  }

  /** Terminus's check, its failure logged once per change of what is down. */
  private async checked(details: boolean): Promise<Checked> {
    try {
      const result = await this.health.check([
        () => this.db.pingCheck('database', { timeout: 3000 }),
        () => this.messaging.check('messaging', details),
        () => this.healer.check('healer'),
        () => this.instance.check('instance'),
      ]);
      this.stateLog.up();
      return result;
    } catch (e) {
      const answer = e instanceof HttpException && e.getStatus() === 503 ? e.getResponse() as HealthCheckResult : undefined;
      const degraded = isDegraded(answer);
      this.stateLog.failed(e, degraded);
      if (degraded) return { ...answer, status: 'degraded' };
      if (!details && answer) throw new NotReadyError('A dependency is down');
      throw e;
    }
  }
}
