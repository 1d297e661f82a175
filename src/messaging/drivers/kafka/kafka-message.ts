import type { IHeaders, KafkaMessage, Message } from 'kafkajs';
import { MESSAGE_ID_HEADER, type IncomingMessage, type OutgoingMessage } from '../../message';

export function toKafkaMessage(message: OutgoingMessage): Message {
  return { key: message.key ?? null, value: message.body, headers: message.headers ?? {} };
}

/** Where a message sits in Kafka: the identity that attempt counts are kept under. */
export function positionOf(topic: string, partition: number, offset: string): string {
  return `${topic}:${partition}:${offset}`;
}

export function toIncoming(
  topic: string, partition: number, message: KafkaMessage, deliveryAttempt: number,
): IncomingMessage {
  const headers = headersOf(message.headers);
  const position = positionOf(topic, partition, message.offset);
  return {
    id: headers[MESSAGE_ID_HEADER] ?? position,
    position,
    topic,
    key: message.key === null ? undefined : message.key.toString(),
    headers,
    body: message.value ?? Buffer.alloc(0),
    deliveryAttempt,
  };
}

/** kafkajs header values are Buffers (or arrays when a header repeats: the first one wins). */
function headersOf(raw: IHeaders | undefined): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const [name, value] of Object.entries(raw ?? {})) {
    const first = Array.isArray(value) ? value[0] : value;
    if (first !== undefined) headers[name] = first.toString();
  }
  return headers;
}
