import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { Kafka, logLevel, type Admin, type Consumer } from 'kafkajs';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/load-config';
import { isPublishOutage } from '../../../src/messaging/delivery/publish-outage';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/** The small topic's limit on a record batch: the large message is far over it, each small one far under. */
const MAX_MESSAGE_BYTES = 4096;

/*
 * The Kafka driver coalesces concurrent publishes into one produce request (KafkaCoalescingSender),
 * which the broker answers for as a whole: one message over a topic's max.message.bytes failed
 * every publish sent with it, a dead letter's neighbours included. Now only the refused publish
 * fails; the others of its request go out, even those to the same topic and partition.
 */
describe('a message Kafka refuses fails no publish coalesced with it (real Kafka)', () => {
  const ns = `isolation${randomBytes(4).toString('hex')}.`;
  const small = `${ns}small`;
  const open = `${ns}open`;
  let admin: Admin;
  let driver: MessagingDriver;
  let reader: Consumer | undefined;

  beforeAll(async () => {
    Logger.overrideLogger(false); // the driver warns of the refusal, as it should
    admin = new Kafka({ brokers: brokers.split(','), logLevel: logLevel.NOTHING }).admin();
    await admin.connect();
    await admin.createTopics({
      topics: [
        { topic: small, numPartitions: 1, configEntries: [{ name: 'max.message.bytes', value: String(MAX_MESSAGE_BYTES) }] },
        { topic: open, numPartitions: 1 },
      ],
      waitForLeaders: true,
    });
    driver = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: brokers }), new Metrics());
    await driver.connect();
  }, 60_000);

  afterAll(async () => {
    await reader?.disconnect().catch(() => undefined);
    await driver?.close();
    await admin?.deleteTopics({ topics: [small, open] }).catch(() => undefined);
    await admin?.disconnect();
    Logger.overrideLogger(['error', 'warn']);
  }, 60_000);

  /** Every message body on `topics`, read from the start by a group of its own, once `count` came. */
  async function bodiesOn(topics: string[], count: number): Promise<string[]> {
    const bodies: string[] = [];
    reader = new Kafka({ brokers: brokers!.split(','), logLevel: logLevel.NOTHING }).consumer({ groupId: `${ns}reader`, sessionTimeout: 10_000 });
    await reader.connect();
    await reader.subscribe({ topics, fromBeginning: true });
    await reader.run({ eachMessage: async ({ message }) => { bodies.push(message.value?.toString() ?? ''); } });
    await expectEventually(() => expect(new Set(bodies).size).toBeGreaterThanOrEqual(count), { timeoutMs: 60_000 });
    return bodies;
  }

  it('fails the publish of a message over the topic limit alone; the rest of its request goes out', async () => {
    const message = (topic: string, body: string) => ({ topic, key: body, body: Buffer.from(body), headers: { 'x-message-id': body } });
    const neighbours = [
      ...Array.from({ length: 4 }, (_, i) => message(open, `open-${i}`)),
      message(small, 'small-alone'), // same topic and partition as the refused one: its record batch held both
    ];
    // Sent apart, the refused message goes alone and first, and its producer stays (one message: nothing
    // written), so small-alone goes to that partition on the sequence numbers kafkajs took back from it.
    // One turn: the driver's sender puts them all in one request, as it does a dead letter and the outbox's rows.
    const published = await Promise.allSettled([
      driver.publish([message(small, 'x'.repeat(4 * MAX_MESSAGE_BYTES))]),
      ...neighbours.map((m) => driver.publish([m])),
    ]);

    const [refused, ...others] = published;
    expect(refused.status).toBe('rejected');
    const error = (refused as PromiseRejectedResult).reason as Error;
    expect({ outage: isPublishOutage(error), message: error.message }).toEqual({ outage: false, message: expect.stringMatching(/larger than the max message size/) });
    expect(others.map((p) => p.status)).toEqual(neighbours.map(() => 'fulfilled'));
    // Nothing but the refused one is missing (the broker may have written some neighbours twice: at least once).
    const bodies = await bodiesOn([open, small], neighbours.length);
    expect([...new Set(bodies)].sort()).toEqual(neighbours.map((m) => m.body.toString()).sort());
  }, 120_000);
});
