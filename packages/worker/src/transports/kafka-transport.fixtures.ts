import { Kafka, type EachBatchPayload } from 'kafkajs';
import { Slots } from '../slots';
import type { WireReply } from '../wire';
import { KafkaTransport } from './kafka-transport';
import type { Delivery } from './transport';

/** Shared by the KafkaTransport specs: kafkajs stood in for, and a transport started on it. */
/** kafkajs's clients, stood in for at the Kafka class the transport builds them from. */
export function fakeKafka() {
  const producers: Array<{ connect: jest.Mock; sendBatch: jest.Mock; disconnect: jest.Mock }> = [];
  const consumers: FakeConsumer[] = [];
  jest.spyOn(Kafka.prototype, 'admin').mockReturnValue({
    connect: async () => undefined, disconnect: async () => undefined, listTopics: async () => ['orchestrator.commands.shop'],
  } as never);
  jest.spyOn(Kafka.prototype, 'consumer').mockImplementation(() => {
    const consumer = new FakeConsumer();
    consumers.push(consumer);
    return consumer as never;
  });
  jest.spyOn(Kafka.prototype, 'producer').mockImplementation(() => {
    const producer = { connect: jest.fn(async () => undefined), sendBatch: jest.fn(async () => []), disconnect: jest.fn(async () => undefined) };
    producers.push(producer);
    return producer as never;
  });
  const message = (offset: string, flowId = `f${offset}`) => ({
    offset, key: Buffer.from(flowId), headers: {}, value: Buffer.from(JSON.stringify({
      flowId, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: `c${offset}`, objectType: 'Order',
      payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'k', idempotencyKey: `i${offset}`,
      deadline: new Date(Date.now() + 60_000).toISOString(),
    })),
  });
  /** One batch of partition 0 to the latest consumer: offsets, or [offset, flowId] pairs. */
  const deliver = (...messages: Array<string | [string, string]>) => consumers.at(-1)!.consume(
    messages.map((m) => (typeof m === 'string' ? message(m) : message(...m))));
  return { producers, consumers, deliver };
}

/**
 * kafkajs's consumer as far as the transport uses it. Like kafkajs, one that crashed cannot pause, restarts itself 50 ms after a crash it restarts (and joins again), and stop() cancels
 * that restart.
 */
export class FakeConsumer {
  readonly events = { GROUP_JOIN: 'join', CRASH: 'crash', REBALANCING: 'rebalancing' };
  readonly listeners = new Map<string, (event: unknown) => void>();
  eachBatch?: (payload: EachBatchPayload) => Promise<void>;
  crashed = false;
  connect = jest.fn(async () => undefined);
  subscribe = jest.fn(async () => undefined);
  disconnect = jest.fn(async () => undefined);
  pause = jest.fn(() => this.ifRunning());
  commitOffsets = jest.fn(async (_offsets: unknown) => undefined);
  heartbeat = jest.fn(async () => undefined);
  resolveOffset = jest.fn();
  restartTimer?: NodeJS.Timeout;
  stop = jest.fn(async () => clearTimeout(this.restartTimer));
  on(event: string, listener: (event: unknown) => void) {
    this.listeners.set(event, listener);
  }
  async run(config: { eachBatch: (payload: EachBatchPayload) => Promise<void> }) {
    this.eachBatch = config.eachBatch;
    this.listeners.get('join')!({ payload: {} });
  }
  /** A batch of partition 0, as kafkajs hands it over; a crashed consumer's batch is no longer running. */
  consume(messages: unknown[]) {
    return this.eachBatch!({
      batch: { topic: 'orchestrator.commands.shop', partition: 0, messages },
      heartbeat: this.heartbeat, resolveOffset: this.resolveOffset, isRunning: () => !this.crashed, isStale: () => false,
    } as unknown as EachBatchPayload);
  }
  crash(restart: boolean) {
    this.crashed = true;
    this.listeners.get('crash')!({ payload: { error: new Error('The coordinator is not aware of this member'), restart } });
    if (restart) {
      this.restartTimer = setTimeout(() => {
        this.crashed = false;
        this.listeners.get('join')!({ payload: {} });
      }, 50);
    }
  }
  private ifRunning() {
    if (this.crashed) throw new Error('Consumer group was not initialized, consumer#run must be called first');
  }
}

export const quiet = () => ({ info: jest.fn(), warn: jest.fn(), error: jest.fn() });

/** Every transport started, closed after each test (closeStarted) so that no replacement outlives it. */
export const transports: KafkaTransport[] = [];

/** Started on `slots`; like the worker, each delivery holds a slot until it settled or was given back. */
export async function started(logger = quiet(), slots = new Slots(2)) {
  const transport = new KafkaTransport('shop', { brokers: ['127.0.0.1:1'] }, logger);
  transports.push(transport); // closed after each test, so that no replacement outlives it
  const deliveries: Delivery[] = [];
  await transport.prepare();
  let most = 0;
  await transport.start((d) => {
    void slots.acquire();
    most = Math.max(most, slots.inUse);
    // As late as the worker frees it: after the delivery's own promise settled, on a later turn.
    const release = <T>(settled: Promise<T>) => settled.finally(() => new Promise((resolve) => setImmediate(resolve)).then(() => slots.release()));
    deliveries.push({ ...d, settle: (r) => release(d.settle(r)), abandon: () => release(d.abandon!()) });
  }, slots);
  return { transport, deliveries, logger, mostInUse: () => most };
}

export const reply = (d: Delivery) => ({ flowId: d.command.flowId, metadata: { status: 'SUCCESS' } }) as WireReply;

/** The consumer's next commit answers only once the function returned is called. */
export function holdNextCommit(consumer: FakeConsumer): () => void {
  let answer!: () => void;
  consumer.commitOffsets.mockImplementationOnce(() => new Promise<undefined>((resolve) => (answer = () => resolve(undefined))));
  return () => answer();
}

/** Offsets 1 and 2 handled in turn, 1's commit held out: offset 3 is due behind it. Returns the commit's answer. */
export async function oneCommitOutOneDue(consumer: FakeConsumer, deliver: (offset: string) => Promise<void>, deliveries: Delivery[]) {
  const answer = holdNextCommit(consumer);
  void deliver('1');
  await deliveries[0].settle(reply(deliveries[0]));
  void deliver('2');
  await deliveries[1].settle(reply(deliveries[1]));
  return answer;
}

export async function until(condition: () => boolean): Promise<void> {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 20));
  expect(condition()).toBe(true);
}

/** Closes every transport started, and restores the stand-ins: after each test. */
export async function closeStarted(): Promise<void> {
  await Promise.all(transports.splice(0).map((t) => t.close()));
  jest.restoreAllMocks();
}
