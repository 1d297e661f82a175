import { createWorker, type WireReply, type Worker } from '@baton/worker';
import { Kafka, logLevel } from 'kafkajs';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { commandKeyOf } from '../../../src/engine/dispatch/worker-step.dispatcher';
import { serviceControls } from '../../helpers/broker-control';

const brokers = process.env.KAFKA_BROKERS?.split(',');
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * An SDK worker on Kafka outlives a broker restart: it consumes again, and a reply that failed
 * while the broker was down is sent again and accepted. Baton is not involved: commands go
 * straight to the worker's topic, as Baton publishes them, and replies are read from the reply
 * topic, each time with clients made afresh so that only the worker's recovery is on trial.
 */
describe('an SDK worker on Kafka across a broker restart', () => {
  const ns = `sdkkrestart${randomUUID().slice(0, 8)}`;
  const names = { commandTopicPrefix: `${ns}.commands.`, replyTopic: `${ns}.reply` };
  const service = `${ns}-svc`;
  const kafka = new Kafka({ clientId: `${ns}-test`, brokers: brokers!, logLevel: logLevel.NOTHING });
  const controls = serviceControls('kafka');
  const errors: string[] = [];
  const received: string[] = [];
  let worker: Worker;
  let hold: Promise<unknown> = Promise.resolve();

  beforeAll(async () => {
    // Baton creates the reply topic; here nobody else would before the first reply.
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: names.replyTopic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
    const logger = { info: () => undefined, warn: () => undefined, error: (_: unknown, message: string) => void errors.push(message) };
    worker = createWorker({ service, control, handleSignals: false, logger, transport: { kafka: { brokers: brokers!, ...names } } });
    worker.step('order', 'charge', { objectType: 'Order', do: async (cmd) => {
      received.push(cmd.flowId);
      await hold;
      return { charged: cmd.flowId };
    } });
    await worker.start();
  }, 60_000);

  afterAll(() => worker?.stop());

  async function sendCommand(): Promise<string> {
    const producer = kafka.producer();
    const flowId = randomUUID();
    await producer.connect();
    try {
      await producer.send({ topic: `${names.commandTopicPrefix}${service}`, acks: -1, messages: [{ key: commandKeyOf({ flowId, stepName: 'charge' }), value: JSON.stringify({
        flowId, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: randomUUID(), objectType: 'Order',
        payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: randomUUID(), idempotencyKey: randomUUID(),
        deadline: new Date(Date.now() + 180_000).toISOString(),
      }) }] });
    } finally {
      await producer.disconnect();
    }
    return flowId;
  }

  /** Reads the reply topic from its start in a group of its own, until the flow's reply or the time is up. */
  async function replyTo(flowId: string, timeoutMs: number): Promise<WireReply | undefined> {
    const consumer = kafka.consumer({ groupId: `${ns}-reader-${randomUUID().slice(0, 8)}` });
    let reply: WireReply | undefined;
    try {
      await consumer.connect();
      await consumer.subscribe({ topic: names.replyTopic, fromBeginning: true });
      await consumer.run({ eachMessage: async ({ message }) => {
        const parsed = JSON.parse(message.value!.toString()) as WireReply;
        if (parsed.flowId === flowId) reply = parsed;
      } });
      for (const end = Date.now() + timeoutMs; !reply && Date.now() < end;) await sleep(100);
      return reply;
    } finally {
      await consumer.disconnect().catch(() => undefined);
    }
  }

  async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    for (const end = Date.now() + timeoutMs; !condition() && Date.now() < end;) await sleep(50);
    expect(condition()).toBe(true);
  }

  it('answers a command sent after Kafka was stopped and started again', async () => {
    const before = await sendCommand();
    expect((await replyTo(before, 20_000))?.metadata.status).toBe('SUCCESS');
    await controls.stop();
    await controls.start();
    const after = await sendCommand();
    expect(await replyTo(after, 60_000)).toMatchObject({ stepName: 'charge', metadata: { status: 'SUCCESS' }, output: { charged: after } });
  }, 240_000);

  it('answers a command whose reply failed while Kafka was down', async () => {
    let release!: () => void;
    hold = new Promise<void>((resolve) => (release = resolve));
    const flowId = await sendCommand();
    await until(() => received.includes(flowId), 30_000);
    await controls.stop();
    release(); // the reply now meets a stopped broker: it fails and the command is given back
    await until(() => errors.some((e) => e.startsWith('reply not confirmed')), 60_000);
    await controls.start();
    expect(await replyTo(flowId, 90_000)).toMatchObject({ stepName: 'charge', metadata: { status: 'SUCCESS' }, output: { charged: flowId } });
  }, 300_000);
});
