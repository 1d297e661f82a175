import type { BatonClient } from '../baton-client';
import type { WorkerLogger } from '../logger';
import { HttpTransport, type HttpTransportOptions } from './http-transport';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport';
import { RabbitMqTransport, type RabbitMqTransportOptions } from './rabbitmq-transport';
import type { Transport } from './transport';

export type TransportChoice =
  | 'http'
  | { http: HttpTransportOptions }
  | { kafka: KafkaTransportOptions }
  | { rabbitmq: RabbitMqTransportOptions };

/** Broker transports load their client library (an optional peer dependency) only when chosen. */
export function createTransport(choice: TransportChoice, client: BatonClient, logger: WorkerLogger): Transport {
  if (choice === 'http') return new HttpTransport(client, logger);
  if ('http' in choice) return new HttpTransport(client, logger, choice.http);
  if ('kafka' in choice) return new KafkaTransport(client.service, choice.kafka, logger);
  if ('rabbitmq' in choice) return new RabbitMqTransport(client.service, choice.rabbitmq, logger);
  throw new Error('Unknown transport: use "http", {kafka: …} or {rabbitmq: …}');
}
