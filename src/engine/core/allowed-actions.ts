import { ActionRefusal, decideOperatorAction, OPERATOR_ACTIONS, OperatorAction, stepsToRetryOrSkip } from './operator-action';
import type { Attempt, Plan } from './plan';
import type { RunStatus } from './run-status';

export interface ActionAvailability {
  action: OperatorAction;
  allowed: boolean;
  /** Why not, when not allowed: the refusal's code, or absent when the action would change nothing. */
  code?: ActionRefusal;
  reason?: string;
  /** Terminate allowed only with this `compensate` (false on a COMPENSATING run: it stops the compensation). */
  compensate?: boolean;
  /** Retry and skip, when allowed: the steps they may name, so a console offers no step the action would refuse. */
  steps?: string[];
}

/**
 * Which operator actions the run's state allows now, and why the others are not, decided by the
 * same rules as the actions themselves (so a console's buttons never disagree with the API). A
 * retry or skip that only needs the step named (several failed) counts as allowed.
 */
export function allowedActions(plan: Plan, status: RunStatus, attempts: Attempt[]): ActionAvailability[] {
  return OPERATOR_ACTIONS.map((action) => {
    const verdict = decideOperatorAction(plan, status, attempts, { action });
    const steps = action === 'retry' || action === 'skip' ? { steps: stepsToRetryOrSkip(plan, attempts) } : {};
    if (verdict.kind === 'apply') return { action, allowed: true, ...steps };
    // Terminate is judged with its default (compensate=true); leaving effects in place may still apply.
    if (action === 'terminate' && decideOperatorAction(plan, status, attempts, { action, compensate: false }).kind === 'apply') {
      return { action, allowed: true, compensate: false, reason: `only with compensate=false: ${verdict.reason}` };
    }
    if (verdict.kind === 'unchanged') return { action, allowed: false, reason: verdict.reason };
    if (verdict.code === 'STEP_NAME_REQUIRED') return { action, allowed: true, reason: verdict.reason, ...steps };
    return { action, allowed: false, code: verdict.code, reason: verdict.reason };
  });
}
