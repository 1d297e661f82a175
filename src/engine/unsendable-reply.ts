import type { LoggerService } from '@nestjs/common';
import type { RunStatus } from './core/run-status';
import { unsendableResultFallback, unsendableRunEnd, unsendableSuccessUnwinds } from './core/unsendable-result';
import type { ApplyOutcome, StepResult } from './dispatch/step-result';
import { attemptFields } from '../common/logging/attempt-fields';

/** A change of the run's status written with a result: `to` the status to move to from the run's own, or null for none. */
export interface RunChange {
  to: (status: RunStatus) => RunStatus | null;
  error: string;
}

/** Applies a result; with `runChange`, the run's status also changes before its decision. */
export type ApplyResult = (result: StepResult, runChange?: RunChange) => Promise<ApplyOutcome>;

/**
 * The fallbacks for a reply whose follow-up was refused (escalateUnsendable): it was dead-lettered,
 * and its step waited for its timeout. The result is applied without what cannot be sent
 * (unsendableResultFallback): a success without its output, the run unwinding; a retryable failure
 * as final. When what that calls for is refused too, the run ends with its effects in place
 * (unsendableRunEnd), as the healer does with a timeout.
 */
export function unsendableReplyFallbacks(result: StepResult, refusal: string, apply: ApplyResult, logger: LoggerService): Array<() => Promise<ApplyOutcome>> {
  const log = attemptFields(result);
  const fallback = unsendableResultFallback(result, refusal);
  const endRun = () => {
    const error = `OUTPUT_TOO_LARGE: what ${result.action} ${result.stepName} calls for cannot be sent: ${refusal}`;
    logger.warn(log, `${error}; the run ends with its effects in place`);
    return apply(fallback ?? result, { to: unsendableRunEnd, error });
  };
  if (!fallback) return [endRun];
  const unwind = result.status === 'SUCCESS'
    ? { to: unsendableSuccessUnwinds, error: `OUTPUT_TOO_LARGE: ${result.action} ${result.stepName} succeeded, but what follows cannot carry its output, so the run unwinds, ${result.stepName} included: ${refusal}` }
    : undefined;
  return [() => {
    logger.warn(log, unwind?.error ?? fallback.error);
    return apply(fallback, unwind);
  }, endRun];
}

/**
 * A success whose worker could not send its output (the SDK refused it, or Baton refused the
 * reply that carried it) is the same case met at the worker: its effect is real, so the step keeps
 * its success without its output, and the run unwinds, this step's undo included. Failing the step
 * instead left its effect in place, never undone, under a run that read as compensated.
 */
export function droppedOutputChange(result: StepResult): RunChange | undefined {
  if (result.status !== 'SUCCESS' || !result.outputDropped) return undefined;
  return {
    to: unsendableSuccessUnwinds,
    error: `${result.action} ${result.stepName} succeeded, but its worker could not send its output, so the run unwinds, ${result.stepName} included: ${result.error ?? 'no reason given'}`,
  };
}
