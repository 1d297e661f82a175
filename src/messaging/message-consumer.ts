import type { MessageHandler } from './message';

export interface Subscription {
  topic: string;
  /** Consumers in one group share the topic's messages; each group gets every message. */
  group: string;
  handler: MessageHandler;
  /**
   * Where a group that has consumed nothing yet starts: `earliest` (the default) reads what the
   * topic retains, so no reply or command is skipped; `latest` only what is published from now on,
   * for topics of requests that must not be replayed by a new deployment.
   */
  startAt?: StartPosition;
}

export type StartPosition = 'earliest' | 'latest';

export interface ConsumerState {
  topic: string;
  group: string;
  state: 'running' | 'restarting' | 'stopped';
}

/** Port: delivers messages to handlers, at least once, acknowledging only after the handler resolved. */
export abstract class MessageConsumer {
  abstract subscribe(subscription: Subscription): Promise<void>;
  /** Stops every subscription: in-flight handlers finish, nothing new is delivered. */
  abstract stopAll(): Promise<void>;
  abstract consumers(): ConsumerState[];
}
