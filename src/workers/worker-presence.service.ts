import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, MoreThan } from 'typeorm';
import { AppConfig } from '../config/app-config';
import type { PresenceDto, ServicePresenceDto } from './dto/presence.dto';
import { WorkerInstanceEntity } from './worker-instance.entity';
import { liveSteps } from './live-steps';

/** Worker instances' presence: recorded on every beat, read as "live within the TTL". */
@Injectable()
export class WorkerPresence {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig) {}

  async beat(service: string, p: PresenceDto): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO worker_instance (instance_id, service_name, host, sdk_version, steps, last_seen_at)
       VALUES ($1, $2, $3, $4, $5::jsonb, now())
       ON CONFLICT (instance_id) DO UPDATE SET host = EXCLUDED.host, sdk_version = EXCLUDED.sdk_version,
         steps = EXCLUDED.steps, last_seen_at = now()
       WHERE worker_instance.service_name = EXCLUDED.service_name`,
      [p.instanceId, service, p.host, p.sdkVersion, JSON.stringify(p.steps.map(({ orchName, stepName }) => ({ orchName, stepName })))]);
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
