import type { ConsumerState, Subscription } from '../message-consumer';
import { SubscriptionList } from './subscription-list';

class FakeConsumer {
  state: ConsumerState['state'] = 'running';
  backlog: ConsumerState['backlog'] = { kind: 'unknown' };
  stops = 0;
  readonly subscription: Subscription;

  constructor(topic: string) {
    this.subscription = { topic, group: 'g', handler: async () => undefined };
  }

  async stop(): Promise<void> {
    this.stops++;
    this.state = 'stopped';
  }
}

describe('SubscriptionList', () => {
  it('reports the state of each subscription it holds', () => {
    const list = new SubscriptionList<FakeConsumer>();
    const a = new FakeConsumer('a');
    const b = new FakeConsumer('b');
    list.add(a);
    list.add(b);
    b.state = 'restarting';
    b.backlog = { kind: 'applied' };
    list.remove(a);
    expect(list.states()).toEqual([{ topic: 'b', group: 'g', state: 'restarting', backlog: { kind: 'applied' } }]);
    expect([...list]).toEqual([b]);
  });

  it('stops every subscription once and forgets them', async () => {
    const list = new SubscriptionList<FakeConsumer>();
    const a = new FakeConsumer('a');
    list.add(a);
    await Promise.all([list.stopAll(), list.stopAll()]);
    expect(a.stops).toBe(1);
    expect(list.states()).toEqual([]);
  });

  it('lets a loop that awaits finish over the subscriptions it started with', async () => {
    const list = new SubscriptionList<FakeConsumer>();
    const a = new FakeConsumer('a');
    const b = new FakeConsumer('b');
    list.add(a);
    list.add(b);
    const seen: string[] = [];
    for (const s of list) {
      seen.push(s.subscription.topic);
      await list.stopAll();
    }
    expect(seen).toEqual(['a', 'b']);
  });
});
