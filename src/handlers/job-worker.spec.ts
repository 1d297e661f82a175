import { Logger } from '@nestjs/common';
import type { JobExecutionEntity } from './job-execution.entity';
import { loadHandlersConfig } from './handlers-config';
import { HandlerHttpError } from './http/handler-http-error';
import { JobWorker, type JobWorkerDeps } from './job-worker';
import type { JobTarget } from './job-target';
import type { HttpCallClient } from './http-call/http-call.client';
import { HttpCallTarget } from './http-call/http-call-target';

const NOW = new Date('2026-12-07T10:00:00Z');
const REQUEST_TIMEOUT_MS = 30_000;

function launchingRow(): JobExecutionEntity {
  return {
    id: 'j1', flowId: 'f', stepName: 's', action: 'DO', attempt: 1, commandId: 'c1', status: 'LAUNCHING', version: 2,
    launchAttempts: 1, options: null, externalJobId: null, targetType: 'AWX', connection: 'default', resourceType: 'job_template',
    resourceId: '7', requestPayload: {}, cancelRequestedAt: null, createdAt: NOW,
  } as unknown as JobExecutionEntity;
}

/**
 * A worker over an AWX-like target whose `launch` is given (an http-like one, with no marker to find
 * a launch by, unless `marked`), recording what it writes and hands to the engine.
 */
function workerWith(launch: () => Promise<unknown>, recordOutcome: (patch: Record<string, unknown>) => Promise<boolean>, marked = true) {
  let launches = 0;
  const target = {
    ...(marked ? { launchMarker: () => 'marker', findLaunched: async () => null } : {}),
    launch: () => (launches++, launch()),
  } as unknown as JobTarget;
  return { ...workerOver(target, recordOutcome), launches: () => launches };
}

function workerOver(target: JobTarget, recordOutcome: (patch: Record<string, unknown>) => Promise<boolean>) {
  const applied: unknown[] = [];
  const worker = new JobWorker({
    repo: { recordOutcome: (_id: string, _version: number, patch: Record<string, unknown>) => recordOutcome(patch) },
    targets: { for: () => target, scrub: (text: string) => text, lateJobWindowMs: () => REQUEST_TIMEOUT_MS },
    settings: loadHandlersConfig({}).settings,
    sink: () => ({ apply: async (result: unknown) => void applied.push(result) }), now: () => NOW,
  } as unknown as JobWorkerDeps);
  return { worker, applied };
}

