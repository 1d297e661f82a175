import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import type { PresenceDto, ServicePresenceDto } from './dto/presence.dto';
import { WorkerInstanceEntity } from './worker-instance.entity';
import { liveSteps } from './live-steps';

/** Worker instances' presence: recorded on every beat, read as "live within the TTL". */
@Injectable()
export class WorkerPresence {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig) {}

  /**
   * Records a beat. A new instance past WORKER_INSTANCES_PER_SERVICE live ones is refused: each is a
   * row, and a service key could otherwise write one per request under made-up ids. Two new ones
   * racing for the last place may both get it (the count is not locked): a bound, not a quota. A
   * live instance always beats again, over the bound too (after that race, or the bound lowered):
   * refused, every instance of the service would lapse.
   * A beat under an id another service holds changes nothing, as before.
   */
  async beat(service: string, p: PresenceDto): Promise<void> {
    const [{ written, live }]: Array<{ written: number; live: number }> = await this.dataSource.query(
      `WITH live AS (
         SELECT count(*)::int AS n FROM worker_instance
          WHERE service_name = $2 AND instance_id <> $1 AND last_seen_at > now() - make_interval(secs => $6)
       ), written AS (
         INSERT INTO worker_instance (instance_id, service_name, host, sdk_version, steps, last_seen_at)
         SELECT $1, $2, $3, $4, $5::jsonb, now() FROM live
          WHERE live.n < $7 OR EXISTS (SELECT 1 FROM worker_instance WHERE instance_id = $1 AND service_name = $2
            AND last_seen_at > now() - make_interval(secs => $6))
         ON CONFLICT (instance_id) DO UPDATE SET host = EXCLUDED.host, sdk_version = EXCLUDED.sdk_version,
           steps = EXCLUDED.steps, last_seen_at = now()
         WHERE worker_instance.service_name = EXCLUDED.service_name
         RETURNING 1
       ) SELECT (SELECT count(*) FROM written)::int AS written, (SELECT n FROM live) AS live`,
      [p.instanceId, service, p.host, p.sdkVersion, JSON.stringify(p.steps.map(({ orchName, stepName }) => ({ orchName, stepName }))),
        this.config.WORKER_PRESENCE_TTL_SECONDS, this.config.WORKER_INSTANCES_PER_SERVICE]);
    if (written === 0 && live >= this.config.WORKER_INSTANCES_PER_SERVICE) {
      throw new AppError(ErrorCode.TOO_MANY_WORKER_INSTANCES,
        `${service} has ${live} live worker instances, as many as WORKER_INSTANCES_PER_SERVICE allows: a new one is refused `
        + 'until another stops or its presence expires', [], { retryAfterSeconds: this.config.WORKER_PRESENCE_TTL_SECONDS });
    }
  }

  /** An instance that stops says so, so that READINESS=live reacts without waiting for the TTL. */
  async leave(service: string, instanceId: string): Promise<void> {
    await this.dataSource.getRepository(WorkerInstanceEntity).delete({ instanceId, serviceName: service });
  }

  async of(service: string): Promise<ServicePresenceDto> {
    const since = new Date(Date.now() - this.config.WORKER_PRESENCE_TTL_SECONDS * 1000);
    const rows = await this.dataSource.getRepository(WorkerInstanceEntity).find({
      where: { serviceName: service, lastSeenAt: MoreThan(since) }, order: { lastSeenAt: 'DESC' },
    });
    return {
      service,
      instances: rows.map(({ instanceId, host, sdkVersion, lastSeenAt }) => ({ instanceId, host, sdkVersion, lastSeenAt })),
      steps: liveSteps(rows),
    };
  }
}
