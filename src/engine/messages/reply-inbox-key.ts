import { createHash } from 'node:crypto';
import type { IncomingMessage } from '../../messaging/message';
import type { InboxKey } from '../dispatch/step-result';

/**
 * The inbox key of a reply in the original format (no commandId), from Baton's own view of the
 * message, never from a transport id a worker may set (an AMQP message-id, a Kafka x-message-id:
 * a worker that set it to the flowId lost every reply after the first). Where the broker has a
 * position it is the key: a redelivery has the same one, a new reply another. RabbitMQ has none,
 * so the key is the reply's content: a redelivery is byte-identical. A worker replying there in the
 * original format with byte-identical replies to two attempts should add `attempt` or `commandId`.
 */
export function replyInboxKey(message: Pick<IncomingMessage, 'topic' | 'body' | 'position'>): InboxKey {
  const messageId = message.position ?? `sha256:${createHash('sha256').update(message.body).digest('hex')}`;
  return { consumer: message.topic, messageId };
}
