import { Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { planUndoAfterDo } from './deferred-undo';
import { callOutcomeUnknown, ENDED_UNRECORDED, mayHaveLaunched } from './earlier-launch';
import { firstCallKey } from './http-call/call-key';
import type { HandlersConfig, HandlerSettings } from './handlers-config';
import { JobExecutionEntity, JobOptions, JobStatus, TERMINAL_JOB_STATUSES } from './job-execution.entity';
import { jobLabel, outputOf } from './job-result';
import type { JobExecutionRepository } from './job-execution.repository';
import { attemptFields } from '../common/logging/attempt-fields';

/**
 * What the claimer leased a row for; the work itself happens after the claim has committed.
 * `adopt`: no launch attempt is left, the last ended without an outcome: only look for its job.
 */
export type JobAction = 'launch' | 'adopt' | 'poll' | 'cancel' | 'report';

export interface ClaimedJob {
  row: JobExecutionEntity;
  action: JobAction;
}

const isTerminal = (status: JobStatus) => TERMINAL_JOB_STATUSES.includes(status);
const stepKey = (row: JobExecutionEntity) => `${row.flowId}:${row.stepName}`;

export function logContext(row: JobExecutionEntity): Record<string, unknown> {
  return {
    ...attemptFields(row), correlationId: row.correlationId, jobExecutionId: row.id, target: `${row.targetType}:${row.connection}`,
  };
}

/**
 * Claims due job rows in one short transaction (FOR UPDATE SKIP LOCKED) and leases them: the
 * due time moves forward by HANDLER_LEASE_MS and the version is bumped, so no other instance
 * (nor an older claim of ours) acts on them until the work is done or the lease runs out.
 * An UNDO waiting for its DO's job to end is settled here, in the database only.
 */
export class JobClaimer {
  private readonly logger = new Logger(JobClaimer.name);

  constructor(private readonly repo: JobExecutionRepository, private readonly config: HandlersConfig) {}

  private get settings(): HandlerSettings {
    return this.config.settings;
  }

  /** At most `limit` due rows: a caller that leased more than it can start would leave the rest waiting out their lease. */
  claim(now: Date, limit = this.settings.HANDLER_BATCH_SIZE, excluding: string[] = []): Promise<ClaimedJob[]> {
    return this.repo.dataSource.transaction(async (m) => {
      const rows = await this.repo.lockDue(m, now, limit, excluding);
      const claimed: ClaimedJob[] = [];
      const undoChecks = rows.filter((row) => row.action === 'UNDO' && row.status === 'CANCELLING');
      const undoing = new Set(undoChecks.map(stepKey));
      for (const row of rows) {
        if (undoChecks.includes(row)) continue;
        // Not launched now only to be cancelled: its step's UNDO, settled below, fails it unlaunched.
        if (row.action === 'DO' && row.status === 'PENDING_LAUNCH' && undoing.has(stepKey(row))) continue;
        claimed.push(await this.lease(m, row, now));
      }
      // After the others, so that DO rows claimed above are read in their new state.
      for (const row of undoChecks) {
        const job = await this.settleUndo(m, row, now);
        if (job) claimed.push(job);
      }
      return claimed;
    });
  }

  private leaseEnd(now: Date): Date {
    return new Date(now.getTime() + this.settings.HANDLER_LEASE_MS);
  }

  private async lease(m: EntityManager, row: JobExecutionEntity, now: Date): Promise<ClaimedJob> {
    if (isTerminal(row.status)) {
      await this.repo.claim(m, row, { nextPollAt: this.leaseEnd(now) });
      return { row, action: 'report' };
    }
    if (row.status === 'PENDING_LAUNCH' || row.status === 'LAUNCHING') {
      const unanswered: Partial<JobExecutionEntity> = {};
      if (row.status === 'LAUNCHING') {
        // The instance that was launching stopped before recording the outcome: AWX/OO may or may
        // not have started the job. The worker looks for it by its marker before launching again.
        this.logger.warn({ ...logContext(row), launchAttempts: row.launchAttempts },
          'previous launch attempt ended without a recorded outcome; it may have started a job');
        unanswered.options = { ...row.options, unansweredLaunch: true };
        unanswered.lastLaunchError = ENDED_UNRECORDED;
      }
      if (row.launchAttempts >= (row.options?.retry?.maxAttempts ?? this.settings.HANDLER_LAUNCH_MAX_ATTEMPTS)) {
        if (row.targetType !== 'HTTP') {
          await this.repo.claim(m, row, { ...unanswered, nextLaunchAt: this.leaseEnd(now) });
          return { row, action: 'adopt' };
        }
        // As a last call that went unanswered (JobWorker): the partner may have done the work.
        const options = unanswered.options ?? row.options;
        await this.repo.claim(m, row, {
          status: 'FAILED', completedAt: now, nextPollAt: this.leaseEnd(now), nextLaunchAt: null,
          error: callOutcomeUnknown(row, 'the engine stopped during the call'),
          ...(options?.unansweredLaunch ? { options: { ...options, endUnseen: true } } : {}),
        });
        return { row, action: 'report' };
      }
      await this.repo.claim(m, row, {
        ...unanswered, ...(await this.keyed(m, row, row.options)), status: 'LAUNCHING', launchAttempts: row.launchAttempts + 1, nextLaunchAt: this.leaseEnd(now),
      });
      return { row, action: 'launch' };
    }
    await this.repo.claim(m, row, { nextPollAt: this.leaseEnd(now) });
    return { row, action: row.status === 'CANCELLING' && !row.cancelRequestedAt ? 'cancel' : 'poll' };
  }

  /** An http call's first launch fixes the Idempotency-Key its launches send (firstCallKey): `options` with it, or nothing to change. */
  private async keyed(m: EntityManager, row: JobExecutionEntity, options: JobOptions | null): Promise<{ options?: JobOptions }> {
    if (row.targetType !== 'HTTP' || row.launchAttempts > 0 || !options?.http || options.http.idempotencyKey) return {};
    const idempotencyKey = firstCallKey(row, await this.repo.earlierAttemptsOf(m, row));
    return { options: { ...options, http: { ...options.http, idempotencyKey } } };
  }

  /**
   * UNDO, first phase: every active DO job of the step is cancelled (a DO not launched yet is
   * simply failed; one being launched is waited for); once all have ended, the undo template
   * is launched (planned now if it had to wait for the DO's output), or, without one or when
   * the DO's attempt was never launched, the UNDO succeeds.
   */
  private async settleUndo(m: EntityManager, undo: JobExecutionEntity, now: Date): Promise<ClaimedJob | undefined> {
    const wait = async () => {
      await this.repo.claim(m, undo, { nextPollAt: new Date(now.getTime() + this.settings.HANDLER_JOB_POLL_INTERVAL_MS) });
      return undefined;
    };
    const { rows, complete } = await this.repo.lockDoJobs(m, undo.flowId, undo.stepName);
    if (!complete) return wait();
    for (const job of rows) {
      if (job.status === 'PENDING_LAUNCH') {
        // A launch that went unanswered may have started a job, which no one now looks for: never seen to end.
        const unsure = mayHaveLaunched(job);
        await this.repo.claim(m, job, {
          status: 'FAILED', completedAt: now, nextLaunchAt: null, nextPollAt: now,
          error: unsure ? 'Given up by the UNDO after a launch that went unanswered: a job it may have started was never seen'
            : 'Cancelled by the UNDO before it was launched',
          ...(unsure ? { options: { ...job.options, endUnseen: true } } : {}),
        });
      } else if (job.status === 'RUNNING' || job.status === 'WAITING_FOR_OPERATOR') {
        this.logger.log({ ...logContext(job), undoJobExecutionId: undo.id }, 'UNDO: cancelling the DO job');
        await this.repo.claim(m, job, { status: 'CANCELLING', nextPollAt: now });
      }
    }
    if (rows.some((job) => !isTerminal(job.status))) return wait();

    const latest = rows[0];
    const { deferredUndo, ...kept } = undo.options ?? {};
    const cancelledJob = latest ? {
      cancelledJob: {
        jobExecutionId: latest.id, jobId: latest.externalJobId, status: latest.status,
        externalStatus: latest.externalStatus, cancelRequested: latest.cancelRequestedAt !== null,
      },
    } : {};
    const report = async (patch: Partial<JobExecutionEntity>): Promise<ClaimedJob> => {
      await this.repo.claim(m, undo, { completedAt: now, nextPollAt: this.leaseEnd(now), options: { ...kept, ...cancelledJob }, ...patch });
      return { row: undo, action: 'report' };
    };
    if (undo.error && !deferredUndo) return report({ status: 'FAILED' });
    // The DO's attempt never reached its target (cancelled before its first launch): nothing to undo,
    // and a deferred undo's unresolved reference (kept in case planning it failed again) is moot.
    if (latest && latest.launchAttempts === 0) return report({ status: 'SUCCEEDED', error: null });
    let planned: Partial<JobExecutionEntity> = {};
    if (deferredUndo) {
      const plan = planUndoAfterDo(deferredUndo, latest ? outputOf(latest) : {}, this.config, now);
      if (plan.error) return report({ status: 'FAILED', error: plan.error });
      const { targetType, resourceType, resourceId, connection, requestPayload, options } = plan;
      planned = { targetType, resourceType, resourceId, connection, requestPayload, error: null, options: { ...options, ...cancelledJob } };
    } else if (undo.options?.cancelOnly || !undo.resourceType) {
      // A DO job given up on while still running (polls exhausted, cancel unanswered) may go on: not undone.
      const unseen = rows.find((job) => job.options?.endUnseen);
      if (unseen) {
        const what = unseen.externalJobId === null ? `a job the unanswered launch of ${unseen.targetType} may have started was never seen, `
          + 'and may run' : `${jobLabel(unseen)} was never seen to end after its cancel, and may still run`;
        return report({ status: 'FAILED', error: `${what}: check it on its target, then retry the undo or compensate by hand` });
      }
      return report({ status: 'SUCCEEDED' });
    }
    const launched = { ...undo, ...planned, options: planned.options ?? { ...kept, ...cancelledJob } };
    await this.repo.claim(m, undo, {
      status: 'LAUNCHING', launchAttempts: undo.launchAttempts + 1, nextLaunchAt: this.leaseEnd(now), nextPollAt: null,
      ...planned, options: launched.options, ...(await this.keyed(m, launched, launched.options)),
    });
    return { row: undo, action: 'launch' };
  }
}
