// What the console's browser specs answer in Baton's place (page.route), and how they cut Baton off.
import type { Page } from 'playwright-core';

export const FLOW = '00000000-0000-4000-8000-00000000f1a7';
/** A time of day as the browser's locale writes it: `15:19:27` or `3:19:27 PM`. */
export const CLOCK = String.raw`\d{1,2}:\d\d:\d\d(?:\s?[AP]M)?`;
export const json = (body: unknown, status = 200, headers: Record<string, string> = {}) => ({ status, headers, contentType: 'application/json', body: JSON.stringify(body) });

/** A PAUSED run whose step `ship` failed twice, as GET /runs/{flowId} answers; `changed`: after another operator retried it (attempt 3 failed too). */
export function pausedRun(changed: boolean) {
  const attempt = (stepName: string, seq: number, n: number, status: string) => ({
    stepName, seq, action: 'DO', attempt: n, commandId: `00000000-0000-4000-8000-0000000000${seq}${n}`, budgetStart: 1, status, handlerType: 'worker', target: null,
    output: null, error: status === 'FAILED' ? 'card declined' : null, dispatchedAt: `2026-12-01T10:00:0${n}.000Z`, deadlineAt: '2026-12-01T10:05:00.000Z',
    completedAt: `2026-12-01T10:00:0${n}.500Z`, lastHeartbeatAt: null,
  });
  return {
    flowId: FLOW, orchName: 'demoOrder', templateVersion: 1, status: 'PAUSED', failedStep: 'ship', error: 'card declined', correlationId: 'c-fixes',
    createdAt: '2026-12-01T10:00:00.000Z', updatedAt: changed ? '2026-12-01T10:02:00.000Z' : '2026-12-01T10:01:00.000Z', finishedAt: null,
    contentType: 'application/json', payload: { orderId: 7 }, payloadEncoding: 'json', events: [], deadlineAt: null, onDeadline: null, deadlineRemainingSeconds: null,
    steps: [attempt('reserve', 1, 1, 'SUCCEEDED'), attempt('ship', 2, 1, 'FAILED'), attempt('ship', 2, 2, 'FAILED'), ...(changed ? [attempt('ship', 2, 3, 'FAILED')] : [])],
    allowedActions: ['retry', 'skip', 'compensate', 'terminate'],
    actions: [
      { action: 'retry', allowed: true, steps: ['ship'] }, { action: 'skip', allowed: true, steps: ['ship'] },
      { action: 'pause', allowed: false, code: 'RUN_NOT_RUNNING', reason: 'the run is already PAUSED' },
      { action: 'resume', allowed: false, code: 'STEP_FAILED', reason: 'step ship failed: retry or skip it first' },
      { action: 'compensate', allowed: true },
      { action: 'terminate', allowed: true, variants: [{ compensate: true, allowed: true }, { compensate: false, allowed: true }] },
      { action: 'undo', allowed: false, code: 'RUN_NOT_UNDOABLE', reason: 'the run is PAUSED: cannot undo it because it is still running' },
    ],
  };
}

/** A failure text with no space to wrap at for most of a phone's width, as AWX writes a job's output address. */
export const LONG_ERROR = 'AWX job 9001 failed: https://awx.example.internal/api/v2/jobs/9001/stdout/?format=txt_download';

/**
 * The paused run with what makes its rows tall: an attempt with an output and a last heartbeat, a
 * built-in step's target and its long error, and events (one an operator's, with its reason).
 */
export function detailedRun() {
  const run = pausedRun(false);
  const [reserve, ship1, ship2] = run.steps;
  return {
    ...run,
    steps: [
      { ...reserve, output: { reservationId: 'r-7' }, lastHeartbeatAt: '2026-12-01T10:00:01.200Z' },
      ship1,
      { ...ship2, handlerType: 'awx', target: 'job_template 42 on awx-prod', error: LONG_ERROR },
    ],
    events: [
      { at: '2026-12-01T10:00:03.000Z', kind: 'STEP_TIMED_OUT', stepName: 'ship', reason: 'no heartbeat for 15 s', actor: null },
      { at: '2026-12-01T10:00:04.000Z', kind: 'OPERATOR_PAUSE', stepName: null, reason: 'card processor down: waiting for incident INC-4821 to close', actor: 'apikey:ops-oncall' },
    ],
  };
}

/** Every URL the page asked the API for since Baton became unreachable, each refused as a network error. */
export async function cutOff(p: Page): Promise<string[]> {
  const refused: string[] = [];
  await p.route('**/api/**', (r) => {
    refused.push(new URL(r.request().url()).pathname);
    return r.abort('connectionrefused');
  });
  return refused;
}
export const alerts = (p: Page) => p.getByRole('alert').allTextContents();
export const UNREACHABLE = new RegExp(`^Baton is unreachable \\(last answer at ${CLOCK}\\)\\.$`);
