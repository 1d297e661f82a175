import { MESSAGING_DRIVERS, type AppConfig } from '../config/app-config';
import type { Metrics } from '../metrics/metrics';
import { KafkaDriver } from './drivers/kafka/kafka.driver';
import { MemoryDriver } from './drivers/memory/memory.driver';
import { RabbitMqDriver } from './drivers/rabbitmq/rabbitmq.driver';
import type { DeliveryFailures } from './delivery/delivery-failures';
import type { MessagingDriver } from './messaging-driver';

/** The one place that picks the broker (twenty's message-queue-core.module.ts does the same). */
export function createMessagingDriver(config: AppConfig, metrics: Metrics, failures?: DeliveryFailures): MessagingDriver {
  const driver = config.MESSAGING_DRIVER;
  switch (driver) {
    case 'memory':
      return new MemoryDriver(config, metrics);
    case 'kafka':
      return new KafkaDriver(config, metrics, failures);
    case 'rabbitmq':
      return new RabbitMqDriver(config, metrics);
    default: {
      const unknown: never = driver;
      throw new Error(`Unknown MESSAGING_DRIVER "${String(unknown)}"; expected one of ${MESSAGING_DRIVERS.join(', ')}`);
    }
  }
}
