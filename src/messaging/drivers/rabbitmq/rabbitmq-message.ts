import type { ConsumeMessage, Options } from 'amqplib';
import { randomUUID } from 'node:crypto';
import { MESSAGE_ID_HEADER, type IncomingMessage, type OutgoingMessage } from '../../message';

/** AMQP has no message key: it travels in a header that handlers do not see. */
const KEY_HEADER = 'x-baton-key';
/**
 * Failed deliveries so far. Classic queues do not count redeliveries (docs/stack-notes.md, "Brokers"), so the driver
 * republishes a failed message with this header incremented.
 */
const FAILURES_HEADER = 'x-baton-failures';

/** AMQP's message-id is a short string: amqplib refuses to publish a longer one. */
const MAX_MESSAGE_ID_BYTES = 255;

export function publishOptions(message: OutgoingMessage): Options.Publish {
  const headers: Record<string, string> = { ...message.headers };
  if (message.key !== undefined) headers[KEY_HEADER] = message.key;
  const id = message.headers?.[MESSAGE_ID_HEADER];
  return {
    persistent: true,
    headers,
    // A longer x-message-id (a publisher's, carried into its dead letter) travels in its header
    // alone, which consumers read first: copied here it made every publish of it throw.
    messageId: id !== undefined && Buffer.byteLength(id) <= MAX_MESSAGE_ID_BYTES ? id : randomUUID(),
    timestamp: Math.floor(Date.now() / 1000),
  };
}

/** The same message, for its own queue again, one failure further. */
export function redeliveryOptions(message: ConsumeMessage, failures: number): Options.Publish {
  const { properties } = message;
  return {
    persistent: true,
    headers: { ...properties.headers, [FAILURES_HEADER]: failures },
    messageId: properties.messageId,
    timestamp: properties.timestamp,
    contentType: properties.contentType,
    contentEncoding: properties.contentEncoding,
    correlationId: properties.correlationId,
    type: properties.type,
    appId: properties.appId,
  };
}

export function toIncoming(message: ConsumeMessage, topic: string): IncomingMessage {
  const raw = message.properties.headers ?? {};
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw)) {
    if (name === KEY_HEADER || name === FAILURES_HEADER || value === undefined || value === null) continue;
    headers[name] = headerValue(value);
  }
  const key = raw[KEY_HEADER];
  const id = headers[MESSAGE_ID_HEADER] ?? message.properties.messageId;
  return {
    // Without any id (a foreign publisher), fall back to the delivery: unique only per channel.
    id: id === undefined ? `${topic}:${message.fields.consumerTag}:${message.fields.deliveryTag}` : String(id),
    topic,
    key: key === undefined ? undefined : headerValue(key),
    headers,
    body: message.content,
    deliveryAttempt: failuresOf(raw[FAILURES_HEADER]) + 1,
  };
}

/**
 * Any publisher can set the failures header. A value that is not a count ("x" is NaN, which never
 * reaches the limit and cannot be republished; -1000000000 buys a billion retries) counts as no
 * failures, so the message gets the normal number of attempts and is republished with a whole number.
 */
function failuresOf(value: unknown): number {
  const count = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof count === 'number' && Number.isSafeInteger(count) && count >= 0 ? count : 0;
}

function headerValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (Buffer.isBuffer(value)) return value.toString();
  return typeof value === 'object' ? JSON.stringify(value) : String(value);
}
