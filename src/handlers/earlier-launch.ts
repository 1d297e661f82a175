import { callKeyOf } from './http-call/call-key';
import { type HandlerHttpError, UnreadableLaunchAnswer } from './http/handler-http-error';
import type { JobExecutionEntity, JobOptions } from './job-execution.entity';
import type { JobTarget, LaunchOutcome } from './job-target';
import { failedAfter } from './job-result';

/**
 * What became of an earlier launch attempt whose answer was never recorded (a timeout, a 502
 * from a proxy, a crash after AWX/OO accepted it): `found` its job, `none` carries its marker
 * (launching again starts the only one), `unknown` (the lookup failed), or `untraceable` (the
 * launch carried no marker, or the target cannot look).
 */
export type EarlierLaunch =
  | { kind: 'found'; marker: string; job: LaunchOutcome }
  | { kind: 'none'; marker: string }
  | { kind: 'unknown'; marker: string; error: HandlerHttpError }
  | { kind: 'untraceable' };

/**
 * Whether this launch attempt follows one that may have started a job: an earlier attempt's
 * answer was lost (options.unansweredLaunch), and no job id was recorded.
 */
export function mayHaveLaunched(row: Pick<JobExecutionEntity, 'options' | 'externalJobId'>): boolean {
  return !!row.options?.unansweredLaunch && row.externalJobId === null;
}

/** The options to record after a failed launch attempt: marked unanswered unless it certainly did nothing. */
export function optionsAfterFailedLaunch(options: JobOptions | null, error: Pick<HandlerHttpError, 'unsent'>): JobOptions | null {
  return error.unsent || options?.unansweredLaunch ? options : { ...options, unansweredLaunch: true };
}

/**
 * Whether the last allowed launch attempt, failed retriably, is to be looked for later instead of
 * failed: it may have reached the target (its answer was lost) and carried a marker. Failed now,
 * the step's retry would launch a second job beside the one it may have started; the claimer's
 * `adopt` looks for it after the backoff, which also gives a slow target time to list the job.
 */
export function mayLookForLastLaunch(error: Pick<HandlerHttpError, 'retriable' | 'unsent'>, marker: string | undefined): boolean {
  return error.retriable && !error.unsent && !!marker;
}

/**
 * The step's error when the target accepted a launch (answered 2xx) that Baton could not read, and
 * the launch carried no marker to find its job by (AWX_TRACE_EXTRA_VARS=false); undefined otherwise.
 * The job very likely runs: launched again, or retried as a step, a second one would run beside it.
 */
export function acceptedUntraceable(row: Pick<JobExecutionEntity, 'resourceType' | 'resourceId' | 'createdAt'>,
  error: HandlerHttpError, marker: string | undefined): string | undefined {
  if (marker || !(error instanceof UnreadableLaunchAnswer)) return undefined;
  return `Launch outcome unknown: ${error.message}; the launch carried no marker to find its job by (AWX_TRACE_EXTRA_VARS=false), `
    + `so it is not launched again: look for a job of ${row.resourceType} ${row.resourceId} created since ${row.createdAt.toISOString()}`;
}

/**
 * The step's error once an http step's calls are spent and one of them may have reached the partner
 * (a timeout, a 5xx, a connection lost, the engine stopping during it): the partner may have done
 * the work. Said so rather than "failed", which reads as nothing done.
 */
export function callOutcomeUnknown(row: Pick<JobExecutionEntity, 'targetType' | 'launchAttempts' | 'flowId' | 'stepName' | 'action' | 'options'>,
  cause: string): string {
  return `${failedAfter(row, 'outcome unknown')}: ${cause}; the partner may have received Idempotency-Key ${callKeyOf(row)} `
    + 'and done the work';
}

/**
 * The step's error, and options, once a launch's last attempt failed (`options`: as that attempt
 * left them, optionsAfterFailedLaunch). An http call with its outcome unknown is marked endUnseen:
 * an UNDO that only waits for it cannot say it is undone. It stays retriable: an operator's retry
 * of the step sends the same Idempotency-Key (firstCallKey), which a partner that deduplicates
 * answers with what the first call did.
 */
