import type { MessageHandler } from '../../src/messaging/message';
import { type ConsumerState, MessageConsumer, type Subscription } from '../../src/messaging/message-consumer';

/** A consumer that only keeps the handler it was subscribed with, so that a test delivers messages to it. */
export class CapturingConsumer extends MessageConsumer {
  handler?: MessageHandler;

  async subscribe(subscription: Subscription): Promise<void> {
    this.handler = subscription.handler;
  }

  async unsubscribe(_subscription?: Subscription): Promise<void> {
    this.handler = undefined;
  }

  async retainFor(): Promise<void> {}

  async stopAll(): Promise<void> {}

  consumers(): ConsumerState[] {
    return [];
  }
}
