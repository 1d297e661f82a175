import type { OutgoingMessage } from '../../message';
import type { ConsumerState, StartPosition } from '../../message-consumer';
import { FifoQueue } from '../../delivery/fifo-queue';
import { GroupDeps, MemoryGroup, StoredMessage } from './memory-group';

/**
 * Messages kept per topic for groups that subscribe later, like Kafka with `earliest` offsets
 * (RabbitMQ would drop them: no queue bound yet). Bounded so an unread topic cannot eat the heap.
 */
export const RETAINED_PER_TOPIC = 10_000;

/** One topic of the in-process broker: a bounded log plus a queue per consumer group. */
export class MemoryTopic {
  private readonly retained = new FifoQueue<StoredMessage>();
  private readonly groups = new Map<string, MemoryGroup>();
  private nextOffset = 0;

  constructor(readonly name: string, private readonly deps: GroupDeps) {}

  append(message: OutgoingMessage): void {
    // A copy: the publisher may reuse its buffer once publish() resolved, as with a real broker.
    const stored: StoredMessage = {
      offset: this.nextOffset++,
      topic: this.name,
      key: message.key,
      headers: { ...message.headers },
      body: Buffer.from(message.body),
    };
    this.retained.push(stored);
    if (this.retained.length > RETAINED_PER_TOPIC) this.retained.shift();
    for (const group of this.groups.values()) group.enqueue(stored);
  }

  /** The group, created on first use with everything the topic still retains (unless it starts at the latest). */
  group(name: string, startAt: StartPosition = 'earliest'): MemoryGroup {
    let group = this.groups.get(name);
    if (!group) {
      group = new MemoryGroup(this.name, name, this.deps);
      if (startAt === 'earliest') for (const stored of this.retained.toArray()) group.enqueue(stored);
      this.groups.set(name, group);
    }
    return group;
  }

  async stop(): Promise<void> {
    await Promise.all([...this.groups.values()].map((g) => g.stop()));
  }

  /** The backlog is `unknown`: a group created late is handed what the topic retains, and nothing tracks when that is done. */
  states(): ConsumerState[] {
    return [...this.groups.values()].flatMap((g) => Array.from({ length: g.consumerCount },
      () => ({ topic: this.name, group: g.name, state: 'running' as const, backlog: { kind: 'unknown' as const } })));
  }
}
