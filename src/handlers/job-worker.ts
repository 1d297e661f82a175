import { Logger } from '@nestjs/common';
import type { StepResultSink } from '../engine/dispatch/step-result';
import type { HandlerMetrics } from './handler-metrics';
import type { HandlerSettings } from './handlers-config';
import { HandlerHttpError } from './http/handler-http-error';
import { truncate } from './http/redact';
import { launchBackoffMs, LaunchRetryPolicy, mayRetryLaunch } from './launch-backoff';
import { ClaimedJob, logContext } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';
import type { JobLaunchEvents } from './job-launch-events';
import { jobLabel, stepResultOf } from './job-result';
import type { JobTarget, PollOutcome } from './job-target';
import type { JobTargets } from './job-targets';
import { storableJobPatch } from './storable-job-patch';
import { ATTR, stepAttributes } from '../tracing/span-attributes';
import { SpanKind, tracing } from '../tracing/tracing';

export interface JobWorkerDeps {
  repo: JobExecutionRepository;
  targets: JobTargets;
  settings: HandlerSettings;
  sink: () => StepResultSink;
  metrics?: HandlerMetrics;
  /** Messages to send with a recorded launch (absent or without listeners: none). */
  launchEvents?: JobLaunchEvents;
  now: () => Date;
}

/**
 * Does the HTTP work of one claimed job outside any transaction (launch, cancel, poll), records
 * the outcome guarded by the claim's version, and hands terminal results to the engine.
 */
export class JobWorker {
  private readonly logger = new Logger('JobRunner');
  private readonly retry: LaunchRetryPolicy;

  constructor(private readonly deps: JobWorkerDeps) {
    const s = deps.settings;
    this.retry = {
      maxAttempts: s.HANDLER_LAUNCH_MAX_ATTEMPTS, initialDelayMs: s.HANDLER_LAUNCH_BACKOFF_INITIAL_MS,
      multiplier: s.HANDLER_LAUNCH_BACKOFF_MULTIPLIER, maxDelayMs: s.HANDLER_LAUNCH_BACKOFF_MAX_MS,
    };
  }

  /** A CLIENT span per launch, poll, cancel or report, in the trace of the dispatch that made the job. */
  process(job: ClaimedJob): Promise<void> {
    const { row, action } = job;
    return tracing.span(`job ${action}`, {
      kind: SpanKind.CLIENT, parent: row.traceContext ? tracing.extract(row.traceContext) : undefined,
      attributes: { ...stepAttributes({ ...row, attempt: row.attempt, correlationId: row.correlationId ?? undefined }),
        [ATTR.handlerType]: row.targetType.toLowerCase(), 'baton.connection': row.connection },
    }, () => this.processInSpan(job));
  }

  private async processInSpan({ row, action }: ClaimedJob): Promise<void> {
    try {
      if (action === 'launch') await this.launch(row);
      else if (action === 'report') await this.report(row);
      else await this.poll(row, action === 'cancel');
    } catch (e) {
      // Unexpected (database down, a bug): the lease runs out and the row is retried.
      this.logger.error({ ...logContext(row), err: e }, `job ${action} failed unexpectedly`);
    }
  }

  private later(ms: number): Date {
    return new Date(this.deps.now().getTime() + ms);
  }

  private asHttpError(e: unknown): HandlerHttpError {
    if (e instanceof HandlerHttpError) return e;
    return new HandlerHttpError(null, false, this.deps.targets.scrub(e instanceof Error ? e.message : String(e)));
  }

  /**
   * Writes an outcome, made storable first: a write that fails on a partner's text would leave the
   * row due forever. False (and a warning) if another claim took the row meanwhile.
   */
  private async record(row: JobExecutionEntity, change: Partial<JobExecutionEntity>, what: string, launched = false): Promise<boolean> {
    const patch = storableJobPatch(change);
    const events = launched && this.deps.launchEvents?.active ? this.deps.launchEvents : undefined;
    const ok = events ? await events.record(this.deps.repo, row, patch) : await this.deps.repo.recordOutcome(row.id, row.version, patch);
    if (ok) Object.assign(row, patch);
    else this.logger.warn(logContext(row), `job row was claimed again meanwhile; ${what} not recorded`);
    return ok;
  }

