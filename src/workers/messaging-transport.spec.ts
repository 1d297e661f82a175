import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createWorker, MemoryResultStore, type RegistrationDocument, type ResultStore, type Worker, type WireCommand } from '@baton/worker';
import { loadConfig } from '../config/load-config';
import { MemoryDriver } from '../messaging/drivers/memory/memory.driver';
import { deadLetterTopicOf } from '../messaging/message';
import { MessagePublisher } from '../messaging/message-publisher';
import { Metrics } from '../metrics/metrics';
import { MessagingTransport } from './messaging-transport';

const names = { service: 'shop', commandTopic: 'orchestrator.commands.shop', replyTopic: 'orchestrator.reply' };
const silent = { info: () => undefined, warn: () => undefined, error: () => undefined };

function command(overrides: Partial<WireCommand> = {}): WireCommand {
  return {
    flowId: 'f1', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'Order',
    payload: { amount: 3 }, payloadEncoding: 'json', outputs: {}, correlationId: 'corr', idempotencyKey: 'f1:charge:DO',
    deadline: new Date(Date.now() + 60_000).toISOString(), ...overrides,
  };
}

async function until(condition: () => boolean): Promise<void> {
  const end = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('MessagingTransport (the SDK over Baton messaging ports)', () => {
  let driver: MemoryDriver;
  let worker: Worker | undefined;
  const replies: Array<Record<string, unknown>> = [];
  const registered: RegistrationDocument[] = [];
  let runs = 0;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(async () => {
    driver = new MemoryDriver(loadConfig({}), new Metrics());
    replies.length = registered.length = runs = 0;
    await driver.subscribe({ topic: names.replyTopic, group: 'engine', handler: async (m) => void replies.push(JSON.parse(m.body.toString())) });
  });
  afterEach(async () => {
    await worker?.stop();
    await driver.close();
  });

  async function start(publisher: MessagePublisher = driver, store?: ResultStore): Promise<void> {
    worker = createWorker({
      service: names.service, handleSignals: false, logger: silent, store,
      transport: new MessagingTransport(driver, publisher, names),
      control: { register: async (d) => void registered.push(d), reportPresence: async () => undefined, leave: async () => undefined },
    }).step<{ amount: number }>('order', 'charge', { objectType: 'Order', do: (cmd) => ({ charged: cmd.payload.amount, run: ++runs }) });
    await worker.start();
  }

  const send = (c: WireCommand) => driver.publish([{ topic: names.commandTopic, key: c.flowId, body: Buffer.from(JSON.stringify(c)) }]);

  it('registers the command topic, runs the handler and replies on the reply topic', async () => {
    await start();
    await send(command());
    await until(() => replies.length === 1);
    expect(registered).toEqual([expect.objectContaining({ orchName: 'order', as: 'worker', service: 'shop', topic: names.commandTopic })]);
    expect(replies[0]).toMatchObject({ flowId: 'f1', commandId: 'c1', metadata: { status: 'SUCCESS' }, output: { charged: 3, run: 1 } });
  });

  it('a command delivered twice runs its handler once and both get the recorded reply', async () => {
    await start();
    await send(command());
    await send(command());
    await until(() => replies.length === 2);
    expect(runs).toBe(1);
    expect(replies.map((r) => r.output)).toEqual([{ charged: 3, run: 1 }, { charged: 3, run: 1 }]);
  });

  it('a reply the broker did not confirm leaves the command unacknowledged, so it comes again', async () => {
    let refusals = 1;
    const flaky = { publish: (m) => (refusals-- > 0 ? Promise.reject(new Error('broker down')) : driver.publish(m)) } as MessagePublisher;
    await start(flaky);
    await send(command());
    await until(() => replies.length === 1);
    expect(runs).toBe(1);
    expect(refusals).toBe(-1);
  });

  it('a result store that fails before any reply gives the command back, so it comes again', async () => {
    const store = new MemoryResultStore();
    const get = store.get.bind(store);
    let failures = 1;
    store.get = (key) => (failures-- > 0 ? Promise.reject(new Error('store unreachable')) : get(key));
    await start(driver, store);
    await send(command());
    await until(() => replies.length === 1);
    expect(runs).toBe(1);
    expect(failures).toBe(-1);
  });

  it('dead-letters a message that is not a command instead of redelivering it', async () => {
    const dead: string[] = [];
    await driver.subscribe({ topic: deadLetterTopicOf(names.commandTopic), group: 'ops', handler: async (m) => void dead.push(m.body.toString()) });
    await start();
    await driver.publish([{ topic: names.commandTopic, body: Buffer.from('{"hello":1}') }]);
    await until(() => dead.length === 1);
    expect(runs).toBe(0);
  });
});
