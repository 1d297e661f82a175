import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { loadConfig } from '../../../src/config/load-config';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';
import { backlogTopic } from './backlog-sampling';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/** Connected Kafka drivers (three partitions) for one describe block, closed after it. */
function kafkaDrivers(): { drivers: MessagingDriver[]; driver: () => Promise<MessagingDriver> } {
  const drivers: MessagingDriver[] = [];
  afterAll(async () => {
    for (const d of drivers) await d.close().catch(() => undefined);
  });
  const driver = async () => {
    const d = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: brokers!, KAFKA_PARTITIONS: '3' }), new Metrics());
    drivers.push(d);
    await d.connect();
    return d;
  };
  return { drivers, driver };
}

/*
 * Issue 13, the fault suite's Kafka kill scenario: after a restart the healer timed attempts out
 * while the replies that had waited in the topic were still being applied, and the steps ran again.
 * A consumer now says when it has applied what was waiting when it joined its group. Real Kafka:
 * messages are published while no consumer runs, then a consumer with a slow handler starts.
 */
describe('Kafka consumer backlog', () => {
  const id = randomBytes(4).toString('hex');
  const topic = `backlog.${id}`;
  const group = `g${id}`;
  const { drivers, driver } = kafkaDrivers();
  const sampling = backlogTopic(id, topic, group);
  const { publish } = sampling;
  const consume = (d: MessagingDriver, expected: number) => sampling.consume(d, expected, 90_000);

  beforeAll(() => Logger.overrideLogger(['error']));

  it('reads applying until every message waiting at the join was handled, then applied', async () => {
    const publisher = await driver();
    await sampling.expectBacklogThenLive(publisher, await driver(), 90_000);
  }, 120_000);

  it('after a restart waits only for what arrived since the group last committed', async () => {
    await drivers[1].close(); // commits what it handled and leaves the group
    await publish(drivers[0], 30, 12);
    const { samples } = await consume(await driver(), 12);
    expect(samples.filter((s) => s.backlog === 'applied' && s.handled < 12)).toEqual([]);
    expect(samples.some((s) => s.backlog === 'applying')).toBe(true);
  }, 120_000);

  it('after a restart with nothing new reads applied at once: no batch will come to say so', async () => {
    await drivers[2].close();
    const { samples } = await consume(await driver(), 0);
    expect(samples.filter((s) => s.backlog === 'applying').length).toBeLessThan(50); // the watermarks' read, not a timeout
  }, 120_000);
});

/*
 * The group's other members: a partition another member holds counts what the group committed
 * there, read every second. Real Kafka, two drivers in one group: a slow member joins first and
 * holds every partition, then a fast one joins and the group splits them. The fast one handles
 * its own share at once and must still read applying until the slow one has handled and
 * committed its share.
 */
describe('Kafka consumer backlog on partitions another member holds', () => {
  const id = randomBytes(4).toString('hex');
  const topic = `backlog.shared.${id}`;
  const group = `g${id}`;
  // Six messages on each of twelve keys; a member handles a key's messages one at a time.
  const TOTAL = 72;
  const { driver } = kafkaDrivers();
  /** Which message ids each member handled (a rebalance may hand one over and see it again). */
  const handled = { slow: new Set<string>(), fast: new Set<string>() };
  const subscribe = (d: MessagingDriver, member: keyof typeof handled, delayMs: number) => d.subscribe({ topic, group, handler: async (m) => {
    await sleep(delayMs);
    handled[member].add(m.headers['x-message-id']);
  } });
  const backlogOf = (d: MessagingDriver) => d.consumers().find((c) => c.topic === topic && c.state === 'running')?.backlog.kind;

  beforeAll(() => Logger.overrideLogger(['error']));

  it('reads applying while another member still works through its partitions, then applied', async () => {
    const publisher = await driver();
    // Twelve keys, so that every one of the three partitions holds some of the messages.
    await publisher.publish(Array.from({ length: TOTAL }, (_, i) => ({
      topic, key: `k${i % 12}`, body: Buffer.from(String(i)), headers: { 'x-message-id': `${id}-${i}` },
    })));
    // Both connected first, so that the fast one only has to join once the slow one is at work.
    const [slow, fast] = [await driver(), await driver()];
    // 2 s a message, the keys' in parallel: alone, the slow member would take twelve seconds,
    // while it notices the rebalance within about two heartbeats of the fast member's join.
    await subscribe(slow, 'slow', 2000);
    await expectEventually(() => expect(handled.slow.size).toBeGreaterThan(0), { timeoutMs: 30_000 });
    await subscribe(fast, 'fast', 0);

    const samples: Array<{ backlog?: string; fast: number; slow: number; all: number }> = [];
    await expectEventually(() => {
      const all = new Set([...handled.slow, ...handled.fast]).size;
      samples.push({ backlog: backlogOf(fast), fast: handled.fast.size, slow: handled.slow.size, all });
      expect(samples.at(-1)).toMatchObject({ backlog: 'applied', all: TOTAL });
    }, { timeoutMs: 90_000, intervalMs: 10 });

    // Never applied while a message that waited at its join was unhandled, on any member.
    expect(samples.filter((s) => s.backlog === 'applied' && s.all < TOTAL)).toEqual([]);
    // The case this is about happened: the fast member had handled its whole share, and waited
    // (applying) while the slow one was still handling messages.
    const fastShare = handled.fast.size;
    expect(fastShare).toBeGreaterThan(0);
    expect(samples.filter((s) => s.backlog === 'applying' && s.fast === fastShare && s.slow < handled.slow.size).length)
      .toBeGreaterThan(0);
  }, 150_000);
});

