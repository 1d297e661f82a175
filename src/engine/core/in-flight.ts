import type { Attempt } from './plan';
import type { StepAction } from './run-status';

/** What a step result says about the attempt it answers; attempt and commandId are absent in the original reply format. */
export interface AttemptReference {
  stepName: string;
  action: StepAction;
  attempt?: number;
  commandId?: string;
}

/**
 * The attempt a result completes: the step's DISPATCHED attempt, if it matches every detail the
 * result gives. None for a duplicate, a late reply to an attempt that timed out, or a step never
 * dispatched: such a result changes nothing.
 */
export function findInFlight<T extends Attempt & { commandId: string }>(attempts: T[], ref: AttemptReference): T | undefined {
  for (let i = attempts.length - 1; i >= 0; i--) {
    const a = attempts[i];
    if (a.stepName !== ref.stepName || a.action !== ref.action || a.status !== 'DISPATCHED') continue;
    if (ref.attempt !== undefined && ref.attempt !== a.attempt) continue;
    if (ref.commandId !== undefined && ref.commandId !== a.commandId) continue;
    return a;
  }
  return undefined;
}
