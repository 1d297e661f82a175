import type { AppConfig } from '../config/app-config';
import { MESSAGING_DRIVERS } from '../config/settings/messaging.settings';
import type { Metrics } from '../metrics/metrics';
import { MemoryDriver } from './drivers/memory/memory.driver';
import type { DeliveryFailures } from './delivery/delivery-failures';
import type { MessagingDriver } from './messaging-driver';

/*
 * The broker drivers load only when chosen: kafkajs and amqplib cost the embedded default start-up
 * time and memory for nothing (0.1-0.25 s each on a busy machine).
 */
/* eslint-disable @typescript-eslint/no-require-imports */
const loadKafka = () => (require('./drivers/kafka/kafka.driver') as typeof import('./drivers/kafka/kafka.driver')).KafkaDriver;
const loadRabbitMq = () => (require('./drivers/rabbitmq/rabbitmq.driver') as typeof import('./drivers/rabbitmq/rabbitmq.driver')).RabbitMqDriver;
/* eslint-enable @typescript-eslint/no-require-imports */

/** The one place that picks the broker (twenty's message-queue-core.module.ts does the same). */
export function createMessagingDriver(config: AppConfig, metrics: Metrics, failures?: DeliveryFailures): MessagingDriver {
  const driver = config.MESSAGING_DRIVER;
  switch (driver) {
    case 'memory':
      return new MemoryDriver(config, metrics);
    case 'kafka':
      return new (loadKafka())(config, metrics, failures);
    case 'rabbitmq':
      return new (loadRabbitMq())(config, metrics);
    default: {
      const unknown: never = driver;
      throw new Error(`Unknown MESSAGING_DRIVER "${String(unknown)}"; expected one of ${MESSAGING_DRIVERS.join(', ')}`);
    }
  }
}
