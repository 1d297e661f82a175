import type { Logger } from '@nestjs/common';
import type { StepResultSink } from '../engine/dispatch/step-result';
import type { HandlerMetrics } from './handler-metrics';
import type { HandlerSettings } from './handlers-config';
import { logContext } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';
import type { JobLaunchEvents } from './job-launch-events';
import { stepResultOf } from './job-result';
import { storableJobPatch } from './storable-job-patch';

export interface JobOutcomeDeps {
  repo: JobExecutionRepository;
  settings: HandlerSettings;
  sink: () => StepResultSink;
  metrics?: HandlerMetrics;
  /** Messages to send with a recorded launch (absent or without listeners: none). */
  launchEvents?: JobLaunchEvents;
  now: () => Date;
}

/**
 * Writes what came of a claimed job, each write guarded by the claim's version, and hands a
 * terminal result to the engine.
 */
export class JobOutcomes {
  constructor(private readonly deps: JobOutcomeDeps, private readonly logger: Logger) {}

  later(ms: number): Date {
    return new Date(this.deps.now().getTime() + ms);
  }

  /**
   * Writes an outcome, made storable first: a write that fails on a partner's text would leave the
   * row due forever. False (and a warning) if another claim took the row meanwhile.
   */
  async record(row: JobExecutionEntity, change: Partial<JobExecutionEntity>, what: string, launched = false): Promise<boolean> {
    const patch = storableJobPatch(change);
    const events = launched && this.deps.launchEvents?.active ? this.deps.launchEvents : undefined;
    const ok = events ? await events.record(this.deps.repo, row, patch) : await this.deps.repo.recordOutcome(row.id, row.version, patch);
    if (ok) Object.assign(row, patch);
    else this.logger.warn(logContext(row), `job row was claimed again, or its run terminated, meanwhile; ${what} not recorded`);
    return ok;
  }

  /**
   * Records a terminal state (still leased: reported right away, retried after the lease if that
   * fails). False if another claim took the row meanwhile.
   */
  async finish(row: JobExecutionEntity, status: 'SUCCEEDED' | 'FAILED', patch: Partial<JobExecutionEntity>): Promise<boolean> {
    const ok = await this.record(row, {
      ...patch, status, completedAt: this.deps.now(), nextPollAt: this.later(this.deps.settings.HANDLER_LEASE_MS),
    }, `final status ${status}`);
    if (!ok) return false;
    this.deps.metrics?.finished.inc({ target: row.targetType, action: row.action, status });
    const context = { ...logContext(row), jobId: row.externalJobId, externalStatus: row.externalStatus };
    if (status === 'SUCCEEDED') this.logger.log(context, `${row.action} succeeded`);
    else this.logger.warn(context, `${row.action} failed: ${row.error}`);
    await this.report(row);
    return true;
  }

  async report(row: JobExecutionEntity): Promise<void> {
    try {
      const outcome = await this.deps.sink().apply(stepResultOf(row));
      this.logger.debug({ ...logContext(row), outcome }, 'result handed to the engine');
      await this.record(row, { reportedAt: this.deps.now(), nextPollAt: null }, 'report');
    } catch (e) {
      this.logger.error({ ...logContext(row), err: e }, 'the engine did not accept the result; retrying');
      await this.record(row, { nextPollAt: this.later(this.deps.settings.HANDLER_JOB_POLL_INTERVAL_MS) }, 'report retry');
    }
  }
}
