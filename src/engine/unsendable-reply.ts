import type { LoggerService } from '@nestjs/common';
import { unsendableResultAsFailure } from './core/unsendable-result';
import type { ApplyOutcome, StepResult } from './dispatch/step-result';

/** Applies a result; with `runError`, the run also ends (unsendableRunEnd) before its decision. */
export type ApplyResult = (result: StepResult, runError?: string) => Promise<ApplyOutcome>;

/**
 * The fallbacks for a reply whose follow-up was refused (escalateUnsendable): it was dead-lettered,
 * and its step waited for its timeout. Its step fails for good instead (unsendableResultAsFailure),
 * and when what that calls for is refused too, the run ends with its effects in place
 * (unsendableRunEnd), as the healer does with a timeout.
 */
export function unsendableReplyFallbacks(result: StepResult, refusal: string, apply: ApplyResult, logger: LoggerService): Array<() => Promise<ApplyOutcome>> {
  const log = { flowId: result.flowId, step: result.stepName, action: result.action, attempt: result.attempt };
  const failure = unsendableResultAsFailure(result, refusal);
  const endRun = () => {
    const runError = `OUTPUT_TOO_LARGE: what ${result.action} ${result.stepName} calls for cannot be sent: ${refusal}`;
    logger.warn(log, `${runError}; the run ends with its effects in place`);
    return apply(failure ?? result, runError);
  };
  if (!failure) return [endRun];
  return [() => {
    logger.warn(log, failure.error);
    return apply(failure);
  }, endRun];
}
