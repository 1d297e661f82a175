import type { ConsumerState, Subscription } from '../message-consumer';

/** A driver's consumer for one subscription, as far as the list needs it. */
export interface RunningSubscription {
  readonly subscription: Subscription;
  readonly state: ConsumerState['state'];
  readonly backlog: ConsumerState['backlog'];
  readonly waitingSince?: Date;
  stop(): Promise<void>;
}

/**
 * The subscriptions a broker driver runs, behind its stopAll() and consumers(). remove() and
 * stopAll() replace the array rather than change it, so a loop that awaits (re-attaching after a
 * reconnect) keeps walking the subscriptions it started with.
 */
export class SubscriptionList<T extends RunningSubscription> implements Iterable<T> {
  private items: T[] = [];

  add(item: T): void {
    this.items.push(item);
  }

  /** Takes back a subscription that failed to start. */
  remove(item: T): void {
    this.items = this.items.filter((s) => s !== item);
  }

  [Symbol.iterator](): Iterator<T> {
    return this.items[Symbol.iterator]();
  }

  /** Stops the one running `subscription`, if any, taking it out first. */
  async stopOne(subscription: T['subscription']): Promise<void> {
    const item = this.items.find((s) => s.subscription === subscription);
    if (!item) return;
    this.remove(item);
    await item.stop();
  }

  /** Empties the list first: a subscription is stopped once, however often this is called. */
  async stopAll(): Promise<void> {
    const items = this.items;
    this.items = [];
    await Promise.all(items.map((s) => s.stop()));
  }

  states(): ConsumerState[] {
    return this.items.map((s) => ({
      topic: s.subscription.topic, group: s.subscription.group, state: s.state, backlog: s.backlog, ...(s.waitingSince && { waitingSince: s.waitingSince }),
    }));
  }
}
