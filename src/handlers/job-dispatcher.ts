import { Logger } from '@nestjs/common';
import { StepCommand, StepDispatcher } from '../engine/dispatch/step-command';
import type { RunChanges } from '../engine/run-changes';
import type { HandlersConfig } from './handlers-config';
import { JobExecutionEntity } from './job-execution.entity';
import type { PlannedJob } from './job-plan';
import { runTraceContext } from '../tracing/run-span';
import { attemptFields } from '../common/logging/attempt-fields';

/**
 * A built-in handler's dispatcher: adds the job row to the transition's changes; the job runner
 * launches it once they are written. A command dispatched twice (same commandId) yields one row.
 */
export abstract class JobDispatcher extends StepDispatcher {
  private readonly logger = new Logger('JobDispatcher');

  constructor(protected readonly config: HandlersConfig) {
    super();
  }

  /** The job row for a command; a spec that cannot run gives a FAILED row, never an exception. */
  protected abstract plan(command: StepCommand, now: Date): PlannedJob;

  /** Returns `<type>:<connection>` (e.g. `awx:default`) as the step run's target. */
  async dispatch(changes: RunChanges, command: StepCommand): Promise<string> {
    const job = this.plan(command, new Date());
    changes.insert(JobExecutionEntity, { ...job, traceContext: runTraceContext() }, { ignoreConflicts: true });
    if (job.status === 'FAILED') {
      this.logger.warn({ ...attemptFields(command), correlationId: command.correlationId }, `step cannot be launched: ${job.error}`);
    }
    return `${job.targetType.toLowerCase()}:${job.connection}`;
  }
}
