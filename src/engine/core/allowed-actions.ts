import {
  ActionRefusal, ActionVerdict, decideOperatorAction, failedStepNames, OPERATOR_ACTIONS, OperatorAction, stepsToRetryOrSkip,
} from './operator-action';
import type { Attempt, Plan } from './plan';
import type { RunStatus } from './run-status';
import { decideUndo, undoRefusal } from './undo-request';

/** Every action a run's detail reports on: the operator actions (POST /runs/{flowId}/{action}), then undo (POST /undo/{flowId}). */
export const RUN_ACTIONS = [...OPERATOR_ACTIONS, 'undo'] as const;
export type RunAction = (typeof RUN_ACTIONS)[number];

/** How terminate with one `compensate` value would be answered now. */
export interface TerminateVariant {
  compensate: boolean;
  /** Whether it changes the run; not allowed without a code: it is answered 202 `changed: false`. */
  allowed: boolean;
  code?: ActionRefusal;
  reason?: string;
}

export interface ActionAvailability {
  action: RunAction;
  allowed: boolean;
  /** Why not, when not allowed: the refusal's code, or absent when the action would change nothing. */
  code?: ActionRefusal | 'RUN_NOT_UNDOABLE';
  reason?: string;
  /** Terminate allowed only with this `compensate` (false on a COMPENSATING run: it stops the compensation). */
  compensate?: boolean;
  /** Retry and skip, when allowed: the steps they may name, so a console offers no step the action would refuse. */
  steps?: string[];
  /** Terminate: each `compensate` value's own answer (the fields above judge the default, compensate=true). */
  variants?: TerminateVariant[];
}

const terminateVariant = (compensate: boolean, verdict: ActionVerdict): TerminateVariant =>
  (verdict.kind === 'apply' ? { compensate, allowed: true }
    : verdict.kind === 'unchanged' ? { compensate, allowed: false, reason: verdict.reason }
      : { compensate, allowed: false, code: verdict.code, reason: verdict.reason });

function operatorAvailability(plan: Plan, status: RunStatus, attempts: Attempt[], action: OperatorAction): ActionAvailability {
  const verdict = decideOperatorAction(plan, status, attempts, { action });
  const steps = action === 'retry' || action === 'skip' ? { steps: stepsToRetryOrSkip(plan, attempts) } : {};
  let variants = {};
  if (action === 'terminate') {
    const leave = decideOperatorAction(plan, status, attempts, { action, compensate: false });
    variants = { variants: [terminateVariant(true, verdict), terminateVariant(false, leave)] };
    if (verdict.kind !== 'apply' && leave.kind === 'apply') {
      // Judged with its default (compensate=true), terminate is not allowed; leaving effects in place is.
      return { action, allowed: true, compensate: false, reason: `only with compensate=false: ${verdict.reason}`, ...variants };
    }
  }
  if (verdict.kind === 'apply') return { action, allowed: true, ...steps, ...variants };
  if (verdict.kind === 'unchanged') return { action, allowed: false, reason: verdict.reason, ...variants };
  if (verdict.code === 'STEP_NAME_REQUIRED') {
    if (stepsToRetryOrSkip(plan, attempts).length > 0) return { action, allowed: true, reason: verdict.reason, ...steps };
    // Several failed, and none may be named (another failure would unwind the run): the first one's refusal says why.
    const named = decideOperatorAction(plan, status, attempts, { action, stepName: failedStepNames(plan, attempts)[0] });
    if (named.kind === 'refused') return { action, allowed: false, code: named.code, reason: named.reason };
  }
  return { action, allowed: false, code: verdict.code, reason: verdict.reason, ...variants };
}

function undoAvailability(status: RunStatus): ActionAvailability {
  const verdict = decideUndo(status);
  if (verdict.kind !== 'refused') return { action: 'undo', allowed: true };
  // Undone or being undone: the undo would change nothing (202 changed: false), so no refusal code.
  if (verdict.alreadyDone) return { action: 'undo', allowed: false, reason: undoRefusal('the run', status, verdict.reason) };
  return { action: 'undo', allowed: false, code: verdict.code, reason: undoRefusal('the run', status, verdict.reason) };
}

/**
 * Which actions the run's state allows now, and why the others are not, decided by the same rules
 * as the actions themselves (decideOperatorAction, decideUndo), so a console's buttons never
 * disagree with the API. A retry or skip that only needs the step named (several failed) counts
 * as allowed.
 */
export function allowedActions(plan: Plan, status: RunStatus, attempts: Attempt[]): ActionAvailability[] {
  return [...OPERATOR_ACTIONS.map((action) => operatorAvailability(plan, status, attempts, action)), undoAvailability(status)];
}
