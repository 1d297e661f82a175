import { Logger } from '@nestjs/common';
import { errorMessage } from '../common/errors/error-message';
import {
  acceptedUntraceable, decideAfterEarlier, EarlierLaunch, lastLaunchFailure, lookForEarlierLaunch, mayHaveLaunched, mayLookForLastLaunch,
  optionsAfterFailedLaunch,
} from './earlier-launch';
import { CancelOutcome, sendCancel } from './job-cancel';
import { JobOutcomeDeps, JobOutcomes } from './job-outcomes';
import { HandlerHttpError } from './http/handler-http-error';
import { truncate } from './http/redact';
import { launchRetryDelayMs, LaunchRetryPolicy, mayRetryLaunch, pollRetryDelayMs } from './launch-backoff';
import { abandonedLaunchAnswered } from './abandoned-job';
import { ClaimedJob, logContext } from './job-claimer';
import type { JobExecutionEntity } from './job-execution.entity';
import { jobLabel } from './job-result';
import { MAX_ERROR_LENGTH, storableJobPatch } from './storable-job-patch';
import { fitText } from '../common/validation/fit-text';
import type { JobTarget, LaunchOutcome, PollOutcome } from './job-target';
import type { JobTargets } from './job-targets';
import { ATTR, stepAttributes } from '../tracing/span-attributes';
import { SpanKind, tracing } from '../tracing/tracing';

export interface JobWorkerDeps extends JobOutcomeDeps {
  targets: JobTargets;
}

/**
 * Does the HTTP work of one claimed job outside any transaction (launch, cancel, poll); its
 * outcomes are written and handed to the engine by JobOutcomes.
 */
export class JobWorker {
  private readonly logger = new Logger(JobWorker.name);
  private readonly retry: LaunchRetryPolicy;
  private readonly outcomes: JobOutcomes;

