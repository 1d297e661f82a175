import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../src/config/load-config';
import { dataSourceOptions } from '../../../src/database/data-source-options';
import { deadLetterTopicOf, DELIVERY_ATTEMPTS_HEADER, IncomingMessage } from '../../../src/messaging/message';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { DeliveryFailureStore } from '../../../src/messaging/outbox/delivery-failure.store';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';
import { freshDatabase } from '../../helpers/postgres';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/*
 * Issue 13 item 8: Kafka counts no deliveries, so Baton does, and the count must outlive the
 * engine. Real Kafka and PostgreSQL: an engine fails a message twice and goes away without
 * acknowledging it; the next engine in the group fails it once more and, with
 * MESSAGING_MAX_DELIVERIES=3, that third failure in all dead-letters it.
 */
describe('Kafka delivery attempts are counted in the database', () => {
  let ds: DataSource;
  let drop: () => Promise<void>;
  let store: DeliveryFailureStore;
  const drivers: MessagingDriver[] = [];
  const kafkaDriver = async () => {
    const config = loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: brokers!, MESSAGING_MAX_DELIVERIES: '3' });
    const driver = createMessagingDriver(config, new Metrics(), store);
    drivers.push(driver);
    await driver.connect();
    return driver;
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    const db = await freshDatabase();
    drop = db.drop;
    ds = new DataSource({ ...dataSourceOptions(loadConfig({ DATABASE_URL: db.url })), migrationsRun: true });
    await ds.initialize();
    store = new DeliveryFailureStore(ds);
  });
  afterAll(async () => {
    for (const d of drivers) await d.close().catch(() => undefined);
    await ds?.destroy();
    await drop?.();
  });

  it('the store counts failures per message and forgets them', async () => {
    expect(await store.record('g/t:0:1')).toBe(1);
    expect(await store.record('g/t:0:1')).toBe(2);
    expect(await Promise.all([store.record('g/t:0:2'), store.record('g/t:0:2'), store.record('g/t:0:2')])).toEqual(expect.arrayContaining([1, 2, 3]));
    await store.forget('g/t:0:1');
    expect(await ds.query('SELECT message_key, failures FROM delivery_failure ORDER BY message_key'))
      .toEqual([{ message_key: 'g/t:0:2', failures: 3 }]);
  });

  it('a restarted engine dead-letters after the failures of both engines reach the limit', async () => {
    const id = randomBytes(4).toString('hex');
    const topic = `failures.${id}`;
    const group = `g${id}`;
    const first = await kafkaDriver();
    let firstCalls = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    await first.subscribe({ topic, group, handler: async () => {
      if (++firstCalls === 2) await gate; // the engine goes away during its second attempt
      throw new Error('cannot handle it');
    } });
    await first.publish([{ topic, key: 'k', body: Buffer.from('doomed'), headers: { 'x-message-id': `m-${id}` } }]);
    await expectEventually(() => expect(firstCalls).toBe(2), { timeoutMs: 60_000 });
    const stopped = first.close();
    release();
    await stopped;
    expect((await ds.query('SELECT failures FROM delivery_failure WHERE message_key LIKE $1', [`%${topic}%`]))[0]?.failures).toBe(2);

    const second = await kafkaDriver();
    const letters: IncomingMessage[] = [];
    await second.subscribe({ topic: deadLetterTopicOf(topic), group: `${group}-dlq`, handler: async (m) => { letters.push(m); } });
    let secondCalls = 0;
    await second.subscribe({ topic, group, handler: async () => {
      secondCalls++;
      throw new Error('cannot handle it either');
    } });
    await expectEventually(() => expect(letters).toHaveLength(1), { timeoutMs: 60_000 });
    expect(secondCalls).toBe(1);
    expect(letters[0].headers[DELIVERY_ATTEMPTS_HEADER]).toBe('3');
    // The letter can reach its consumer before its publisher has the broker's ack, and the count
    // is forgotten only after that ack: wait for it.
    await expectEventually(async () => {
      expect(await ds.query('SELECT 1 FROM delivery_failure WHERE message_key LIKE $1', [`%${topic}%`])).toEqual([]);
    }, { timeoutMs: 10_000 });
  }, 120_000);
});
