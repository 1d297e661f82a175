import type { BatonClient } from '../baton-client';
import type { WorkerLogger } from '../logger';
import { HttpTransport, type HttpTransportOptions } from './http-transport';
import { KafkaTransport, type KafkaTransportOptions } from './kafka-transport';
import { RabbitMqTransport, type RabbitMqTransportOptions } from './rabbitmq-transport';
import type { Transport } from './transport';

export const UNKNOWN_TRANSPORT = 'Unknown transport: use "http", {kafka: …} or {rabbitmq: …}';

export type TransportChoice =
  | 'http'
  | { http: HttpTransportOptions }
  | { kafka: KafkaTransportOptions }
  | { rabbitmq: RabbitMqTransportOptions };

/**
 * Broker transports load their client library (an optional peer dependency) only when chosen,
 * and need only the service name; the HTTP transport long-polls Baton itself, so it needs `client`.
 */
export function createTransport(choice: TransportChoice, service: string, client: BatonClient | undefined, logger: WorkerLogger): Transport {
  // A plain JavaScript caller may hand anything: `'rabbitmq'` would make `in` throw a TypeError.
  if (choice !== 'http' && (typeof choice !== 'object' || choice === null)) throw new Error(UNKNOWN_TRANSPORT);
  if (choice === 'http' || 'http' in choice) {
    if (!client) throw new Error('Give baton: {url}: the HTTP transport long-polls Baton\'s REST API');
    return new HttpTransport(client, logger, choice === 'http' ? undefined : choice.http);
  }
  if ('kafka' in choice) return new KafkaTransport(service, choice.kafka, logger);
  if ('rabbitmq' in choice) return new RabbitMqTransport(service, choice.rabbitmq, logger);
  throw new Error(UNKNOWN_TRANSPORT);
}
