import { EventEmitter } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Admin, EachBatchPayload, Kafka } from 'kafkajs';
import { Metrics } from '../../../metrics/metrics';
import { AttemptCounter } from '../../delivery/attempt-counter';
import { KafkaSubscription, type KafkaSubscriptionDeps } from './kafka-subscription';
import type { KafkaTopics } from './kafka-topics';

// The subscription waits with timers/promises' setTimeout, which Jest's fake timers leave real:
// routed through the global setTimeout, which they fake (and which is real while they are off).
jest.mock('node:timers/promises', () => ({
  ...jest.requireActual<typeof import('node:timers/promises')>('node:timers/promises'),
  setTimeout: <T>(ms?: number, value?: T) => new Promise<T | undefined>((resolve) => setTimeout(() => resolve(value), ms)),
}));

const GROUP_JOIN = 'consumer.group_join';
const CRASH = 'consumer.crash';

/** A kafkajs consumer that joins when told to and consumes nothing. */
function fakeConsumer() {
  const events = new EventEmitter();
  return {
    events: { GROUP_JOIN, CRASH },
    on: (event: string, listener: (e: unknown) => void) => events.on(event, listener),
    connect: jest.fn(async () => undefined),
    subscribe: jest.fn(async () => undefined),
    eachBatch: undefined as ((payload: EachBatchPayload) => Promise<void>) | undefined,
    run: jest.fn(function (this: { eachBatch?: unknown }, config: { eachBatch: unknown }) {
      this.eachBatch = config.eachBatch;
      return new Promise<void>(() => undefined);
    }),
    disconnect: jest.fn(async () => undefined),
    stop: jest.fn(async () => undefined),
    commitOffsets: jest.fn(async () => undefined),
    join: (groupId: string, topic: string) => events.emit(GROUP_JOIN, { payload: { groupId, memberAssignment: { [topic]: [0] } } }),
    crash: (error: Error, restart: boolean) => events.emit(CRASH, { payload: { error, restart } }),
  };
}

/** What the subscription needs besides its consumer, consuming nothing else. */
function depsWith(consumer: ReturnType<typeof fakeConsumer>, admin: object = {}): KafkaSubscriptionDeps {
  return {
    kafka: { consumer: () => consumer } as unknown as Kafka, admin: admin as unknown as Admin,
    topics: { ensure: async () => undefined } as unknown as KafkaTopics, partitions: 1, maxDeliveries: 5, metrics: new Metrics(),
    logger: { log: jest.fn(), warn: jest.fn(), error: jest.fn(), debug: jest.fn() }, attempts: new AttemptCounter(),
    deadLetter: async () => undefined,
  } as unknown as KafkaSubscriptionDeps;
}

describe('KafkaSubscription handling a batch', () => {
  it('holds up to 256 of a partition\'s messages at once, a key\'s one after another, and resolves up to the last once all are done', async () => {
    const consumer = fakeConsumer();
    let running = 0;
    let most = 0;
    const gates: Array<() => void> = [];
    const keysRunning = new Set<string | undefined>();
    const overlaps: Array<string | undefined> = [];
    const handler = jest.fn(async ({ key }: { key?: string }) => {
      if (keysRunning.has(key)) overlaps.push(key);
      keysRunning.add(key);
      most = Math.max(most, ++running);
      await new Promise<void>((resolve) => gates.push(resolve));
      keysRunning.delete(key);
      running--;
    });
    const subscription = new KafkaSubscription({ topic: 'replies', group: 'engine', handler }, depsWith(consumer));
    await subscription.start();
    // 300 flows, the first with a second message right behind its first.
    const keys = ['flow-0', ...Array.from({ length: 300 }, (_, i) => `flow-${i}`)];
    const messages = keys.map((key, offset) => ({ offset: String(offset), key: Buffer.from(key), value: Buffer.from('{}'), headers: {} }));
    const resolveOffset = jest.fn();
    let done = false;
    const batch = consumer.eachBatch!({
      batch: { topic: 'replies', partition: 0, messages }, resolveOffset, heartbeat: async () => undefined,
      isRunning: () => true, isStale: () => false, commitOffsetsIfNecessary: async () => undefined, uncommittedOffsets: () => ({ topics: [] }),
    } as unknown as EachBatchPayload).finally(() => (done = true));
    try {
      for (let i = 0; i < 50 && running < 255; i++) await sleep(5);
      await sleep(20);
      // 256 held: 255 running, and flow-0's second message waiting for its first.
      expect(running).toBe(255);
    } finally {
      // Every handler let through, whatever the assertions above found: the batch ends.
      for (let i = 0; i < 2_000 && !done; i++) {
        gates.splice(0).forEach((open) => open());
        await sleep(1);
      }
      await subscription.stop();
    }
    await batch;
    expect(most).toBe(255);
    expect(overlaps).toEqual([]);
    expect(handler).toHaveBeenCalledTimes(301);
    expect(resolveOffset).toHaveBeenLastCalledWith('300');
  });
});

