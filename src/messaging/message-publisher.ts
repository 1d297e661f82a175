import type { OutgoingMessage } from './message';

/** Port: sends messages to the broker. */
export abstract class MessagePublisher {
  /**
   * Resolves only after the broker has durably accepted every message (publisher confirms,
   * acks=all). Messages with the same key are sent in array order.
   */
  abstract publish(messages: OutgoingMessage[]): Promise<void>;
}
