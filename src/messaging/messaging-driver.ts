import { BrokerConnection } from './broker-connection';
import type { OutgoingMessage } from './message';
import type { MessageConsumer, ConsumerState, Subscription } from './message-consumer';
import type { MessagePublisher } from './message-publisher';

/**
 * One broker client behind all three ports: a driver owns a connection, publishes on it and runs
 * the consumers on it. MessagingModule registers a single instance under each port token.
 */
export abstract class MessagingDriver extends BrokerConnection implements MessagePublisher, MessageConsumer {
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
  abstract subscribe(subscription: Subscription): Promise<void>;
  abstract unsubscribe(subscription: Subscription): Promise<void>;
  abstract retainFor(topic: string, group: string): Promise<void>;
  abstract stopAll(): Promise<void>;
  abstract consumers(): ConsumerState[];

  /**
   * Baton is stopping (called before the consumers stop). A broker that outlives the process has
   * nothing to do; one whose messages die with it refuses to publish from now on (MemoryDriver).
   */
  shuttingDown(): void {}
}
