import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { StepCommand, StepDispatcher } from '../engine/dispatch/step-command';
import type { HandlersConfig, TargetKind } from './handlers-config';
import type { JobExecutionRepository } from './job-execution.repository';
import { planJob } from './job-plan';

/**
 * A built-in handler's dispatcher: runs inside the engine's transaction and only writes the job
 * row (with the manager it is handed); the job runner launches it after the commit.
 */
export abstract class JobDispatcher extends StepDispatcher {
  abstract override readonly type: TargetKind;
  private readonly logger = new Logger('JobDispatcher');

  constructor(private readonly config: HandlersConfig, private readonly repo: JobExecutionRepository) {
    super();
  }

  /** Returns `<type>:<connection>` (e.g. `awx:default`) as the step run's target. */
  async dispatch(manager: EntityManager, command: StepCommand): Promise<string> {
    const job = planJob(command, this.config, this.type, new Date());
    await this.repo.insertPlanned(manager, job);
    if (job.status === 'FAILED') {
      this.logger.warn({ flowId: command.flowId, step: command.stepName, action: command.action, attempt: command.attempt,
        correlationId: command.correlationId }, `step cannot be launched: ${job.error}`);
    }
    return `${job.targetType.toLowerCase()}:${job.connection}`;
  }
}
