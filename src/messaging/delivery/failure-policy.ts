import { PoisonMessageError } from '../message';

export type FailureDecision =
  | { action: 'redeliver'; delayMs: number }
  | { action: 'dead-letter'; reason: string };

/** Longest header value we copy an error message into: a stack-sized reason is no use in a header. */
const MAX_REASON_LENGTH = 1000;

export function errorMessage(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.length > MAX_REASON_LENGTH ? `${message.slice(0, MAX_REASON_LENGTH)}…` : message;
}

/**
 * What to do after the handler failed on delivery `attempt` (1-based): a poison message goes to
 * the dead-letter topic at once, any other failure is redelivered until `maxDeliveries` handler
 * runs failed. The short, growing pause keeps a failing dependency from being hammered while
 * still redelivering well within a second or two.
 */
export function decideAfterFailure(error: unknown, attempt: number, maxDeliveries: number): FailureDecision {
  if (error instanceof PoisonMessageError || attempt >= maxDeliveries) {
    return { action: 'dead-letter', reason: errorMessage(error) };
  }
  return { action: 'redeliver', delayMs: redeliveryDelayMs(attempt) };
}

export function redeliveryDelayMs(attempt: number): number {
  return Math.min(1000, 10 * 2 ** (attempt - 1));
}
