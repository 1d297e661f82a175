import { latestAttempts, latestOf, LatestAttempts } from './latest-attempts';
import type { Attempt, Dispatch, Plan, PlanStep } from './plan';
import { isTerminal, RunStatus } from './run-status';
import { failedSteps, outcomeOf } from './step-outcome';

export const OPERATOR_ACTIONS = ['terminate', 'pause', 'resume', 'retry', 'skip', 'compensate'] as const;
export type OperatorAction = (typeof OPERATOR_ACTIONS)[number];

/** Why an action is refused: stable codes, answered as 409 (404 for a step the template lacks). */
export const ACTION_REFUSALS = [
  'RUN_FINISHED', 'RUN_NOT_RUNNING', 'RUN_NOT_PAUSED', 'RUN_HAS_FAILED_STEP', 'STEP_NOT_FAILED', 'STEP_NOT_FOUND', 'STEP_NAME_REQUIRED',
] as const;
export type ActionRefusal = (typeof ACTION_REFUSALS)[number];

export interface ActionRequest {
  action: OperatorAction;
  /** The step a retry or skip concerns; may be left out when exactly one step has failed. */
  stepName?: string;
  /** terminate only: undo what succeeded (default) or leave the effects in place. */
  compensate?: boolean;
  /**
   * retry and skip: the failed attempt the operator saw. If the step has a later attempt, the action
   * was taken since (by another request, or a click sent twice): it is not taken again.
   */
  attempt?: number;
}

export type ActionVerdict =
  | { kind: 'refused'; code: ActionRefusal; reason: string }
  /** The run already is where the action would take it: asking twice changes nothing. */
  | { kind: 'unchanged'; reason: string }
  | {
    kind: 'apply';
    /** The status the action sets; RUNNING and COMPENSATING then go on with the engine's decision. */
    status: RunStatus;
    stepName?: string;
    /** retry: the failed step's new DO attempt, with a fresh budget. */
    retry?: Dispatch;
    /** skip: the attempt number the SKIPPED attempt takes. */
    skipAttempt?: number;
    /** retry, skip and resume leave no failure behind: the run's failed step is cleared. */
    clearsFailure: boolean;
    /**
     * pause: a step that had already failed (onFailure: pause) while other branches went on; the
     * paused run waits on it, and its status event must say so.
     */
    failedStep?: string;
  };

const refuse = (code: ActionRefusal, reason: string): ActionVerdict => ({ kind: 'refused', code, reason });
const apply = (status: RunStatus, more: Partial<Extract<ActionVerdict, { kind: 'apply' }>> = {}): ActionVerdict =>
  ({ kind: 'apply', status, clearsFailure: false, ...more });

/** Why a finished run (or one being undone) takes no action; undefined if it may. */
function finished(status: RunStatus): ActionVerdict | undefined {
  if (isTerminal(status)) return refuse('RUN_FINISHED', `the run is ${status}`);
  if (status === 'UNDOING') return refuse('RUN_FINISHED', 'the run is finished and being undone');
  return undefined;
}

function terminate(status: RunStatus, compensate: boolean): ActionVerdict {
  if (compensate) {
    if (['COMPENSATING', 'FAILED', 'COMPENSATION_FAILED'].includes(status)) return { kind: 'unchanged', reason: `the run is already ${status}` };
    return finished(status) ?? apply('COMPENSATING');
  }
  if (status === 'TERMINATED') return { kind: 'unchanged', reason: 'the run is already TERMINATED' };
  return finished(status) ?? apply('TERMINATED');
}

function pause(status: RunStatus, failed: PlanStep[]): ActionVerdict {
  if (status === 'PAUSED') return { kind: 'unchanged', reason: 'the run is already PAUSED' };
  if (status === 'RUNNING') return apply('PAUSED', failed.length > 0 ? { failedStep: failed[0].name } : {});
  return finished(status) ?? refuse('RUN_NOT_RUNNING', `only a RUNNING run can be paused; the run is ${status}`);
}

function resume(status: RunStatus, failed: PlanStep[]): ActionVerdict {
  if (status === 'RUNNING') return { kind: 'unchanged', reason: 'the run is already RUNNING' };
  if (status !== 'PAUSED') return finished(status) ?? refuse('RUN_NOT_PAUSED', `only a PAUSED run can be resumed; the run is ${status}`);
  if (failed.length > 0) {
    return refuse('RUN_HAS_FAILED_STEP', `step ${failed[0].name} failed: retry it, skip it, or compensate the run`);
  }
  // No step has failed, so the only error a paused run can carry is why it paused (a deadline's): it is over.
  return apply('RUNNING', { clearsFailure: true });
}

function compensate(status: RunStatus): ActionVerdict {
  if (['COMPENSATING', 'FAILED', 'COMPENSATION_FAILED'].includes(status)) return { kind: 'unchanged', reason: `the run is already ${status}` };
  if (status === 'PAUSED') return apply('COMPENSATING');
  return finished(status) ?? refuse('RUN_NOT_PAUSED', `only a PAUSED run can be compensated on request; the run is ${status}`);
}

/** Whether an operator retried the step: its retry starts a fresh budget at its own attempt number. */
const retriedByOperator = (attempts: Attempt[], stepName: string): boolean => attempts.some((a) =>
  a.stepName === stepName && a.action === 'DO' && a.attempt > 1 && a.budgetStart === a.attempt && a.status !== 'SKIPPED');

/**
 * A step other than `step` that an operator retried or skipped from attempt `attempt`: a request
 * naming that attempt but no step may be the same click sent twice, which would now act on `step`.
 */
