import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, Kafka } from 'kafkajs';
import { Metrics } from '../../../metrics/metrics';
import { AttemptCounter } from '../../delivery/attempt-counter';
import { KafkaSubscription, type KafkaSubscriptionDeps } from './kafka-subscription';
import type { KafkaTopics } from './kafka-topics';

const GROUP_JOIN = 'consumer.group_join';

/** A kafkajs consumer that joins when told to and consumes nothing. */
function fakeConsumer() {
  const events = new EventEmitter();
  return {
    events: { GROUP_JOIN, CRASH: 'consumer.crash' },
    on: (event: string, listener: (e: unknown) => void) => events.on(event, listener),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    run: jest.fn(() => new Promise<void>(() => undefined)),
    disconnect: jest.fn(async () => undefined),
    commitOffsets: jest.fn(async () => undefined),
    join: (groupId: string, topic: string) => events.emit(GROUP_JOIN, { payload: { groupId, memberAssignment: { [topic]: [0] } } }),
  };
}

describe('KafkaSubscription catching up with its group', () => {
  it('stops reading the group\'s commits once stopped, even mid-wait (a request would reopen the closed admin client)', async () => {
    const consumer = fakeConsumer();
    // Ten messages waited at the join and the group has committed none: the consumer follows the group's commits.
    const admin = {
      fetchTopicOffsets: jest.fn(async () => [{ partition: 0, low: '0', high: '10', offset: '10' }]),
      fetchOffsets: jest.fn(async () => [{ topic: 'replies', partitions: [{ partition: 0, offset: '-1' }] }]),
    };
    const deps = {
      kafka: { consumer: () => consumer } as unknown as Kafka, admin: admin as unknown as Admin,
      topics: { ensure: async () => undefined } as unknown as KafkaTopics, partitions: 1, maxDeliveries: 5, metrics: new Metrics(),
      logger: { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() }, attempts: new AttemptCounter(),
      deadLetter: async () => undefined,
    } as unknown as KafkaSubscriptionDeps;
    const subscription = new KafkaSubscription({ topic: 'replies', group: 'engine', handler: async () => undefined }, deps);
    await subscription.start();
    consumer.join('engine.replies', 'replies');
    for (let i = 0; i < 50 && admin.fetchOffsets.mock.calls.length === 0; i++) await sleep(10);
    await sleep(100); // the first read is answered, and the poll is into its one-second wait
    expect(subscription.backlog).toEqual({ kind: 'applying', since: expect.any(Date) });

    await subscription.stop(); // while the poll waits for its next turn
    const readsAtStop = admin.fetchOffsets.mock.calls.length;
    await sleep(1_300); // past the poll's one-second wait
    expect(admin.fetchOffsets).toHaveBeenCalledTimes(readsAtStop);
  });
});