export function lastLaunchFailure(row: Pick<JobExecutionEntity, 'targetType' | 'launchAttempts' | 'flowId' | 'stepName' | 'action'>,
  error: Pick<HandlerHttpError, 'message' | 'retriable'>, options: JobOptions | null): { error: string; options?: JobOptions } {
  if (row.targetType === 'HTTP' && options?.unansweredLaunch) {
    return { error: callOutcomeUnknown({ ...row, options }, error.message), options: { ...options, endUnseen: true } };
  }
  return { error: error.retriable ? `${failedAfter(row)}: ${error.message}` : error.message };
}

/** The last launch error of an attempt whose instance stopped during the call (recorded by the claimer). */
export const ENDED_UNRECORDED = 'the launch call ended without a recorded outcome (the engine stopped during it)';

/** Looks for the job an earlier attempt of the row's launch may have started; never throws. */
export async function lookForEarlierLaunch(
  target: JobTarget, row: JobExecutionEntity, asHttpError: (e: unknown) => HandlerHttpError,
): Promise<EarlierLaunch> {
  const marker = target.launchMarker?.(row);
  if (!marker || !target.findLaunched) return { kind: 'untraceable' };
  try {
    const job = await target.findLaunched(row);
    return job ? { kind: 'found', marker, job } : { kind: 'none', marker };
  } catch (e) {
    return { kind: 'unknown', marker, error: asHttpError(e) };
  }
}

/** The step's error when the lookup could not be done: the job may run, so it is not launched again. */
export function outcomeUnknownError(marker: string, cause: string): string {
  return `Launch outcome unknown: an earlier launch attempt may have started a job, and looking for one carrying ${marker} `
    + `failed (${cause}); not launched again, as that could start a second job`;
}

/** What to do about an earlier attempt, decided by decideAfterEarlier. */
export type AfterEarlier =
  | { act: 'follow'; job: LaunchOutcome }
  | { act: 'launch'; warning?: string; note?: string }
  | { act: 'retry'; error: HandlerHttpError; cause: string }
  | { act: 'fail'; error: string; lastLaunchError?: string; nonRetryable?: true };

/**
 * Decides on what an earlier attempt left. `lastChance`: no attempt is left (the last ended
 * without an outcome), so the job is only looked for; `mayRetry`: another attempt is allowed.
 * A lookup that fails for good (or on the last chance) fails the step for good: a step retry
 * would launch anew, beside a job that may run.
 */
export function decideAfterEarlier(
  earlier: EarlierLaunch,
  row: Pick<JobExecutionEntity, 'launchAttempts' | 'lastLaunchError' | 'targetType' | 'resourceType' | 'resourceId' | 'createdAt'>,
  { lastChance, mayRetry }: { lastChance: boolean; mayRetry: boolean },
): AfterEarlier {
  switch (earlier.kind) {
    case 'found':
      return { act: 'follow', job: earlier.job };
    case 'unknown': {
      const cause = `looking for a job carrying ${earlier.marker} failed: ${earlier.error.message}`;
      if (!lastChance && mayRetry && earlier.error.retriable) return { act: 'retry', error: earlier.error, cause };
      return { act: 'fail', error: outcomeUnknownError(earlier.marker, earlier.error.message), lastLaunchError: cause, nonRetryable: true };
    }
    case 'none':
      if (!lastChance) return { act: 'launch', note: `no job carries ${earlier.marker}: launching again` };
      // Not for good: no job runs, so the step's retry may launch anew.
      return { act: 'fail', error: `${failedAfter(row)}, and no job carries ${earlier.marker}: `
        + (row.lastLaunchError ?? ENDED_UNRECORDED) };
    case 'untraceable':
      if (lastChance) {
        return { act: 'fail', error: `${failedAfter(row, 'outcome unknown')} (the engine stopped during the launch call), `
          + `and the launch carried no marker to find its job by (AWX_TRACE_EXTRA_VARS=false): look for a job of ${row.resourceType} `
          + `${row.resourceId} created since ${row.createdAt.toISOString()}` };
      }
      // http: its partner deduplicates the call by its Idempotency-Key.
      return row.targetType === 'HTTP' ? { act: 'launch' } : {
        act: 'launch', warning: 'an earlier launch attempt may have started a job, and this launch carries no marker to find it by; launching again',
      };
  }
}
