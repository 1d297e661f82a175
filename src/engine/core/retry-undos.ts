import { latestAttempts, latestOf } from './latest-attempts';
import type { Attempt, Plan } from './plan';
import type { RunStatus } from './run-status';
import { decideTransition, Transition } from './decide-transition';
import { outcomeOf } from './step-outcome';

/** What an operator's undo of a run whose undo already failed resumes as. */
const RESUMES: Partial<Record<RunStatus, RunStatus>> = { COMPENSATION_FAILED: 'COMPENSATING', UNDO_FAILED: 'UNDOING' };

export const canRetryUndos = (status: RunStatus): boolean => status in RESUMES;

/**
 * An operator's second chance for undos that ran out of attempts: each is sent again with a fresh
 * budget of its retry policy, as an operator's retry of a failed step is, and the run goes back to
 * unwinding (COMPENSATING or UNDOING), so decideTransition then finishes it as usual. (The budget
 * used to go on from the first attempt: a timed-out retry was retried or not by how many attempts
 * had failed before the operator's.) The retries go out together (listed top of the stack first): each failed undo already had its
 * turn in the stack's order, and everything else on the stack has been undone since.
 *
 * A run that ended with no failed undo ended because its undos could not be sent at all
 * (unsendableRunEnd): it resumes unwinding where it stopped, so the undos it owes start now (a
 * raised message limit, or smaller outputs, may let them go out; if not, the executor ends it again).
 */
export function retryFailedUndos<T extends Attempt>(plan: Plan, status: RunStatus, attempts: T[], now: number): Transition<T> {
  const resumed = RESUMES[status];
  if (!resumed) return { status, dispatch: [] };
  const latest = latestAttempts(attempts);
  const dispatch = [...plan.steps].sort((x, y) => y.seq - x.seq).flatMap((step) => {
    const undo = latestOf(latest, step.name, 'UNDO');
    if (!undo || outcomeOf(step, undo) !== 'failed') return [];
    const attempt = undo.attempt + 1;
    return [{ stepName: step.name, action: 'UNDO' as const, attempt, budgetStart: attempt, delayMs: 0 }];
  });
  return dispatch.length > 0 ? { status: resumed, dispatch } : decideTransition(plan, resumed, attempts, now);
}
