import { setTimeout as sleep } from 'node:timers/promises';
import type { Backlog } from '../../../src/messaging/message-consumer';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { expectEventually } from '../../helpers/expect-eventually';

/** A topic and group of the backlog specs: publishing numbered messages, and consuming them slowly. */
export function backlogTopic(id: string, topic: string, group: string) {
  return {
    /** `count` messages over three keys (so several partitions on Kafka), with distinct ids. */
    publish: (d: MessagingDriver, from: number, count: number) => d.publish(Array.from({ length: count }, (_, i) => ({
      topic, key: `k${(from + i) % 3}`, body: Buffer.from(String(from + i)), headers: { 'x-message-id': `${id}-${from + i}` },
    }))),

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
  };
}
