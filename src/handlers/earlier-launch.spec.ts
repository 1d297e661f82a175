import {
  decideAfterEarlier, EarlierLaunch, ENDED_UNRECORDED, lastLaunchFailure, lookForEarlierLaunch, mayHaveLaunched, mayLookForLastLaunch,
  optionsAfterFailedLaunch, outcomeUnknownError,
} from './earlier-launch';
import { HandlerHttpError } from './http/handler-http-error';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobTarget, LaunchOutcome } from './job-target';

const job: LaunchOutcome = { externalJobId: '42', externalJobType: 'job', response: { id: 42 }, warnings: [] };
const row = {
  launchAttempts: 3, targetType: 'AWX', resourceType: 'job_template', resourceId: '7', createdAt: new Date('2026-12-01T10:00:00Z'),
} as JobExecutionEntity;
const outage = new HandlerHttpError(503, true, 'AWX lookup failed (HTTP 503): down');
const refused = new HandlerHttpError(403, false, 'AWX lookup failed (HTTP 403): no permission');

describe('mayHaveLaunched', () => {
  it('is true after an attempt whose answer was lost, until a job is recorded', () => {
    expect(mayHaveLaunched({ options: null, externalJobId: null })).toBe(false);
    expect(mayHaveLaunched({ options: { unansweredLaunch: true }, externalJobId: null })).toBe(true);
    expect(mayHaveLaunched({ options: { unansweredLaunch: true }, externalJobId: '42' })).toBe(false);
  });
});

describe('optionsAfterFailedLaunch', () => {
  it('marks the launch unanswered unless the attempt certainly did nothing', () => {
    expect(optionsAfterFailedLaunch({ successResultTypes: ['RESOLVED'] }, { unsent: false }))
      .toEqual({ successResultTypes: ['RESOLVED'], unansweredLaunch: true });
    expect(optionsAfterFailedLaunch(null, { unsent: false })).toEqual({ unansweredLaunch: true });
    expect(optionsAfterFailedLaunch(null, { unsent: true })).toBeNull();
  });

  it('keeps the mark once set: a later refused connection does not undo an earlier lost answer', () => {
    expect(optionsAfterFailedLaunch({ unansweredLaunch: true }, { unsent: true })).toEqual({ unansweredLaunch: true });
  });
});

describe('mayLookForLastLaunch', () => {
  it('looks later for a last attempt that may have reached the target and carried a marker', () => {
    expect(mayLookForLastLaunch(outage, 'baton_command_id c-1')).toBe(true);
  });

  it('does not when the attempt certainly did nothing, failed for good, or carried no marker', () => {
    expect(mayLookForLastLaunch(new HandlerHttpError(null, true, 'refused', undefined, true), 'baton_command_id c-1')).toBe(false);
    expect(mayLookForLastLaunch(refused, 'baton_command_id c-1')).toBe(false);
    expect(mayLookForLastLaunch(outage, undefined)).toBe(false);
  });
});

describe('lastLaunchFailure', () => {
  const call = { targetType: 'HTTP', launchAttempts: 2, flowId: 'f', stepName: 'pay', action: 'DO' } as JobExecutionEntity;
  const timedOut = new HandlerHttpError(null, true, 'POST /pay: timed out (UND_ERR_HEADERS_TIMEOUT)');

  it('says an http call that may have reached its partner ended with its outcome unknown, its end unseen', () => {
    expect(lastLaunchFailure(call, timedOut, { unansweredLaunch: true })).toEqual({
      error: 'Call outcome unknown after 2 attempts: POST /pay: timed out (UND_ERR_HEADERS_TIMEOUT); '
        + 'the partner may have received Idempotency-Key f:pay:DO and done the work',
      options: { unansweredLaunch: true, endUnseen: true },
    });
  });

  it('fails as before a call that never reached its partner, and an AWX or OO launch (looked for by its marker instead)', () => {
    expect(lastLaunchFailure(call, timedOut, null)).toEqual({ error: 'Call failed after 2 attempts: POST /pay: timed out (UND_ERR_HEADERS_TIMEOUT)' });
    expect(lastLaunchFailure(row, outage, { unansweredLaunch: true })).toEqual({ error: 'Launch failed after 3 attempts: AWX lookup failed (HTTP 503): down' });
    expect(lastLaunchFailure(row, refused, null)).toEqual({ error: 'AWX lookup failed (HTTP 403): no permission' });
  });
});