describe('KafkaSubscription catching up with its group', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('stops reading the group\'s commits once stopped, even mid-wait (a request would reopen the closed admin client)', async () => {
    const consumer = fakeConsumer();
    // Ten messages waited at the join and the group has committed none: the consumer follows the group's commits.
    const admin = {
      fetchTopicOffsets: jest.fn(async () => [{ partition: 0, low: '0', high: '10', offset: '10' }]),
      fetchOffsets: jest.fn(async () => [{ topic: 'replies', partitions: [{ partition: 0, offset: '-1' }] }]),
    };
    const subscription = new KafkaSubscription({ topic: 'replies', group: 'engine', handler: async () => undefined }, depsWith(consumer, admin));
    await subscription.start();
    consumer.join('engine.replies', 'replies');
    await jest.advanceTimersByTimeAsync(100); // the first read is answered, and the poll is into its one-second wait
    expect(admin.fetchOffsets).toHaveBeenCalledTimes(1);
    expect(subscription.backlog).toEqual({ kind: 'applying', since: expect.any(Date) });
    // Not stopped, the poll reads again after its wait (on the faked clock).
    await jest.advanceTimersByTimeAsync(1_000);
    expect(admin.fetchOffsets).toHaveBeenCalledTimes(2);

    await subscription.stop(); // while the poll waits for its next turn
    const readsAtStop = admin.fetchOffsets.mock.calls.length;
    await jest.advanceTimersByTimeAsync(1_300); // past the poll's one-second wait
    expect(admin.fetchOffsets).toHaveBeenCalledTimes(readsAtStop);
  });
});

/** An admin client that reads no backlog: nothing waited at the join. */
const emptyTopicAdmin = () => ({
  fetchTopicOffsets: async () => [{ partition: 0, low: '0', high: '0', offset: '0' }],
  fetchOffsets: async () => [{ topic: 'replies', partitions: [{ partition: 0, offset: '-1' }] }],
});

/** Hands the consumer a batch of `count` messages on partition 0 and resolves once it was handled. */
function consumeBatch(consumer: ReturnType<typeof fakeConsumer>, count: number): Promise<void> {
  const messages = Array.from({ length: count }, (_, offset) => ({ offset: String(offset), key: Buffer.from(`k${offset}`), value: Buffer.from('{}'), headers: {} }));
  return consumer.eachBatch!({
    batch: { topic: 'replies', partition: 0, messages }, resolveOffset: () => undefined, heartbeat: async () => undefined,
    isRunning: () => true, isStale: () => false, commitOffsetsIfNecessary: async () => undefined, uncommittedOffsets: () => ({ topics: [] }),
  } as unknown as EachBatchPayload);
}

describe('KafkaSubscription stopping', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('waits 2 s at most for a commit and 3 s for a leave that the broker does not answer, and says so', async () => {
    const consumer = fakeConsumer();
    // A frozen broker: kafkajs's requests wait for their 30 s timeout, and are retried.
    consumer.commitOffsets.mockImplementation(() => new Promise(() => undefined));
    consumer.disconnect.mockImplementation(() => new Promise(() => undefined));
    const deps = depsWith(consumer, emptyTopicAdmin());
    const subscription = new KafkaSubscription({ topic: 'replies', group: 'engine', handler: async () => undefined }, deps);
    await subscription.start();
    consumer.join('engine.replies', 'replies');
    await consumeBatch(consumer, 2); // offsets due, not committed yet

    let stopped = false;
    void subscription.stop().then(() => (stopped = true));
    await jest.advanceTimersByTimeAsync(0);
    expect(consumer.commitOffsets).toHaveBeenCalledWith([{ topic: 'replies', partition: 0, offset: '2' }]);
    await jest.advanceTimersByTimeAsync(1_999);
    expect(consumer.disconnect).not.toHaveBeenCalled(); // the leave comes after the commit: out of the group, commits are refused
    await jest.advanceTimersByTimeAsync(1);
    expect(consumer.disconnect).toHaveBeenCalledTimes(1);
    await jest.advanceTimersByTimeAsync(2_999);
    expect(stopped).toBe(false);
    await jest.advanceTimersByTimeAsync(1);
    expect(stopped).toBe(true);
    expect(subscription.state).toBe('stopped');
    expect(jest.mocked(deps.logger.warn).mock.calls.map(([line]) => line)).toEqual([
      expect.stringMatching(/^Consumer engine on replies: offsets not committed within 2000 ms, stopped without them: their messages come again/),
      expect.stringMatching(/^Consumer engine on replies did not leave its group \(Leaving the group: no answer within 3000 ms\)/),
    ]);
  });

  it('cancels the restart kafkajs schedules for a consumer that crashes while it stops', async () => {
    jest.useRealTimers();
    const consumer = fakeConsumer();
    const subscription = new KafkaSubscription({ topic: 'replies', group: 'engine', handler: async () => undefined }, depsWith(consumer, emptyTopicAdmin()));
    await subscription.start();
    consumer.join('engine.replies', 'replies');
    await subscription.stop();

    // A leave that failed against a broker that stopped answering: kafkajs restarts the consumer after this event.
    consumer.crash(new Error('Request LeaveGroup timed out'), true);
    await new Promise((resolve) => setImmediate(resolve));
    expect(consumer.stop).toHaveBeenCalledTimes(1); // kafkajs's stop() clears its restart timer
  });
});