  constructor(private readonly deps: JobWorkerDeps) {
    this.outcomes = new JobOutcomes(deps, this.logger);
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
      if (action === 'launch' || action === 'adopt') await this.launch(row, action === 'adopt');
      else if (action === 'report') await this.outcomes.report(row);
      else await this.poll(row, action === 'cancel');
    } catch (e) {
      // Unexpected (database down, a bug): the lease runs out and the row is retried.
      this.logger.error({ ...logContext(row), err: e }, `job ${action} failed unexpectedly`);
    }
  }

  private cancel(target: JobTarget, row: JobExecutionEntity): Promise<CancelOutcome> {
    return sendCancel(target, row, (e) => this.asHttpError(e), this.logger);
  }

  private asHttpError(e: unknown): HandlerHttpError {
    if (e instanceof HandlerHttpError) return e;
    return new HandlerHttpError(null, false, this.deps.targets.scrub(errorMessage(e)));
  }

  /**
   * Launches the row's job. An attempt after one whose answer was never recorded first looks for
   * the job that one may have started, and follows it if found; `lastChance` (no attempt left,
   * the last one ended without an outcome) only looks. Only the calls to the target count as the
   * launch failing: a failed write of what they answered (the database) leaves the row to its
   * lease, whose next holder looks for the job before launching again (mayHaveLaunched).
   */
  private async launch(row: JobExecutionEntity, lastChance: boolean): Promise<void> {
    const retry = row.options?.retry ?? this.retry;
    let target: JobTarget | undefined;
    let earlier: EarlierLaunch | undefined;
    try {
      target = this.deps.targets.for(row.targetType, row.connection);
      if (lastChance || mayHaveLaunched(row)) earlier = await lookForEarlierLaunch(target, row, (e) => this.asHttpError(e));
    } catch (e) {
      return this.launchFailed(row, retry, e, target, lastChance);
    }
    if (earlier && await this.settleEarlier(row, earlier, retry, lastChance)) return;
    let job: Awaited<ReturnType<JobTarget['launch']>>;
    try {
      job = await target.launch(row);
    } catch (e) {
      return this.launchFailed(row, retry, e, target, lastChance);
    }
    await this.launched(row, job, 'launched');
  }

  private async launchFailed(row: JobExecutionEntity, retry: LaunchRetryPolicy, e: unknown, target: JobTarget | undefined,
    lastChance: boolean): Promise<void> {
    const error = this.asHttpError(e);
    const options = optionsAfterFailedLaunch(row.options, error);
    const untraceable = acceptedUntraceable(row, error, target?.launchMarker?.(row));
    if (untraceable) return this.failLaunch(row, { error: untraceable, lastLaunchError: error.message, options: { ...options, nonRetryable: true } });
    // The next attempt looks for the job this one may have started: not before the target could still create it.
    const lookAfterMs = target && !error.unsent ? this.deps.targets.lateJobWindowMs(row.targetType, row.connection) : 0;
    if (error.retriable && mayRetryLaunch(row.launchAttempts, retry)) {
      await this.retryLaunch(row, retry, error, `launch failed, will retry: ${error.message}`, error.message, options, lookAfterMs);
      return;
    }
    // No attempt left: kept pending, the claimer hands the row back as `adopt`, which only looks.
    if (!lastChance && mayLookForLastLaunch(error, target?.launchMarker?.(row))) {
      await this.retryLaunch(row, retry, error, `last launch attempt failed: ${error.message}; will look for the job it may have started`,
        error.message, options, lookAfterMs);
      return;
    }
    const failed = lastLaunchFailure(row, error, options);
    await this.failLaunch(row, { error: failed.error, lastLaunchError: error.message, ...(failed.options ? { options: failed.options } : {}) });
  }

  private async failLaunch(row: JobExecutionEntity, patch: Partial<JobExecutionEntity>): Promise<void> {
    this.deps.metrics?.launches.inc({ target: row.targetType, outcome: 'failed' });
    await this.outcomes.finish(row, 'FAILED', { ...patch, nextLaunchAt: null });
  }

  /** Acts on what an earlier attempt left; true when that settled the row, false to launch now. */
  private async settleEarlier(row: JobExecutionEntity, earlier: EarlierLaunch, retry: LaunchRetryPolicy, lastChance: boolean): Promise<boolean> {
    const next = decideAfterEarlier(earlier, row, { lastChance, mayRetry: mayRetryLaunch(row.launchAttempts, retry) });
    const context = { ...logContext(row), launchAttempts: row.launchAttempts };
    switch (next.act) {
      case 'follow':
        await this.launched(row, next.job, 'adopted');
        return true;
      case 'retry':
        await this.retryLaunch(row, retry, next.error, `${next.cause}; will look again before launching`, next.cause);
        return true;
      case 'fail':
        await this.failLaunch(row, { error: next.error, ...(next.lastLaunchError ? { lastLaunchError: next.lastLaunchError } : {}),
          ...(next.nonRetryable ? { options: { ...row.options, nonRetryable: true } } : {}) });
        return true;
      case 'launch':
        if (next.warning) this.logger.warn(context, next.warning);
        if (next.note) this.logger.log(context, next.note);
        return false;
    }
  }

  /** A launch retried after a backoff (launchRetryDelayMs: Retry-After within the cap, at least the minimums). */
  private async retryLaunch(row: JobExecutionEntity, retry: LaunchRetryPolicy, error: HandlerHttpError, logged: string,
    lastLaunchError: string, options = row.options, minDelayMs = 0): Promise<void> {
    const delay = launchRetryDelayMs(row.launchAttempts, retry, error, minDelayMs);
    this.deps.metrics?.launches.inc({ target: row.targetType, outcome: 'retry' });
    this.logger.warn({ ...logContext(row), launchAttempts: row.launchAttempts, retryInMs: delay }, logged);
    await this.outcomes.record(row, { status: 'PENDING_LAUNCH', nextLaunchAt: this.outcomes.later(delay), lastLaunchError, options }, 'launch retry');
  }

  /** Records a job this row launched, or `adopted` (an earlier attempt launched it, its answer was lost). */
  private async launched(row: JobExecutionEntity, launched: LaunchOutcome, how: 'launched' | 'adopted'): Promise<void> {
    for (const warning of launched.warnings) this.logger.warn(logContext(row), warning);
    this.deps.metrics?.launches.inc({ target: row.targetType, outcome: how });
    const sent: Partial<JobExecutionEntity> = {
      externalJobId: launched.externalJobId, externalJobType: launched.externalJobType, responsePayload: launched.response,
      sentAt: this.deps.now(), lastLaunchError: null, nextLaunchAt: null, ...(launched.options ? { options: launched.options } : {}),
    };
    if (launched.result) {
      const { phase, reason } = launched.result.classified;
      const finished = await this.outcomes.finish(row, phase === 'SUCCESS' ? 'SUCCEEDED' : 'FAILED', {
        ...sent, externalStatus: launched.result.externalStatus, ...(phase === 'SUCCESS' ? {} : { error: reason ?? 'failed' }),
      });
      if (!finished) await this.recordOnAbandoned(row, sent);
      return;
    }
    const ok = await this.outcomes.record(row, {
      ...sent, status: 'RUNNING', nextPollAt: this.outcomes.later(this.deps.settings.HANDLER_JOB_POLL_INTERVAL_MS), pollingAttempts: 0,
    }, `${how === 'adopted' ? 'adoption' : 'launch'} of ${launched.externalJobType} ${launched.externalJobId}`, true);
    if (!ok) {
      await this.recordOnAbandoned(row, sent);
      return;
    }
    const context = { ...logContext(row), jobId: launched.externalJobId };
    if (how === 'adopted') this.logger.warn(context, `following ${jobLabel(row)}, which an earlier launch attempt started (its answer was lost)`);
    else this.logger.log(context, `launched ${jobLabel(row)}`);
  }

  /**
   * A launch answered after its run was terminated without compensation, which abandoned the row:
   * the job it names is written on the row all the same, so an operator can find what was left running.
   */
  private async recordOnAbandoned(row: JobExecutionEntity, sent: Partial<JobExecutionEntity>): Promise<void> {
    // The partner's text made storable first: an id with a NUL would fail the write, as any outcome's would.
    const patch = storableJobPatch(sent);
    const job = jobLabel({ targetType: row.targetType, externalJobType: patch.externalJobType ?? null, externalJobId: patch.externalJobId ?? null });
    if (!(await this.deps.repo.recordLaunchOfAbandoned(row.id, patch, fitText(abandonedLaunchAnswered(job), MAX_ERROR_LENGTH)))) return;
    this.logger.warn({ ...logContext(row), jobId: patch.externalJobId },
      `${job} was launched for a run terminated meanwhile without compensation: recorded on its row, not followed`);
  }

  private async poll(row: JobExecutionEntity, cancelFirst: boolean): Promise<void> {
    const settings = this.deps.settings;
    let target: JobTarget;
    try {
      target = this.deps.targets.for(row.targetType, row.connection);
    } catch (e) {
      await this.outcomes.finish(row, 'FAILED', { error: this.asHttpError(e).message });
      return;
    }
    const patch: Partial<JobExecutionEntity> = {};
    if (cancelFirst) {
      const cancel = await this.cancel(target, row);
      if (cancel.settled) patch.cancelRequestedAt = this.deps.now();
    }
    let outcome: PollOutcome;
    try {
      outcome = await target.poll(row);
    } catch (e) {
      const error = this.asHttpError(e);
      this.deps.metrics?.polls.inc({ target: row.targetType, outcome: 'error' });
      if (!error.retriable) {
        // Nobody follows the job any more (a 401 after a token rotation, a 404): stop it, or a
        // retry of the step would run a second job beside it.
        await this.abandon(target, row, patch, error.message);
        return;
      }
      const polls = row.pollingAttempts + 1;
      this.logger.warn({ ...logContext(row), pollingAttempts: polls }, `status poll failed, will poll again: ${error.message}`);
      if (polls >= settings.HANDLER_JOB_MAX_POLLS) {
        await this.timeout(target, row, { ...patch, pollingAttempts: polls, lastPolledAt: this.deps.now() });
        return;
      }
      // A rate-limited target's Retry-After is waited for (within the launch backoff's cap): each try counts, no sooner than the interval.
      const delay = pollRetryDelayMs(settings.HANDLER_JOB_POLL_INTERVAL_MS, error.retryAfterMs, settings.HANDLER_LAUNCH_BACKOFF_MAX_MS);
      await this.outcomes.record(row, { ...patch, pollingAttempts: polls, lastPolledAt: this.deps.now(), nextPollAt: this.outcomes.later(delay) }, 'poll');
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
      await this.outcomes.finish(row, 'SUCCEEDED', observed);
      return;
    }
    if (phase === 'FAILURE') {
      const cancelled = row.cancelRequestedAt || patch.cancelRequestedAt ? ' (cancel requested by the UNDO)' : '';
      const detail = outcome.explanation ? `: ${outcome.explanation}` : '';
      await this.outcomes.finish(row, 'FAILED', { ...observed, error: `${jobLabel(row)} failed: ${outcome.classified.reason}${detail}${cancelled}` });
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
    await this.outcomes.record(row, { ...observed, status, nextPollAt: this.outcomes.later(settings.HANDLER_JOB_POLL_INTERVAL_MS) }, 'poll');
  }

  /**
   * Fails a job nobody waits for any more, cancelling it first unless a cancel was requested already.
   * A job the cancel could not reach (a rotated token refuses both) may still run: a retry of the
   * step would launch a second one beside it, so the step fails for good.
   */
  private async stopAndFail(target: JobTarget, row: JobExecutionEntity, observed: Partial<JobExecutionEntity>, error: (note: string) => string): Promise<void> {
    const asked = row.cancelRequestedAt || observed.cancelRequestedAt;
    const cancel = asked ? undefined : await this.cancel(target, row);
    const note = cancel ? `; ${cancel.note}${cancel.failed ? '; not retried, as the job may still run' : ''}` : ' (cancel requested by the UNDO)';
    // Its end was never seen (endUnseen): an UNDO that only cancels it cannot say it is undone (JobClaimer.settleUndo).
    await this.outcomes.finish(row, 'FAILED', {
      ...observed, ...(cancel?.requested ? { cancelRequestedAt: this.deps.now() } : {}),
      options: { ...(observed.options ?? row.options), endUnseen: true, ...(cancel?.failed ? { nonRetryable: true } : {}) },
      error: error(note),
    });
  }

  /** A poll failed for good: the job is stopped (best effort) and the step fails saying whether it was. */
  private abandon(target: JobTarget, row: JobExecutionEntity, observed: Partial<JobExecutionEntity>, message: string): Promise<void> {
    return this.stopAndFail(target, row, observed, (note) => `${message}${note}`);
  }

  private timeout(target: JobTarget, row: JobExecutionEntity, observed: Partial<JobExecutionEntity>): Promise<void> {
    const s = this.deps.settings;
    // Nobody waits for the job any more: stop it rather than leave it running unattended.
    return this.stopAndFail(target, row, observed, (note) => `Polling timed out: ${jobLabel(row)} was still `
      + `${truncate(observed.externalStatus ?? row.externalStatus ?? 'running', 100)} after ${observed.pollingAttempts} polls `
      + `(every ${s.HANDLER_JOB_POLL_INTERVAL_MS} ms)${note}`);
  }
}
