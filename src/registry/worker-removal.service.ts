import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import type { Principal } from '../auth/principal';
import { ownServiceOnly } from '../auth/service-scope';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { WorkerDto } from './dto/template.dto';
import { workerOf } from './registry-query.service';
import { RegistrationEvents } from './registration-events';
import { TemplateRepository } from './template.repository';

/** Takes a worker off a step: its own service, the template's owner, or an admin may. */
@Injectable()
export class WorkerRemovalService {
  private readonly logger = new Logger(WorkerRemovalService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: TemplateRepository,
    private readonly events: RegistrationEvents,
  ) {}

  async remove(id: string, principal: Principal, correlationId: string): Promise<WorkerDto> {
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
    const status = await this.dataSource.transaction(async (m) => {
      const locked = await this.templates.lockByName(m, worker.orchName);
      await this.templates.removeWorker(m, worker);
      return locked ? (await this.templates.refreshReadiness(m, locked)) : null;
    });
    this.logger.log({ orchName: worker.orchName, step: worker.stepName, serviceName: worker.serviceName, by: principal.id, correlationId },
      'worker removed');
    if (status) {
      this.events.emitted({ orchName: status.orchName, role: 'worker', outcome: 'UPDATED', serviceName: worker.serviceName,
        version: status.currentVersion, status: status.status, missingSteps: status.missingSteps });
    }
    return workerOf(worker);
  }
}
