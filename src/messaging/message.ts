/** A message to publish. `key` orders messages: same key, same order (Baton keys replies and events by flowId, commands by flowId and step). */
export interface OutgoingMessage {
  topic: string;
  key?: string;
  headers?: Record<string, string>;
  body: Buffer;
}

/** A delivered message. `id` is the `x-message-id` header when present, else unique per broker position. */
export interface IncomingMessage {
  id: string;
  topic: string;
  key?: string;
  headers: Record<string, string>;
  body: Buffer;
  /** 1 on first delivery; grows with every redelivery after a handler failure. */
  deliveryAttempt: number;
  /**
   * Where the broker holds the message (Kafka topic:partition:offset, the in-process broker's
   * offset): the same on every redelivery and set by no publisher. Absent on RabbitMQ, which has
   * no such position.
   */
  position?: string;
  /**
   * Aborted when the consumer gives the message's partition up (a rebalance, a stop) while its
   * handler still runs (Kafka). A handler that holds a message until something else happens
   * (Baton's HTTP worker hub) ends then: throwing an outage error leaves the message to the
   * partition's next owner, resolving acknowledges it. The group's rebalance waits for it.
   */
  handedOver?: AbortSignal;
}

/** Resolving acknowledges the message; throwing makes the broker deliver it again (up to a limit). */
export type MessageHandler = (message: IncomingMessage) => Promise<void>;

export const MESSAGE_ID_HEADER = 'x-message-id';
export const DEAD_LETTER_REASON_HEADER = 'x-dead-letter-reason';
export const ORIGINAL_TOPIC_HEADER = 'x-original-topic';
export const DELIVERY_ATTEMPTS_HEADER = 'x-delivery-attempts';

/** Dead letters of topic T go to T + this suffix, carrying the reason and the original headers. */
export const DEAD_LETTER_SUFFIX = '.DLQ';

export function deadLetterTopicOf(topic: string): string {
  return topic + DEAD_LETTER_SUFFIX;
}

/**
 * Thrown by a handler for a message that can never succeed (unparseable, invalid): the driver
 * dead-letters it at once instead of redelivering it.
 */
export class PoisonMessageError extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'PoisonMessageError';
  }
}
