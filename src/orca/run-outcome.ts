import type { RunStatus } from '../engine/core/run-status';
import type { RunState } from '../engine/run-changes';
import { OrcaStatus } from './orca-codes';
import { ORCA_STEP, ORCA_TEMPLATE_PREFIX } from './orca-template';
import type { StatusFacts } from './request-status-event';

/**
 * The end of a request's run, as Orca reported it: success, or failure (also a run that never
 * started, and one an operator terminated: Orca has no status for it, and its client must hear
 * that the request is over).
 */
const FINAL: Partial<Record<RunStatus, OrcaStatus>> = {
  COMPLETED: OrcaStatus.Success, FAILED: OrcaStatus.Failed, COMPENSATION_FAILED: OrcaStatus.Failed, EXPIRED: OrcaStatus.Failed,
  TERMINATED: OrcaStatus.Failed,
};

/**
 * What the launch's Status 1 event said of the job, as the step's output names it: written on the
 * attempt while it is in flight (OrcaStatusEvents), so that a run ended with the job still running
 * (an operator's terminate without compensation) reports the job Orca's client was told of, not
 * nulls: Orca's Requests service overwrites the execution id it stored with the final event's.
 */
export function launchOutput(executionId: string | null, externalStatus: string | null): { jobId: string | null; status: string | null } {
  return { jobId: executionId, status: externalStatus };
}

function field(output: unknown, key: string): string | null {
  const value = output !== null && typeof output === 'object' ? (output as Record<string, unknown>)[key] : undefined;
  return typeof value === 'string' ? value : null;
}

/**
 * Whether an operator resent undos that had run out of attempts (retryFailedUndos): such an attempt
 * starts a fresh budget at its own number past 1, which the engine's own retries never do (a first
 * undo goes out at once, so is never voided and replaced). Only an ended run's undos are resent: the
 * run had reached a terminal status, and its event went out then.
 */
const undosRetriedByOperator = (run: RunState): boolean =>
  run.attempts.some((a) => a.action === 'UNDO' && a.attempt > 1 && a.budgetStart === a.attempt);

/**
 * The facts of the final RequestStatusUpdatedEvent of an Orca run that just ended, or undefined
 * (not an Orca run, not its end, or an operator's undo afterwards, which Orca never had).
 * One request, one terminal event: the run's first end is the request's. A later end, after an
 * operator's undo of the ended run (UNDOING) or retry of its failed undos (COMPENSATION_FAILED back
 * to COMPENSATING, then FAILED or TERMINATED), sends nothing.
 */
export function finalFacts(run: RunState, status: RunStatus, previous: RunStatus, at: Date): StatusFacts | undefined {
  const code = FINAL[status];
  if (code === undefined || !run.orchName.startsWith(ORCA_TEMPLATE_PREFIX) || ['UNDOING', ...Object.keys(FINAL)].includes(previous)
    || undosRetriedByOperator(run)) {
    return undefined;
  }
  // A voided retry never ran: the facts are those of the attempt before it.
  const last = run.attempts.filter((a) => a.stepName === ORCA_STEP && a.action === 'DO' && a.status !== 'VOIDED').at(-1);
  return {
    requestId: run.flowId,
    status: code,
    target: run.orchName.startsWith(`${ORCA_TEMPLATE_PREFIX}oo.`) ? 'OO' : 'AWX',
    externalStatus: field(last?.output, 'status'),
    resultStatusType: field(last?.output, 'resultStatusType'),
    executionId: field(last?.output, 'jobId'),
    error: last?.error ?? (code === OrcaStatus.Failed ? `run ${status}` : null),
    at,
  };
}
