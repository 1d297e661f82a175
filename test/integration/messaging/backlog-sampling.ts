import { setTimeout as sleep } from 'node:timers/promises';
import type { Backlog } from '../../../src/messaging/message-consumer';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { expectEventually } from '../../helpers/expect-eventually';

/** A topic and group of the backlog specs: publishing numbered messages, and consuming them slowly. */
export function backlogTopic(id: string, topic: string, group: string) {
  /** `count` messages over three keys (so several partitions on Kafka), with distinct ids. */
  const publish = (d: MessagingDriver, from: number, count: number) => d.publish(Array.from({ length: count }, (_, i) => ({
    topic, key: `k${(from + i) % 3}`, body: Buffer.from(String(from + i)), headers: { 'x-message-id': `${id}-${from + i}` },
  })));
  return {
    publish,

    /**
     * Subscribes with a handler taking 150 ms a message (one at a time per key) and samples the
     * consumer's backlog every 10 ms until `expected` messages were handled and it reads `applied`.
     */
    async consume(d: MessagingDriver, expected: number, timeoutMs: number) {
      let handled = 0;
      const samples: Array<{ backlog: Backlog['kind']; handled: number }> = [];
      await d.subscribe({ topic, group, handler: async () => {
        await sleep(150);
        handled++;
      } });
      await expectEventually(() => {
        const state = d.consumers().find((c) => c.topic === topic);
        if (state?.state === 'running') samples.push({ backlog: state.backlog.kind, handled });
        expect(samples.at(-1)).toEqual({ backlog: 'applied', handled: expected });
      }, { timeoutMs, intervalMs: 10 });
      return { samples, handled: () => handled };
    },

    /**
     * 24 messages wait, then `consumer` (not subscribed yet) handles them: applying until the last
     * was handled (never one sample early), then applied, and still applied while it handles 6 more.
     */
    async expectBacklogThenLive(publisher: MessagingDriver, consumer: MessagingDriver, timeoutMs: number) {
      await publish(publisher, 0, 24);
      const { samples, handled } = await this.consume(consumer, 24, timeoutMs);
      expect(samples.filter((s) => s.backlog === 'applied' && s.handled < 24)).toEqual([]);
      expect(samples.filter((s) => s.backlog === 'applying').length).toBeGreaterThan(10);
      await publish(publisher, 24, 6);
      await expectEventually(() => expect(handled()).toBe(30), { timeoutMs: 30_000 });
      expect(consumer.consumers().find((c) => c.topic === topic)?.backlog).toEqual({ kind: 'applied' });
    },
  };
}
