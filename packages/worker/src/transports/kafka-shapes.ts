import type { Socket } from 'node:net';
import type { SecureContextOptions } from 'node:tls';

/*
 * kafkajs's types the SDK's public declarations need, by shape: kafkajs is an optional peer, and a
 * worker on HTTP or RabbitMQ compiling with `skipLibCheck: false` must not need it. kafkajs's own
 * values fit them (its Producer, Message, SASL options, socket factory and log creator).
 */

/** SASL options as kafkajs takes them: `{mechanism: 'scram-sha-512', username, password}`, or its other mechanisms'. */
export type KafkaSasl = { mechanism: string } & Record<string, unknown>;

/** One message to produce. */
export interface KafkaOutgoingMessage {
  key?: Buffer | string | null;
  value: Buffer | string | null;
  partition?: number;
  headers?: Record<string, Buffer | string | Array<Buffer | string> | undefined>;
  timestamp?: string;
}

/** What KafkaCoalescingSender needs of a producer. */
export interface KafkaBatchProducer {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  sendBatch(batch: { topicMessages: Array<{ topic: string; messages: KafkaOutgoingMessage[] }>; acks?: number }): Promise<unknown>;
}

/** kafkajs's `socketFactory` option. */
export type KafkaSocketFactory = (args: { host: string; port: number; ssl: SecureContextOptions | undefined; onConnect: () => void }) => Socket;

/** One line kafkajs logs, as its log creator receives it. */
export interface KafkaLogEntry {
  namespace: string;
  level: number;
  label?: string;
  log: { message: string } & Record<string, unknown>;
}
