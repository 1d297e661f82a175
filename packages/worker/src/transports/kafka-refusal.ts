/**
 * kafkajs's error types that refuse the messages themselves, so that sending them again is refused
 * again: a topic the client may not write or that cannot exist, a message or batch over a size
 * limit, a record the broker will not take. Baton's publish-outage.ts judges its own publishes by it.
 */
export const KAFKA_REFUSAL_TYPES: ReadonlySet<string> = new Set([
  'MESSAGE_TOO_LARGE', 'RECORD_LIST_TOO_LARGE', 'TOPIC_AUTHORIZATION_FAILED', 'INVALID_TOPIC_EXCEPTION', 'INVALID_RECORD',
  'POLICY_VIOLATION', 'CORRUPT_MESSAGE', 'UNSUPPORTED_FOR_MESSAGE_FORMAT',
]);
/** kafkajs nests the broker's answer a level or two deep (KafkaJSNonRetriableError, its cause); a cycle must not loop. */
const MAX_DEPTH = 5;

/**
 * Whether a failed produce request is the broker refusing some of its messages for good, found in
 * the error or its causes. Anything else (an unreachable broker, a leader moving, retries given
 * up, the sender's own timeout) is not: kafkajs marks its retries-exceeded error non-retriable
 * too, so that flag alone would take an outage for a refusal.
 */
export function isKafkaRefusal(error: unknown): boolean {
  let e = error as { type?: unknown; retriable?: unknown; cause?: unknown } | undefined;
  for (let depth = 0; depth <= MAX_DEPTH && e && typeof e === 'object'; depth++) {
    if (e.retriable === true) return false;
    if (typeof e.type === 'string' && KAFKA_REFUSAL_TYPES.has(e.type)) return true;
    e = e.cause as typeof e;
  }
  return false;
}
