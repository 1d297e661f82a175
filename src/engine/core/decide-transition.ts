import { attemptsToAbandon } from './abandon-in-flight';
import { stepsToCancel } from './cancel-in-flight';
import { compensationPlan } from './compensation-plan';
import { latestAttempts, latestOf, LatestAttempts } from './latest-attempts';
import { nextSteps } from './next-steps';
import type { Attempt, Dispatch, Plan, PlanStep } from './plan';
import { retryDelayMs } from './retry-delay';
import type { RunStatus, StepAction } from './run-status';
import { attemptInBudget, failedSteps, isDone, outcomeOf } from './step-outcome';
import { attemptsToVoid, withVoided } from './void-waiting';

export interface Transition<T extends Attempt = Attempt> {
  status: RunStatus;
  dispatch: Dispatch[];
  /** The run's failed step, when this transition finds one: the step that stops it, or one that failed while it was PAUSED. */
  failedStep?: string;
  /** Attempts waiting to be sent that this transition voids (attemptsToVoid); absent when none. */
  voids?: T[];
  /** The status that stopped sending them (for their record: a compensating run may end FAILED in the same transition). */
  voidedBy?: RunStatus;
  /** Attempts in flight that the run, terminated, gives up on, its `voids` among them (attemptsToAbandon); absent when none. */
  abandons?: T[];
  /**
   * Retries of failed undos that an operator asked for but that must wait their turn in the stack
   * (retryFailedUndos): recorded VOIDED, never sent, so that a later decision sends them; absent when none.
   */
  owed?: Dispatch[];
}

/** What the run's status and attempts call for, before any voiding. */
type Decision = Omit<Transition, 'voids' | 'voidedBy' | 'abandons' | 'owed'>;

const first = (step: PlanStep, action: StepAction): Dispatch =>
  ({ stepName: step.name, action, attempt: 1, delayMs: 0 });

function retries(plan: Plan, latest: LatestAttempts, action: StepAction): Dispatch[] {
  return plan.steps.flatMap((step) => {
    const last = latestOf(latest, step.name, action);
    if (!last || outcomeOf(step, last) !== 'retry') return [];
    // A voided attempt never ran: its replacement takes its place in the budget, and its backoff
    // (none for the first of a budget: an operator's retry of an undo that waited its turn).
    const budgetStart = (last.budgetStart ?? 1) + (last.status === 'VOIDED' ? 1 : 0);
    const next = { attempt: last.attempt + 1, budgetStart };
    const delayMs = attemptInBudget(next) > 1 ? retryDelayMs(step.retry, attemptInBudget(next)) : 0;
    return [{ stepName: step.name, action, ...next, delayMs }];
  });
}

const doInFlight = (latest: LatestAttempts, s: PlanStep) => outcomeOf(s, latestOf(latest, s.name, 'DO')) === 'in-flight';

/** Unwinds the undo stack; `mode` is COMPENSATING (after a failure) or UNDOING (operator request). */
function unwind(plan: Plan, latest: LatestAttempts, mode: 'COMPENSATING' | 'UNDOING'): Decision {
  const cancels = stepsToCancel(plan, latest).map((s) => first(s, 'UNDO'));
  // Steps still running their DO are allowed to finish first: one of them may need undoing too.
  // Built-in ones are being cancelled (above), and end soon after.
  if (cancels.length > 0 || plan.steps.some((s) => doInFlight(latest, s))) return { status: mode, dispatch: cancels };
  const state = compensationPlan(plan, latest);
  const undos = retries(plan, latest, 'UNDO').filter((d) => !state.held.includes(d.stepName));
  const dispatch = [...undos, ...state.start.map((s) => first(s, 'UNDO'))];
  if (dispatch.length > 0 || state.busy) return { status: mode, dispatch };
  const failed = state.failed.length > 0;
  if (mode === 'COMPENSATING') return { status: failed ? 'COMPENSATION_FAILED' : 'FAILED', dispatch: [] };
  return { status: failed ? 'UNDO_FAILED' : 'UNDONE', dispatch: [] };
}

/**
 * A failed step that says `onFailure: compensate` (the default) unwinds the run at once. One that
 * says `pause` only blocks what depends on it: the rest of the run goes on (other branches in
 * flight, their retries), and when nothing else can move the run is PAUSED, naming the step, for
 * an operator to retry, skip or compensate.
 */
function advance(plan: Plan, latest: LatestAttempts): Decision {
  const failed = failedSteps(plan, latest);
  const fatal = failed.find((s) => (s.onFailure ?? 'compensate') === 'compensate');
  if (fatal) return { ...unwind(plan, latest, 'COMPENSATING'), failedStep: fatal.name };
  const dispatch = [...retries(plan, latest, 'DO'), ...nextSteps(plan, latest).map((s) => first(s, 'DO'))];
  if (failed.length > 0) {
    const moving = dispatch.length > 0 || plan.steps.some((s) => doInFlight(latest, s));
    return moving ? { status: 'RUNNING', dispatch } : { status: 'PAUSED', dispatch: [], failedStep: failed[0].name };
  }
  const done = plan.steps.every((s) => isDone(outcomeOf(s, latestOf(latest, s.name, 'DO'))));
  return { status: done ? 'COMPLETED' : 'RUNNING', dispatch };
}

function decideOn(plan: Plan, status: RunStatus, latest: LatestAttempts): Decision {
  switch (status) {
    case 'WAITING_FOR_WORKERS':
    case 'RUNNING':
      return advance(plan, latest);
    case 'COMPENSATING':
    case 'UNDOING':
      return unwind(plan, latest, status);
    case 'PAUSED': {
      // Paused by an operator or its deadline, with steps still in flight: one that fails stays put (nothing
      // new is sent), but the run names it, as a pause on failure does, for the retry, skip or compensate it needs.
      const [failed] = failedSteps(plan, latest);
      return failed ? { status, dispatch: [], failedStep: failed.name } : { status, dispatch: [] };
    }
    default:
      return { status, dispatch: [] };
  }
}

/**
 * The engine's one decision: given a run's plan, status and every attempt so far, what the run's
 * status becomes, which commands go out, which retries still waiting to go out are voided
 * (`now` tells which are), and which attempts in flight a terminated run gives up on. Pure, so that it can be tested exhaustively and re-run safely by the
 * healer on any run. A PAUSED run sends nothing (results of steps in flight are still recorded);
 * an operator's resume, retry, skip or compensate moves it on.
 */
export function decideTransition<T extends Attempt>(plan: Plan, status: RunStatus, attempts: T[], now: number): Transition<T> {
  const voids = attemptsToVoid(status, attempts, now);
  const seen = withVoided(attempts, voids);
  const decision = decideOn(plan, status, latestAttempts(seen));
  // A decision that stops what the run sends (a failure starts compensation) voids what waited to
  // be sent too, and is taken again without it: the undos need not wait for a retry that will not run.
  const more = decision.status === status ? [] : attemptsToVoid(decision.status, seen, now);
  const all = [...voids, ...more];
  const final = more.length === 0 ? decision
    : { ...decideOn(plan, decision.status, latestAttempts(withVoided(seen, more))), failedStep: decision.failedStep };
  const abandons = attemptsToAbandon(final.status, attempts);
  const decided: Transition<T> = abandons.length === 0 ? final : { ...final, abandons };
  return all.length === 0 ? decided : { ...decided, voids: all, voidedBy: voids.length > 0 ? status : decision.status };
}