  private async launch(row: JobExecutionEntity): Promise<void> {
    const target = row.targetType;
    const retry = row.options?.retry ?? this.retry;
    try {
      const launched = await this.deps.targets.for(row.targetType, row.connection).launch(row);
      for (const warning of launched.warnings) this.logger.warn(logContext(row), warning);
      this.deps.metrics?.launches.inc({ target, outcome: 'launched' });
      const sent: Partial<JobExecutionEntity> = {
        externalJobId: launched.externalJobId, externalJobType: launched.externalJobType, responsePayload: launched.response,
        sentAt: this.deps.now(), lastLaunchError: null, nextLaunchAt: null, ...(launched.options ? { options: launched.options } : {}),
      };
      if (launched.result) {
        const { phase, reason } = launched.result.classified;
        await this.finish(row, phase === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED', {
          ...sent, externalStatus: launched.result.externalStatus, ...(phase === 'SUCCESS' ? {} : { error: reason ?? 'failed' }),
        });
        return;
      }
      const ok = await this.record(row, {
        ...sent, status: 'RUNNING', nextPollAt: this.later(this.deps.settings.HANDLER_JOB_POLL_INTERVAL_MS), pollingAttempts: 0,
      }, `launch of ${launched.externalJobType} ${launched.externalJobId}`, true);
      if (ok) this.logger.log({ ...logContext(row), jobId: launched.externalJobId }, `launched ${jobLabel(row)}`);
    } catch (e) {
      const error = this.asHttpError(e);
      if (error.retriable && mayRetryLaunch(row.launchAttempts, retry)) {
        const delay = Math.max(launchBackoffMs(row.launchAttempts, retry), Math.min(error.retryAfterMs ?? 0, retry.maxDelayMs));
        this.deps.metrics?.launches.inc({ target, outcome: 'retry' });
        this.logger.warn({ ...logContext(row), launchAttempts: row.launchAttempts, retryInMs: delay }, `launch failed, will retry: ${error.message}`);
        await this.record(row, { status: 'PENDING_LAUNCH', nextLaunchAt: this.later(delay), lastLaunchError: error.message }, 'launch retry');
        return;
      }
      this.deps.metrics?.launches.inc({ target, outcome: 'failed' });
      const message = error.retriable ? `Launch failed after ${row.launchAttempts} attempts: ${error.message}` : error.message;
      await this.finish(row, 'FAILED', { error: message, lastLaunchError: error.message, nextLaunchAt: null });
    }
  }

  private async poll(row: JobExecutionEntity, cancelFirst: boolean): Promise<void> {
    const settings = this.deps.settings;
    let target: JobTarget;
    try {
      target = this.deps.targets.for(row.targetType, row.connection);
    } catch (e) {
      await this.finish(row, 'FAILED', { error: this.asHttpError(e).message });
      return;
    }
    const patch: Partial<JobExecutionEntity> = {};
    if (cancelFirst) {
      if (await this.cancel(target, row)) patch.cancelRequestedAt = this.deps.now();
    }
    let outcome: PollOutcome;
    try {
      outcome = await target.poll(row);
    } catch (e) {
      const error = this.asHttpError(e);
      this.deps.metrics?.polls.inc({ target: row.targetType, outcome: 'error' });
      if (!error.retriable) {
        await this.finish(row, 'FAILED', { ...patch, error: error.message });
        return;
      }
      const polls = row.pollingAttempts + 1;
      this.logger.warn({ ...logContext(row), pollingAttempts: polls }, `status poll failed, will poll again: ${error.message}`);
      if (polls >= settings.HANDLER_JOB_MAX_POLLS) {
        await this.timeout(target, row, { ...patch, pollingAttempts: polls, lastPolledAt: this.deps.now() });
        return;
      }
      await this.record(row, { ...patch, pollingAttempts: polls, lastPolledAt: this.deps.now(), nextPollAt: this.later(settings.HANDLER_JOB_POLL_INTERVAL_MS) }, 'poll');
      return;
    }
    const { phase } = outcome.classified;
    const observed: Partial<JobExecutionEntity> = {
      ...patch, externalStatus: outcome.externalStatus, externalResult: outcome.externalResult,
      responsePayload: outcome.response, lastPolledAt: this.deps.now(),
      // Polls while OO waits for a person do not count towards the poll limit.
      pollingAttempts: phase === 'WAITING_FOR_OPERATOR' ? row.pollingAttempts : row.pollingAttempts + 1,
    };
    this.deps.metrics?.polls.inc({ target: row.targetType, outcome: phase.toLowerCase() });
    if (outcome.classified.unknown) this.logger.warn({ ...logContext(row), externalStatus: outcome.externalStatus }, 'unknown external status; still polling');
    if (phase === 'SUCCESS') {
      await this.finish(row, 'SUCCEEDED', observed);
      return;
    }
    if (phase === 'FAILURE') {
      const cancelled = row.cancelRequestedAt || patch.cancelRequestedAt ? ' (cancel requested by the UNDO)' : '';
      const detail = outcome.explanation ? `: ${outcome.explanation}` : '';
      await this.finish(row, 'FAILED', { ...observed, error: `${jobLabel(row)} failed: ${outcome.classified.reason}${detail}${cancelled}` });
      return;
    }
    if (observed.pollingAttempts! >= settings.HANDLER_JOB_MAX_POLLS) {
      await this.timeout(target, row, observed);
      return;
    }
    const status = row.status === 'CANCELLING' ? 'CANCELLING' : phase === 'WAITING_FOR_OPERATOR' ? 'WAITING_FOR_OPERATOR' : 'RUNNING';
    if (status === 'WAITING_FOR_OPERATOR' && row.status !== status) {
      this.logger.warn({ ...logContext(row), externalStatus: outcome.externalStatus }, `${jobLabel(row)} is waiting for an operator`);
    }
    await this.record(row, { ...observed, status, nextPollAt: this.later(settings.HANDLER_JOB_POLL_INTERVAL_MS) }, 'poll');
  }

  /** True once the cancel has been sent (or can never be); false to try again with the next poll. */
  private async cancel(target: JobTarget, row: JobExecutionEntity): Promise<boolean> {
    try {
      const answer = await target.cancel(row);
      this.logger.log({ ...logContext(row), answer }, `cancel of ${jobLabel(row)}: ${answer}`);
      return true;
    } catch (e) {
      const error = this.asHttpError(e);
      this.logger.warn(logContext(row), `cancel of ${jobLabel(row)} failed${error.retriable ? ', will retry' : ''}: ${error.message}`);
      return !error.retriable;
    }
  }

  private async timeout(target: JobTarget, row: JobExecutionEntity, observed: Partial<JobExecutionEntity>): Promise<void> {
    const s = this.deps.settings;
    // Nobody waits for the job any more: stop it rather than leave it running unattended.
    const cancelled = !row.cancelRequestedAt && !observed.cancelRequestedAt && (await this.cancel(target, row));
    await this.finish(row, 'FAILED', {
      ...observed,
      ...(cancelled ? { cancelRequestedAt: this.deps.now() } : {}),
      error: `Polling timed out: ${jobLabel(row)} was still ${truncate(observed.externalStatus ?? row.externalStatus ?? 'running', 100)} `
        + `after ${observed.pollingAttempts} polls (every ${s.HANDLER_JOB_POLL_INTERVAL_MS} ms)${cancelled ? '; cancel requested' : ''}`,
    });
  }

  /** Records a terminal state (still leased: reported right away, retried after the lease if that fails). */
  private async finish(row: JobExecutionEntity, status: 'SUCCEEDED' | 'FAILED', patch: Partial<JobExecutionEntity>): Promise<void> {
    const ok = await this.record(row, {
      ...patch, status, completedAt: this.deps.now(), nextPollAt: this.later(this.deps.settings.HANDLER_LEASE_MS),
    }, `final status ${status}`);
    if (!ok) return;
    this.deps.metrics?.finished.inc({ target: row.targetType, action: row.action, status });
    const context = { ...logContext(row), jobId: row.externalJobId, externalStatus: row.externalStatus };
    if (status === 'SUCCEEDED') this.logger.log(context, `${row.action} succeeded`);
    else this.logger.warn(context, `${row.action} failed: ${row.error}`);
    await this.report(row);
  }

  private async report(row: JobExecutionEntity): Promise<void> {
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
