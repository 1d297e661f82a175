import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { TemplateRepository } from './template.repository';

/**
 * The registrations of steps of current template versions by services those versions do not let
 * work them (`workers:`, or with `$1`, WORKER_ACCESS=pinned, the owner alone for a step naming none).
 */
const REMOVE_DISALLOWED = `DELETE FROM worker_registration w
    USING orchestration_template t, orchestration_step_template s
    WHERE w.orch_name = t.orch_name AND s.template_id = t.id AND s.version = t.current_version AND s.name = w.step_name
      AND (s.allowed_workers IS NOT NULL OR $1)
      AND NOT (w.service_name::text = ANY (CASE WHEN s.allowed_workers IS NULL THEN ARRAY[t.owner_service::text]
        ELSE ARRAY(SELECT jsonb_array_elements_text(s.allowed_workers)) END))
    RETURNING w.orch_name AS "orchName", w.step_name AS "stepName", w.service_name AS "serviceName"`;

/**
 * At start, removes registrations that the rules of today would refuse: registering checks only
 * what is registered from now on, and the earliest registration wins a step. So after an upgrade
 * to WORKER_ACCESS=pinned (or a switch to it), a service that had registered another's step first
 * would keep receiving its runs' payloads. The templates they leave short of a worker go PENDING.
 */
@Injectable()
export class WorkerAccessSweep implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerAccessSweep.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly templates: TemplateRepository,
    private readonly config: AppConfig) {}

  async onApplicationBootstrap(): Promise<void> {
    const [removed] = await this.dataSource.query(REMOVE_DISALLOWED, [this.config.workersPinned]) as [Array<{ orchName: string; stepName: string; serviceName: string }>, number];
    if (removed.length === 0) return;
    this.logger.warn({ removed: removed.map((r) => `${r.orchName}/${r.stepName}:${r.serviceName}`) },
      `removed ${removed.length} worker registration(s) of services their templates do not let work the step (WORKER_ACCESS, workers:)`);
    for (const orchName of new Set(removed.map((r) => r.orchName))) {
      await this.dataSource.transaction(async (m) => {
        const template = await this.templates.lockByName(m, orchName);
        if (template) await this.templates.refreshReadiness(m, template);
      });
    }
  }
}
