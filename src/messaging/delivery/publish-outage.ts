import { KAFKA_REFUSAL_TYPES } from '@baton/worker/internal';

/** AMQP's channel-closing replies that refuse a message: 403 ACCESS_REFUSED, 406 PRECONDITION_FAILED (over max_message_size). */
const AMQP_REFUSALS = new Set([403, 406]);

/**
 * Whether a failed publish is the broker refusing these messages for good. Only answers known to
 * mean that count (a Kafka error type, an AMQP reply code), found in the error, its causes, or
 * every error of an aggregate: the outbox parks a row refused so (isolateRefusals), a dead letter
 * is cut down (publishDeadLetter), and anything else (an unreachable or busy broker, a leader
 * moving, a nack, a closed channel, a sender shutting down) must be tried again as it is, not
 * given up on: it is an outage (isPublishOutage).
 */
function isPublishRefusal(error: unknown, depth: number): boolean {
  if (!error || typeof error !== 'object' || depth > 5) return false;
  const e = error as { type?: unknown; code?: unknown; retriable?: unknown; errors?: unknown; cause?: unknown };
  if (e.retriable === true) return false;
  if (typeof e.type === 'string' && KAFKA_REFUSAL_TYPES.has(e.type)) return true;
  if (typeof e.code === 'number' && AMQP_REFUSALS.has(e.code)) return true;
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every((inner) => isPublishRefusal(inner, depth + 1));
  return isPublishRefusal(e.cause, depth + 1);
}

/** Whether a failed publish is to be tried again as it is: anything but a known refusal (isPublishRefusal). */
export function isPublishOutage(error: unknown): boolean {
  return !isPublishRefusal(error, 0);
}
