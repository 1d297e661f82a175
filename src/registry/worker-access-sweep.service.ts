import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { TemplateRepository } from './template.repository';
import { WorkerInUse } from './worker-in-use';

/**
 * At start, removes registrations that the rules of today would refuse: registering checks only
 * what is registered from now on, and the earliest registration wins a step. So after an upgrade
 * to WORKER_ACCESS=pinned (or a switch to it), a service that had registered another's step first
 * would keep receiving its runs' payloads. The templates they leave short of a worker go PENDING.
 * One an earlier version allowed stays while runs under way still need it (WorkerRegistrar.dropNotAllowed).
 */
@Injectable()
export class WorkerAccessSweep implements OnApplicationBootstrap {
  private readonly logger = new Logger(WorkerAccessSweep.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly templates: TemplateRepository,
    private readonly inUse: WorkerInUse) {}

  async onApplicationBootstrap(): Promise<void> {
    const { removed } = await this.dataSource.transaction((m) => this.templates.removeWorkersNotAllowed(m, this.inUse.stillNeeded(m)));
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
