import type { AppConfig } from '../config/app-config';
import type { MessagingDriver } from '../config/settings/messaging.settings';

/**
 * What a worker on a broker must share with Baton: the broker, the topic replies go to and, on
 * RabbitMQ, the exchange. Told to a worker that asks (GET /api/workers/{service}/broker), so that
 * one configured otherwise refuses to start (the SDK does) rather than wait for commands that come
 * elsewhere, or send replies nobody reads.
 */
export interface BrokerRoute {
  driver: MessagingDriver;
  replyTopic: string;
  exchange?: string;
}

export function brokerRouteOf(config: AppConfig): BrokerRoute {
  const route: BrokerRoute = { driver: config.MESSAGING_DRIVER, replyTopic: config.TOPIC_REPLY };
  if (config.MESSAGING_DRIVER === 'rabbitmq') route.exchange = config.RABBITMQ_EXCHANGE;
  return route;
}
