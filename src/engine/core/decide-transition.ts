import { compensationPlan } from './compensation-plan';
import { latestAttempts, latestOf, LatestAttempts } from './latest-attempts';
import { nextSteps } from './next-steps';
import type { Attempt, Dispatch, Plan, PlanStep } from './plan';
import { retryDelayMs } from './retry-delay';
import type { RunStatus, StepAction } from './run-status';
import { outcomeOf } from './step-outcome';

export interface Transition {
  status: RunStatus;
  dispatch: Dispatch[];
  /** Set when this transition is the one that found the run's first failed step. */
  failedStep?: string;
}

const first = (step: PlanStep, action: StepAction): Dispatch =>
  ({ stepName: step.name, action, attempt: 1, delayMs: 0 });

function retries(plan: Plan, latest: LatestAttempts, action: StepAction): Dispatch[] {
  return plan.steps.flatMap((step) => {
    const last = latestOf(latest, step.name, action);
    if (!last || outcomeOf(step, last) !== 'retry') return [];
    return [{ stepName: step.name, action, attempt: last.attempt + 1, delayMs: retryDelayMs(step.retry, last.attempt + 1) }];
  });
}

/** Unwinds the undo stack; `mode` is COMPENSATING (after a failure) or UNDOING (operator request). */
function unwind(plan: Plan, latest: LatestAttempts, mode: 'COMPENSATING' | 'UNDOING'): Transition {
  // Steps still running their DO are allowed to finish first: one of them may need undoing too.
  const doInFlight = plan.steps.some((s) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'in-flight');
  if (doInFlight) return { status: mode, dispatch: [] };
  const state = compensationPlan(plan, latest);
  const dispatch = [...retries(plan, latest, 'UNDO'), ...state.start.map((s) => first(s, 'UNDO'))];
  if (dispatch.length > 0 || state.busy) return { status: mode, dispatch };
  const failed = state.failed.length > 0;
  if (mode === 'COMPENSATING') return { status: failed ? 'COMPENSATION_FAILED' : 'FAILED', dispatch: [] };
  return { status: failed ? 'UNDO_FAILED' : 'UNDONE', dispatch: [] };
}

function advance(plan: Plan, latest: LatestAttempts): Transition {
  const failed = plan.steps.find((s) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'failed');
  if (failed) return { ...unwind(plan, latest, 'COMPENSATING'), failedStep: failed.name };
  const dispatch = [...retries(plan, latest, 'DO'), ...nextSteps(plan, latest).map((s) => first(s, 'DO'))];
  const done = plan.steps.every((s) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'succeeded');
  return { status: done ? 'COMPLETED' : 'RUNNING', dispatch };
}

/**
 * The engine's one decision: given a run's plan, status and every attempt so far, what the run's
 * status becomes and which commands go out. Pure, so that it can be tested exhaustively and
 * re-run safely by the healer on any run.
 */
export function decideTransition(plan: Plan, status: RunStatus, attempts: Attempt[]): Transition {
  const latest = latestAttempts(attempts);
  switch (status) {
    case 'WAITING_FOR_WORKERS':
    case 'RUNNING':
      return advance(plan, latest);
    case 'COMPENSATING':
    case 'UNDOING':
      return unwind(plan, latest, status);
    default:
      return { status, dispatch: [] };
  }
}
