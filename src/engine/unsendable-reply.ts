import type { LoggerService } from '@nestjs/common';
import { isRefusalToSend } from '../messaging/outbox/outbox.service';
import { unsendableResultAsFailure } from './core/unsendable-result';
import type { ApplyOutcome, StepResult } from './dispatch/step-result';

/** Applies a result; with `runError`, the run also ends (unsendableRunEnd) before its decision. */
export type ApplyResult = (result: StepResult, runError?: string) => Promise<ApplyOutcome>;

/**
 * A result refused because what follows it would be too big to send: retried, it is refused
 * again, so it was dead-lettered and its step waited for its timeout. Its step fails for good
 * instead (unsendableResultAsFailure), and when what that calls for is refused too, the run ends
 * with its effects in place (unsendableRunEnd), as the healer does with a timeout.
 */
export async function applyUnsendable(result: StepResult, error: unknown, apply: ApplyResult, logger: LoggerService): Promise<ApplyOutcome> {
  if (!isRefusalToSend(error)) throw error;
  const log = { flowId: result.flowId, step: result.stepName, action: result.action, attempt: result.attempt };
  const failure = unsendableResultAsFailure(result, error.message);
  if (failure) {
    logger.warn(log, failure.error);
    try {
      return await apply(failure);
    } catch (again) {
      if (!isRefusalToSend(again)) throw again;
    }
  }
  const runError = `OUTPUT_TOO_LARGE: what ${result.action} ${result.stepName} calls for cannot be sent: ${error.message}`;
  logger.warn(log, `${runError}; the run ends with its effects in place`);
  return apply(failure ?? result, runError);
}
