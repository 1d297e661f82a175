import { compensationPlan } from './compensation-plan';
import { latestAttempts, latestOf } from './latest-attempts';
import type { Attempt, Dispatch, Plan } from './plan';
import type { RunStatus } from './run-status';
import { decideTransition, Transition } from './decide-transition';
import { outcomeOf } from './step-outcome';

/** What an operator's undo of a run whose undo already failed resumes as. */
const RESUMES: Partial<Record<RunStatus, RunStatus>> = { COMPENSATION_FAILED: 'COMPENSATING', UNDO_FAILED: 'UNDOING' };

export const canRetryUndos = (status: RunStatus): boolean => status in RESUMES;

/**
 * An operator's second chance for undos that ran out of attempts: each gets a fresh budget of its
 * retry policy, as an operator's retry of a failed step does, and the run goes back to unwinding
 * (COMPENSATING or UNDOING), so decideTransition then finishes it as usual. (The budget used to go
 * on from the first attempt: a timed-out retry was retried or not by how many attempts had failed
 * before the operator's.)
 *
 * The stack's order holds again: a step's undo goes only after the undos of the steps built on it,
 * which may be failed undos retried now too (the child's "delete client in realm" before the
 * parent's "delete realm"). So only those the compensation plan lets go first are sent (listed top
 * of the stack first); each of the others is `owed`: a retry recorded as never sent (VOIDED, the
 * first of its fresh budget), which decideTransition sends once its turn comes, rather than the
 * run ending on the old failure.
 *
 * A run that ended with no failed undo ended because its undos could not be sent at all
 * (unsendableRunEnd): it resumes unwinding where it stopped, so the undos it owes start now (a
 * raised message limit, or smaller outputs, may let them go out; if not, the executor ends it again).
 */
export function retryFailedUndos<T extends Attempt>(plan: Plan, status: RunStatus, attempts: T[], now: number): Transition<T> {
  const resumed = RESUMES[status];
  if (!resumed) return { status, dispatch: [] };
  const latest = latestAttempts(attempts);
  const retried: Dispatch[] = [...plan.steps].sort((x, y) => y.seq - x.seq).flatMap((step) => {
    const undo = latestOf(latest, step.name, 'UNDO');
    if (!undo || outcomeOf(step, undo) !== 'failed') return [];
    const attempt = undo.attempt + 1;
    return [{ stepName: step.name, action: 'UNDO' as const, attempt, budgetStart: attempt, delayMs: 0 }];
  });
  if (retried.length === 0) return decideTransition(plan, resumed, attempts, now);
  // Which wait: the plan's view with every retry owed (VOIDED: never sent, so its step's undo is due again).
  const owing: Attempt[] = retried.map((d) => ({ ...d, status: 'VOIDED' }));
  const { held } = compensationPlan(plan, latestAttempts<Attempt>([...attempts, ...owing]));
  const owed = retried.filter((d) => held.includes(d.stepName));
  const dispatch = retried.filter((d) => !held.includes(d.stepName));
  return owed.length > 0 ? { status: resumed, dispatch, owed } : { status: resumed, dispatch };
}
