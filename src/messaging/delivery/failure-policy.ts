import { errorMessage } from '../../common/errors/error-message';
import { isInfrastructureError } from '../../common/errors/infrastructure-error';
import { PoisonMessageError } from '../message';

export type FailureDecision =
  | { action: 'redeliver'; delayMs: number }
  /** A dependency is down: try the same delivery again later, without counting it as a failure. */
  | { action: 'wait-for-dependency'; delayMs: number }
  | { action: 'dead-letter'; reason: string };

const FIRST_OUTAGE_DELAY_MS = 100;
const MAX_OUTAGE_DELAY_MS = 5000;

/**
 * What to do after the handler failed on delivery `attempt` (1-based). When the database or the
 * broker is unreachable the message is not at fault: it waits, with backoff growing over the
 * `outageRetries` so far, for as long as the outage lasts, and the attempt is not counted (a 10 s
 * database restart would otherwise dead-letter every reply in flight). A poison message goes to
 * the dead-letter topic at once; any other failure is redelivered until `maxDeliveries` handler
 * runs failed, with a short, growing pause.
 */
export function decideAfterFailure(
  error: unknown, attempt: number, maxDeliveries: number, outageRetries = 0,
): FailureDecision {
  if (error instanceof PoisonMessageError) return { action: 'dead-letter', reason: errorMessage(error) };
  if (isInfrastructureError(error)) return { action: 'wait-for-dependency', delayMs: outageDelayMs(outageRetries) };
  // An attempt that is no count (NaN, or below 1, from a header a driver read unchecked) never
  // reaches the limit: dead-letter it rather than redeliver it forever.
  if (!(Number.isSafeInteger(attempt) && attempt >= 1) || attempt >= maxDeliveries) {
    return { action: 'dead-letter', reason: errorMessage(error) };
  }
  return { action: 'redeliver', delayMs: redeliveryDelayMs(attempt) };
}

export function redeliveryDelayMs(attempt: number): number {
  return Math.min(1000, 10 * 2 ** (attempt - 1));
}

/** 100 ms, doubling up to 5 s: a restarted database is noticed within seconds, and not hammered meanwhile. */
export function outageDelayMs(outageRetries: number): number {
  return Math.min(MAX_OUTAGE_DELAY_MS, FIRST_OUTAGE_DELAY_MS * 2 ** Math.min(outageRetries, 16));
}