const actedOnFrom = (attempts: Attempt[], step: PlanStep, attempt: number): string | undefined => attempts.find((a) =>
  a.stepName !== step.name && a.action === 'DO' && a.attempt === attempt + 1
  && (a.status === 'SKIPPED' || a.budgetStart === a.attempt))?.stepName;

/**
 * Another failed step that would unwind the run (onFailure: compensate) once it moves on: the
 * retried step's attempt would be sent, then undone in the same write. A paused run can hold one
 * when a branch failed after an operator's or a deadline's pause.
 */
const unwindingFailure = (failed: PlanStep[], step: PlanStep): PlanStep | undefined =>
  failed.find((s) => s.name !== step.name && (s.onFailure ?? 'compensate') === 'compensate');

/** retry and skip: a failed step of a PAUSED run, or of a RUNNING one whose other branches go on. */
function stepAction(plan: Plan, status: RunStatus, attempts: Attempt[], latest: LatestAttempts, req: ActionRequest): ActionVerdict {
  // The same request again (a double click) after the first moved the run on, even to its end: nothing to change.
  const named = req.stepName === undefined ? undefined : latestOf(latest, req.stepName, 'DO');
  if (req.attempt !== undefined && named && named.attempt > req.attempt) {
    return { kind: 'unchanged', reason: `step ${req.stepName} has had attempt ${named.attempt} since attempt ${req.attempt}` };
  }
  if (status !== 'PAUSED' && status !== 'RUNNING') {
    return finished(status) ?? refuse('RUN_NOT_PAUSED', `${req.action} applies to a PAUSED or RUNNING run; the run is ${status}`);
  }
  const failed = failedSteps(plan, latest);
  let step: PlanStep | undefined;
  if (req.stepName !== undefined) {
    step = plan.steps.find((s) => s.name === req.stepName);
    if (!step) return refuse('STEP_NOT_FOUND', `the run's template has no step ${req.stepName}`);
  } else if (failed.length > 1) {
    return refuse('STEP_NAME_REQUIRED', `several steps failed (${failed.map((s) => s.name).join(', ')}): name one`);
  } else if (failed.length === 0) {
    return refuse('STEP_NOT_FAILED', 'no step has failed');
  } else {
    step = failed[0];
    const other = req.attempt === undefined ? undefined : actedOnFrom(attempts, step, req.attempt);
    if (other) {
      return refuse('STEP_NAME_REQUIRED',
        `step ${other} was retried or skipped from attempt ${req.attempt} since: name the step to ${req.action} ${step.name}`);
    }
  }
  const last = latestOf(latest, step.name, 'DO');
  if (req.attempt !== undefined && last && last.attempt > req.attempt) {
    return { kind: 'unchanged', reason: `step ${step.name} has had attempt ${last.attempt} since attempt ${req.attempt}` };
  }
  if (req.attempt !== undefined && (last?.attempt ?? 0) < req.attempt) {
    return refuse('STEP_NOT_FAILED', `step ${step.name} has no attempt ${req.attempt} (${last ? `its last is ${last.attempt}` : 'it has not run'})`);
  }
  const outcome = outcomeOf(step, last);
  if (outcome !== 'failed') {
    // Asked twice: the first request already retried (a fresh budget) or skipped the step.
    const done = req.action === 'retry' ? retriedByOperator(attempts, step.name) && outcome !== 'pending' : outcome === 'skipped';
    if (done) return { kind: 'unchanged', reason: `step ${step.name} was already ${req.action === 'retry' ? 'retried' : 'skipped'}` };
    return refuse('STEP_NOT_FAILED', `step ${step.name} has not failed (it is ${outcome})`);
  }
  const blocker = unwindingFailure(failed, step);
  if (blocker) {
    return refuse('RUN_HAS_FAILED_STEP', `step ${blocker.name} failed and unwinds the run once it moves on: retry or skip it first, or compensate the run`);
  }
  const attempt = last!.attempt + 1; // failed: it has run
  if (req.action === 'skip') return apply('RUNNING', { stepName: step.name, skipAttempt: attempt, clearsFailure: true });
  return apply('RUNNING', {
    stepName: step.name, clearsFailure: true,
    retry: { stepName: step.name, action: 'DO', attempt, budgetStart: attempt, delayMs: 0 },
  });
}

/** The steps a retry or skip may name now: those failed, in the template's order, but for one another failure would unwind. */
export function stepsToRetryOrSkip(plan: Plan, attempts: Attempt[]): string[] {
  const failed = failedSteps(plan, latestAttempts(attempts));
  return failed.filter((s) => !unwindingFailure(failed, s)).map((s) => s.name);
}

/** The failed steps, in the template's order: with none to name (stepsToRetryOrSkip), naming the first says why. */
export const failedStepNames = (plan: Plan, attempts: Attempt[]): string[] => failedSteps(plan, latestAttempts(attempts)).map((s) => s.name);

/**
 * What an operator's action does to a run in its current state: refused (with a stable code and
 * the reason), nothing (already done: every action is idempotent), or the status it sets and the
 * step attempt it adds. The executor applies it through the same version-guarded write as any
 * other transition, then lets decideTransition move a RUNNING or COMPENSATING run on.
 */
export function decideOperatorAction(plan: Plan, status: RunStatus, attempts: Attempt[], req: ActionRequest): ActionVerdict {
  const latest = latestAttempts(attempts);
  switch (req.action) {
    case 'terminate': return terminate(status, req.compensate ?? true);
    case 'pause': return pause(status, failedSteps(plan, latest));
    case 'resume': return resume(status, failedSteps(plan, latest));
    case 'compensate': return compensate(status);
    case 'retry':
    case 'skip':
      return stepAction(plan, status, attempts, latest, req);
  }
}