describe('lookForEarlierLaunch', () => {
  const target = (found: () => Promise<LaunchOutcome | null>, marker: string | null = 'baton_command_id c-1'): JobTarget => ({
    launch: jest.fn(), poll: jest.fn(), cancel: jest.fn(), launchMarker: () => marker ?? undefined, findLaunched: found,
  });
  const asHttpError = (e: unknown) => (e instanceof HandlerHttpError ? e : new HandlerHttpError(null, false, String(e)));

  it('finds the job, or none, by the marker', async () => {
    expect(await lookForEarlierLaunch(target(async () => job), row, asHttpError)).toEqual({ kind: 'found', marker: 'baton_command_id c-1', job });
    expect(await lookForEarlierLaunch(target(async () => null), row, asHttpError)).toEqual({ kind: 'none', marker: 'baton_command_id c-1' });
  });

  it('turns a failed lookup into an unknown outcome, never a throw', async () => {
    expect(await lookForEarlierLaunch(target(async () => { throw outage; }), row, asHttpError))
      .toEqual({ kind: 'unknown', marker: 'baton_command_id c-1', error: outage });
  });

  it('cannot look without a marker, or on a target that has no lookup', async () => {
    expect(await lookForEarlierLaunch(target(async () => job, null), row, asHttpError)).toEqual({ kind: 'untraceable' });
    expect(await lookForEarlierLaunch({ launch: jest.fn(), poll: jest.fn(), cancel: jest.fn() }, row, asHttpError)).toEqual({ kind: 'untraceable' });
  });
});

describe('decideAfterEarlier', () => {
  const marker = 'baton_command_id c-1';
  const decide = (earlier: EarlierLaunch, lastChance = false, mayRetry = true, r = row) => decideAfterEarlier(earlier, r, { lastChance, mayRetry });

  it('follows a job found, even on the last chance', () => {
    expect(decide({ kind: 'found', marker, job })).toEqual({ act: 'follow', job });
    expect(decide({ kind: 'found', marker, job }, true)).toEqual({ act: 'follow', job });
  });

  it('launches when no job carries the marker, and fails (retryably) without launching on the last chance, saying why the last ended', () => {
    expect(decide({ kind: 'none', marker })).toMatchObject({ act: 'launch' });
    expect(decide({ kind: 'none', marker }, true, false, { ...row, lastLaunchError: ENDED_UNRECORDED })).toEqual({ act: 'fail',
      error: 'Launch failed after 3 attempts, and no job carries baton_command_id c-1: the launch call ended without a recorded outcome (the engine stopped during it)' });
    expect(decide({ kind: 'none', marker }, true, false, { ...row, lastLaunchError: 'AWX launch failed (HTTP 502): Bad Gateway' })).toEqual({ act: 'fail',
      error: 'Launch failed after 3 attempts, and no job carries baton_command_id c-1: AWX launch failed (HTTP 502): Bad Gateway' });
  });

  it('looks again later after an outage while attempts are left', () => {
    expect(decide({ kind: 'unknown', marker, error: outage })).toEqual({
      act: 'retry', error: outage, cause: 'looking for a job carrying baton_command_id c-1 failed: AWX lookup failed (HTTP 503): down' });
  });

  it('fails for good, launching nothing, when the lookup cannot be done', () => {
    const failed = { act: 'fail', error: outcomeUnknownError(marker, refused.message), nonRetryable: true };
    expect(decide({ kind: 'unknown', marker, error: refused })).toMatchObject(failed);
    expect(decide({ kind: 'unknown', marker, error: outage }, false, false)).toMatchObject({ act: 'fail', nonRetryable: true });
    expect(decide({ kind: 'unknown', marker, error: outage }, true)).toMatchObject({ act: 'fail', nonRetryable: true });
    expect(failed.error).toBe('Launch outcome unknown: an earlier launch attempt may have started a job, and looking for one carrying '
      + 'baton_command_id c-1 failed (AWX lookup failed (HTTP 403): no permission); not launched again, as that could start a second job');
  });

  it('launches again without a marker (warning for AWX, silently for http, whose partner deduplicates), and fails on the last chance', () => {
    expect(decide({ kind: 'untraceable' })).toEqual({ act: 'launch', warning: expect.stringContaining('no marker') });
    expect(decide({ kind: 'untraceable' }, false, true, { ...row, targetType: 'HTTP' } as JobExecutionEntity)).toEqual({ act: 'launch' });
    expect(decide({ kind: 'untraceable' }, true)).toMatchObject({ act: 'fail',
      error: expect.stringContaining('look for a job of job_template 7 created since 2026-12-01T10:00:00.000Z') });
  });
});
