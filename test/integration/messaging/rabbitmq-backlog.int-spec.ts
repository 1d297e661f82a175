import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { loadConfig } from '../../../src/config/load-config';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { backlogTopic } from './backlog-sampling';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/*
 * The fault suite's RabbitMQ kill scenario ran a step twice once: after a restart the healer may
 * time attempts out only once the replies that waited in the queue are applied, and on RabbitMQ it
 * used to assume so after a fixed 2 s. A consumer now says when it has applied what waited in its
 * queue when it attached. Real RabbitMQ: messages wait in the group's queue while no consumer
 * runs, then a consumer with a slow handler attaches.
 */
describe('RabbitMQ consumer backlog', () => {
  const id = randomBytes(4).toString('hex');
  const topic = `backlog.${id}`;
  const group = `g${id}`;
  const drivers: MessagingDriver[] = [];
  const driver = async () => {
    // A prefetch far below the backlog: messages stay ready in the queue while the first ones are handled.
    const d = createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url!, RABBITMQ_PREFETCH: '4' }), new Metrics());
    drivers.push(d);
    await d.connect();
    return d;
  };
  const sampling = backlogTopic(id, topic, group);

  beforeAll(() => Logger.overrideLogger(['error']));
  afterAll(async () => {
    for (const d of drivers) await d.close().catch(() => undefined);
  });

  it('reads applying until every message waiting at the attach was handled, then applied, and stays so', async () => {
    const publisher = await driver();
    await publisher.retainFor(topic, group);
    // Three keys, one at a time each: about 1.2 s of handling, with a prefetch of 4.
    await sampling.expectBacklogThenLive(publisher, await driver(), 60_000);
  }, 90_000);

  it('reads applied at its first count when nothing waited', async () => {
    await drivers[1].close();
    const { samples } = await sampling.consume(await driver(), 0, 60_000);
    expect(samples.filter((s) => s.backlog === 'applying').length).toBeLessThan(50); // one queue count, not a timeout
  }, 90_000);
});
