import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ownServiceOnly } from '../auth/service-scope';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { WorkerDto } from './dto/template.dto';
import { workerOf } from './registry-query.service';
import type { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import { RegistrationEvents } from './registration-events';
import { TemplateRepository } from './template.repository';
import { WorkerInUse } from './worker-in-use';

/** A count this high says enough: counting every run of a busy template would cost more than it tells. */
const COUNT_UP_TO = 1000;

/** Takes a worker off a step: its own service, the template's owner, or an admin may. */
@Injectable()
export class WorkerRemovalService {
  private readonly logger = new Logger(WorkerRemovalService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: TemplateRepository,
    private readonly events: RegistrationEvents,
    private readonly inUse: WorkerInUse,
  ) {}

  /** `force`: even while runs of the template are under way and no other worker takes the step. */
  async remove(id: string, principal: Principal, correlationId: string, force = false): Promise<WorkerDto> {
    const notFound = new AppError(ErrorCode.WORKER_REGISTRATION_NOT_FOUND, `No worker registration ${id}`);
    const worker = await this.templates.findWorker(id);
    if (!worker) throw notFound;
    const template = await this.templates.findByName(worker.orchName);
    const mayRemove = principal.roles.includes('admin')
      || (principal.service !== undefined && [worker.serviceName, template?.ownerService].includes(principal.service));
    // As for another service's template or run: not found, since a 403 naming the registration's service
    // and template would tell an unrelated service what other teams run. Readers of every worker still hear why.
    if (!mayRemove && ownServiceOnly(principal) !== undefined) throw notFound;
    if (!mayRemove) throw new AppError(ErrorCode.FORBIDDEN, `Only ${worker.serviceName}, the owner of ${worker.orchName} or an admin may remove this worker`);
    const { status, removed } = await this.dataSource.transaction(async (m) => {
      const locked = await this.templates.lockByName(m, worker.orchName);
      // Read again under the lock: a re-registration of another objectType meanwhile may have removed it.
      const registrations = await this.templates.workersOf(worker.orchName, m);
      const current = registrations.find((w) => w.id === worker.id);
      if (!current) throw notFound;
      if (locked && !force) await this.refuseWhileInUse(m, current, registrations);
      await this.templates.removeWorker(m, current);
      return { status: locked ? await this.templates.refreshReadiness(m, locked) : null, removed: current };
    });
    this.logger.log({ orchName: removed.orchName, step: removed.stepName, serviceName: removed.serviceName, by: principal.id, correlationId },
      'worker removed');
    if (status) {
      this.events.emitted({ orchName: status.orchName, role: 'worker', outcome: 'UPDATED', serviceName: removed.serviceName,
        version: status.currentVersion, status: status.status, missingSteps: status.missingSteps });
    }
    return workerOf(removed);
  }

  /**
   * A step's last worker taken away under runs in flight (WorkerInUse). Checked under the
   * template's lock, so two removals of a step's two workers cannot each count on the other; a run
   * started after it parks, as the template is PENDING once the step's last worker is gone.
   */
  private async refuseWhileInUse(m: EntityManager, worker: WorkerRegistrationEntity, registrations: WorkerRegistrationEntity[]): Promise<void> {
    const runs = await this.inUse.runsLeftWithout(m, worker, registrations, COUNT_UP_TO);
    if (runs === 0) return;
    const count = runs === COUNT_UP_TO ? `${COUNT_UP_TO} or more runs` : `${runs} run${runs === 1 ? '' : 's'}`;
    throw new AppError(ErrorCode.WORKER_IN_USE,
      `${count} of ${worker.orchName} under way would send their later ${worker.stepName} commands, undos included, to no worker: `
      + `remove it once they have finished, register another worker of ${worker.stepName} as ${worker.objectType} first, or pass force=true`, [
        { path: 'query.force', message: `${count} under way, and no other worker takes ${worker.stepName}` },
      ]);
  }
}
