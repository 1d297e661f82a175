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
  /**
   * The group is a worker service's own, shared with its broker workers (Baton consuming the
   * service's commands for its HTTP pollers): the group they join, not one of Baton's. On Kafka that
   * is the group named as is, as the SDK's Kafka transport joins it, not Baton's `<group>.<topic>`;
   * RabbitMQ's queue `<group>.<topic>` is the one the SDK's workers consume already.
   */
  workersGroup?: boolean;
}

export type StartPosition = 'earliest' | 'latest';

/**
 * Whether a running consumer has applied the messages that were already waiting when it started
 * (or last rejoined its group): `applied` (all of them, or there were none), `applying` since it
 * joined, or `unknown` when the driver cannot tell.
 */
export type Backlog = { kind: 'applied' } | { kind: 'applying'; since: Date } | { kind: 'unknown' };

export interface ConsumerState {
  topic: string;
  group: string;
  state: 'running' | 'restarting' | 'stopped';
  backlog: Backlog;
  /**
   * Set while one of its handlers failed on an unreachable dependency (the database) and the
   * message is held in the delivery's outage retry, since the oldest such message began waiting;
   * absent once each is handled. A running consumer that holds replies it cannot apply.
   */
  waitingSince?: Date;
}

/** Port: delivers messages to handlers, at least once, acknowledging only after the handler resolved. */
export abstract class MessageConsumer {
  abstract subscribe(subscription: Subscription): Promise<void>;
  /**
   * Stops one subscription (the object given to subscribe): its running handlers finish, and what
   * it has not acknowledged goes to the group's other consumers, now or when they come.
   */
  abstract unsubscribe(subscription: Subscription): Promise<void>;
  /**
   * Keeps what is published on the topic from now on for the group, though none of its consumers
   * has subscribed yet: a service that registered a worker gets the commands sent before its
   * first consumer started. RabbitMQ declares the group's queue; Kafka and the in-process broker
   * keep them already (a group's first consumer reads what the topic retains).
   */
  abstract retainFor(topic: string, group: string): Promise<void>;
  /** Stops every subscription: in-flight handlers finish, nothing new is delivered. */
  abstract stopAll(): Promise<void>;
  abstract consumers(): ConsumerState[];
}
