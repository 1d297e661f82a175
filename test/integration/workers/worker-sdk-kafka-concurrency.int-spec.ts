import { createWorker, type Worker } from '@baton/worker';
import { Kafka, logLevel, type Admin } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandKeyOf } from '../../../src/engine/dispatch/worker-step.dispatcher';

const brokers = process.env.KAFKA_BROKERS?.split(',');
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * An SDK worker on Kafka runs as many commands at once as its `concurrency`, not one per partition;
 * commands with one key (a run's step: its retry, its undo) still run one after another; and a handler that outlasts the consumer's
 * session (10 s) keeps its partition through a rebalance, and runs once across the service's instances.
 * Commands go straight to the worker's topic, as Baton publishes them, all on partition 0.
 */
describe('SDK worker on Kafka: concurrency within a partition, and steps longer than the session', () => {
  const ns = `sdkkconc${randomUUID().slice(0, 8)}`;
  const names = { commandTopicPrefix: `${ns}.commands.`, replyTopic: `${ns}.reply` };
  const kafka = new Kafka({ clientId: `${ns}-test`, brokers: brokers!, logLevel: logLevel.NOTHING });
  const workers: Worker[] = [];
  let admin: Admin;

  beforeAll(async () => {
    admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: names.replyTopic, numPartitions: 1 }], waitForLeaders: true });
  }, 60_000);

  afterAll(async () => {
    await Promise.all(workers.map((w) => w.stop()));
    await admin?.deleteTopics({ topics: [names.replyTopic, ...workers.map((_, i) => `${names.commandTopicPrefix}${ns}-${i}`)] }).catch(() => undefined);
    await admin?.disconnect();
  });

  type Handler = (flowId: string) => Promise<unknown>;

  async function startWorker(service: string, handler: Handler): Promise<Worker> {
    const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
    const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
    const w = createWorker({ service, control, handleSignals: false, logger: quiet, concurrency: 8, transport: { kafka: { brokers: brokers!, ...names } } });
    workers.push(w);
    w.step('order', 'charge', { objectType: 'Order', do: (cmd) => handler(cmd.flowId) });
    await w.start();
    return w;
  }

  async function sendCommands(service: string, flowIds: string[]): Promise<void> {
    const producer = kafka.producer();
    await producer.connect();
    try {
      await producer.send({ topic: `${names.commandTopicPrefix}${service}`, acks: -1, messages: flowIds.map((flowId) => ({
        key: commandKeyOf({ flowId, stepName: 'charge' }), partition: 0, value: JSON.stringify({
          flowId, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: randomUUID(), objectType: 'Order',
          payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(), idempotencyKey: randomUUID(),
          deadline: new Date(Date.now() + 300_000).toISOString(),
        }),
      })) });
    } finally {
      await producer.disconnect();
    }
  }

  async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    for (const end = Date.now() + timeoutMs; !condition() && Date.now() < end;) await sleep(50);
    expect(condition()).toBe(true);
  }

  it('runs a partition\'s commands at once, up to its concurrency, and one step\'s one after another', async () => {
    const service = `${ns}-0`;
    let running = 0;
    let most = 0;
    const started: string[] = [];
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await startWorker(service, async (flowId) => {
      started.push(flowId);
      running++;
      most = Math.max(most, running);
      await held;
      await sleep(200);
      running--;
      return {};
    });
    const flows = Array.from({ length: 6 }, () => randomUUID());
    try {
      // The first flow twice (a step's DO, then its UNDO, say): its second command waits for the first.
      await sendCommands(service, [...flows, flows[0]]);
      await until(() => started.length >= 6, 30_000);
      await sleep(500); // a seventh would have started by now
      expect(started).toHaveLength(6);
      expect(new Set(started).size).toBe(6);
    } finally {
      release();
    }
    await until(() => started.length === 7 && running === 0, 30_000);
    expect(most).toBe(6);
  }, 90_000);

  it('keeps a step that outlasts the session, through a rebalance, on its instance: run once', async () => {
    const service = `${ns}-1`;
    const runs: string[] = [];
    const handler: Handler = async (flowId) => {
      runs.push(flowId);
      await sleep(16_000);
      return {};
    };
    await startWorker(service, handler);
    const flowId = randomUUID();
    await sendCommands(service, [flowId]);
    await until(() => runs.length >= 1, 30_000);
    // A second instance joins while the step runs: the group rebalances, and the first instance
    // gives the partition up only once the step is done and committed. Past the 10 s session: a
    // member that missed its heartbeats would have been removed, and the partition handed to the
    // other instance from the last commit, this same command.
    const second = startWorker(service, handler);
    await sleep(24_000);
    await second;
    expect(runs).toEqual([flowId]);
  }, 120_000);
});
