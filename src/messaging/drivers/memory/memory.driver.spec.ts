import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { DependencyUnavailableError } from '../../../common/errors/infrastructure-error';
import { loadConfig } from '../../../config/load-config';
import { Metrics } from '../../../metrics/metrics';
import type { IncomingMessage } from '../../message';
import { MemoryDriver } from './memory.driver';
import { RETAINED_PER_TOPIC } from './memory-topic';

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setImmediate(r));
}

describe('MemoryDriver', () => {
  let driver: MemoryDriver;

  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => {
    driver = new MemoryDriver(loadConfig({}), new Metrics());
  });
  afterEach(() => driver.close());

  it('gives the first group that subscribes what the topic held, like Kafka from the earliest offset', async () => {
    await driver.publish([{ topic: 't', key: 'k', body: Buffer.from('early') }]);
    const received: IncomingMessage[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void received.push(m) });
    await until(() => received.length === 1);
    expect(received[0]).toMatchObject({ id: 't:0:0', key: 'k', deliveryAttempt: 1 });
  });

  it('refuses to publish once Baton stops: nothing would ever consume it, the outbox sends it after the restart', async () => {
    const received: string[] = [];
    await driver.subscribe({ topic: 't', group: 'g', handler: async (m) => void received.push(m.body.toString()) });
    driver.shuttingDown();
    await driver.stopAll();
    await expect(driver.publish([{ topic: 't', body: Buffer.from('late') }])).rejects.toThrow(DependencyUnavailableError);
    await driver.connect();
    await driver.subscribe({ topic: 't', group: 'g2', handler: async (m) => void received.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('after') }]);
    await until(() => received.length === 1);
    expect(received).toEqual(['after']);
  });

  it('holds a bounded number of messages for a topic without a group', async () => {
    await driver.publish(Array.from({ length: RETAINED_PER_TOPIC + 5 }, (_, i) => ({ topic: 't', body: Buffer.from(String(i)) })));
    const received: string[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void received.push(m.body.toString()) });
    await until(() => received.length === RETAINED_PER_TOPIC);
    expect(received[0]).toBe('5');
  });

  it('keeps nothing once a group exists: a group that subscribes later starts with what is published next', async () => {
    const first: string[] = [];
    await driver.subscribe({ topic: 't', group: 'first', handler: async (m) => void first.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('old') }]);
    await until(() => first.length === 1);
    const late: string[] = [];
    await driver.subscribe({ topic: 't', group: 'late', handler: async (m) => void late.push(m.body.toString()) });
    await driver.publish([{ topic: 't', body: Buffer.from('new') }]);
    await until(() => first.length === 2 && late.includes('new'));
    expect(late).toEqual(['new']);
  });

  it('publish() resolves before any handler runs, and copies the message for each group', async () => {
    const bodies: Buffer[] = [];
    let ran = false;
    await driver.subscribe({ topic: 't', group: 'a', handler: async (m) => { ran = true; m.body[0] = 0; } });
    await driver.subscribe({ topic: 't', group: 'b', handler: async (m) => void bodies.push(m.body) });
    await driver.publish([{ topic: 't', body: Buffer.from('x') }]);
    expect(ran).toBe(false);
    await until(() => bodies.length === 1 && ran);
    expect(bodies[0].toString()).toBe('x');
  });

  it('rejects publishing once closed and reports itself disconnected', async () => {
    await driver.close();
    expect(driver.isConnected()).toBe(false);
    await expect(driver.publish([{ topic: 't', body: Buffer.alloc(0) }])).rejects.toThrow('closed');
  });
});