describe('JobWorker', () => {
  beforeAll(() => Logger.overrideLogger(false));

  /**
   * AWX accepted the launch, and the write of its job id failed (a connection dropped, a lock
   * timeout): that was handled as the launch failing, so the row ended FAILED without the job id,
   * its step failed, and the job ran on, followed and cancelled by nothing.
   */
  it('leaves a launch whose answer could not be written to its lease: no outcome, no second launch now', async () => {
    const written: unknown[] = [];
    let failures = 1;
    const { worker, applied, launches } = workerWith(
      async () => ({ externalJobId: '42', externalJobType: 'job', response: { id: 42 }, warnings: [] }),
      async (patch) => {
        if (failures-- > 0) throw new Error('Connection terminated unexpectedly');
        written.push(patch);
        return true;
      },
    );
    await worker.process({ row: launchingRow(), action: 'launch' });
    expect({ launches: launches(), written, applied }).toEqual({ launches: 1, written: [], applied: [] });
  });

  /**
   * AWX may create the job after Baton stopped waiting for its answer: the next attempt's lookup,
   * after the 5 s backoff, found nothing yet, and it launched a second job.
   */
  it('looks for the job a timed-out launch may have started no sooner than the request timeout', async () => {
    const nextLaunchAt = async (error: HandlerHttpError): Promise<number> => {
      const written: Record<string, unknown>[] = [];
      const { worker } = workerWith(async () => { throw error; }, async (patch) => (written.push(patch), true));
      await worker.process({ row: launchingRow(), action: 'launch' });
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ status: 'PENDING_LAUNCH' });
      return (written[0].nextLaunchAt as Date).getTime() - NOW.getTime();
    };
    expect(await nextLaunchAt(new HandlerHttpError(null, true, 'AWX launch timed out'))).toBe(REQUEST_TIMEOUT_MS);
    expect(await nextLaunchAt(new HandlerHttpError(502, true, 'AWX launch failed (HTTP 502)'))).toBe(REQUEST_TIMEOUT_MS);
    // Refused before anything was sent: no job can appear, so the backoff alone.
    expect(await nextLaunchAt(new HandlerHttpError(null, true, 'connection refused', undefined, true))).toBe(5_000);
  });

  /**
   * The last call of an http step timed out (or got a 5xx, or lost its connection): the step failed
   * as "Call failed after 2 attempts", read as nothing done, though the partner may have done the
   * work; an UNDO that only waited for it then said it was undone.
   */
  it('fails an http step whose calls may have reached the partner with its outcome unknown, and its end unseen', async () => {
    const finalPatch = async (row: JobExecutionEntity, error: HandlerHttpError) => {
      const written: Record<string, unknown>[] = [];
      const { worker } = workerWith(async () => { throw error; }, async (patch) => (written.push(patch), true), false);
      await worker.process({ row, action: 'launch' });
      // Then the report to the engine is recorded.
      expect(written.map((patch) => patch.status)).toEqual(['FAILED', undefined]);
      return written[0];
    };
    const http = (options: Record<string, unknown>) => ({
      ...launchingRow(), targetType: 'HTTP', launchAttempts: 2, options: { retry: { maxAttempts: 2, initialDelayMs: 10 }, ...options },
    }) as unknown as JobExecutionEntity;
    const timedOut = new HandlerHttpError(null, true, 'POST /api/orders: timed out (UND_ERR_HEADERS_TIMEOUT)');
    expect(await finalPatch(http({}), timedOut)).toMatchObject({
      status: 'FAILED', options: { unansweredLaunch: true, endUnseen: true },
      error: 'Call outcome unknown after 2 attempts: POST /api/orders: timed out (UND_ERR_HEADERS_TIMEOUT); '
        + 'the partner may have received Idempotency-Key f:s:DO and done the work',
    });
    // Refused now, but an earlier call went unanswered: still unknown.
    const refused = new HandlerHttpError(null, true, 'POST /api/orders: network error (ECONNREFUSED: connect)', undefined, true);
    expect(await finalPatch(http({ unansweredLaunch: true }), refused)).toMatchObject({
      status: 'FAILED', error: expect.stringMatching(/^Call outcome unknown after 2 attempts: .*ECONNREFUSED/), options: { endUnseen: true },
    });
    // No call ever reached it: a plain failure, nothing to wonder about.
    const never = await finalPatch(http({}), refused);
    expect(never).toMatchObject({ status: 'FAILED', error: 'Call failed after 2 attempts: POST /api/orders: network error (ECONNREFUSED: connect)' });
    expect(never.options).toBeUndefined();
  });

  /**
   * The "wait a whole TIMEOUT_MS after a 409 in progress" floor went in as a Retry-After, which the
   * retry policy's maximum delay capped: 5 s instead of 30, the attempts spent on 409s while the
   * first call still ran.
   */
  it('waits the connection timeout after a 409 to a call sent again, beyond the retry policy\'s maximum delay', async () => {
    const client = {
      connection: { baseUrl: 'http://127.0.0.1:1/api', timeoutMs: 30_000 }, scrub: (text: string) => text,
      send: async () => ({ status: 409, headers: {}, body: { message: 'request in progress' }, bodyTruncated: false }),
    } as unknown as HttpCallClient;
    const written: Record<string, unknown>[] = [];
    const { worker } = workerOver(new HttpCallTarget(client), async (patch) => (written.push(patch), true));
    const row = { ...launchingRow(), targetType: 'HTTP', launchAttempts: 2, requestPayload: { method: 'POST', path: '/orders', query: {}, headers: {}, body: {} },
      options: { unansweredLaunch: true, retry: { maxAttempts: 4, initialDelayMs: 1000, multiplier: 2, maxDelayMs: 5000 }, http: { timeoutMs: 30_000, outputHeaders: [] } },
    } as unknown as JobExecutionEntity;
    await worker.process({ row, action: 'launch' });
    expect(written[0]).toMatchObject({ status: 'PENDING_LAUNCH', lastLaunchError: 'POST /api/orders failed (HTTP 409): request in progress' });
    expect((written[0].nextLaunchAt as Date).getTime() - NOW.getTime()).toBe(30_000);
  });

  /** A rate-limited AWX was polled again every 5 s, each 429 counting towards the limit whose end cancels the job. */
  it("polls a rate-limited job again after its Retry-After, up to the launch backoff's maximum", async () => {
    const nextPoll = async (retryAfterMs: number | undefined) => {
      const written: Record<string, unknown>[] = [];
      const target = { poll: async () => { throw new HandlerHttpError(429, true, 'AWX status of job 42 failed (HTTP 429)', retryAfterMs, true); } };
      const { worker } = workerOver(target as unknown as JobTarget, async (patch) => (written.push(patch), true));
      const row = { ...launchingRow(), status: 'RUNNING', externalJobId: '42', externalJobType: 'job', pollingAttempts: 3 } as unknown as JobExecutionEntity;
      await worker.process({ row, action: 'poll' });
      expect(written).toHaveLength(1);
      expect(written[0]).toMatchObject({ pollingAttempts: 4 });
      return (written[0].nextPollAt as Date).getTime() - NOW.getTime();
    };
    const settings = loadHandlersConfig({}).settings;
    expect(await nextPoll(undefined)).toBe(settings.HANDLER_JOB_POLL_INTERVAL_MS);
    expect(await nextPoll(60_000)).toBe(60_000);
    expect(await nextPoll(86_400_000)).toBe(settings.HANDLER_LAUNCH_BACKOFF_MAX_MS);
  });
});
