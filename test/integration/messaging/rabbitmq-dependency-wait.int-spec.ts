import { Logger } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DependencyUnavailableError } from '../../../src/common/errors/infrastructure-error';
import { loadConfig } from '../../../src/config/load-config';
import type { MessagingDriver } from '../../../src/messaging/messaging-driver';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';
import { expectEventually } from '../../helpers/expect-eventually';

const url = process.env.RABBITMQ_URL;
if (!url) throw new Error('RABBITMQ_URL is not set: eval "$(bash scripts/services.sh env)" first');

/**
 * A consumer whose handler fails on an unreachable database holds the message in its outage retry,
 * running all along: it says so (waitingSince), so the healer does not time out the attempt whose
 * reply it holds, and stops saying so once the message is handled.
 */
describe('a consumer waiting out a dependency outage (real RabbitMQ)', () => {
  let driver: MessagingDriver;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    const config = loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: url, RABBITMQ_EXCHANGE: `wait-${randomBytes(4).toString('hex')}` });
    driver = createMessagingDriver(config, new Metrics());
    await driver.connect();
  });
  afterAll(async () => {
    await driver?.stopAll();
    await driver?.close();
  });

  it('reports waitingSince while it retries a message through the outage, and not once the message is handled', async () => {
    const topic = `wait.${randomBytes(4).toString('hex')}`;
    let down = true;
    let handled = 0;
    await driver.subscribe({ topic, group: 'g', handler: async () => {
      if (down) throw new DependencyUnavailableError('database unreachable', undefined);
      handled++;
    } });
    const mine = () => driver.consumers().filter((c) => c.topic === topic);
    await expectEventually(() => expect(mine()).toEqual([expect.objectContaining({ state: 'running' })]));
    expect(mine()[0].waitingSince).toBeUndefined();

    await driver.publish([{ topic, key: 'k', body: Buffer.from('reply') }]);
    await expectEventually(() => expect(mine()).toEqual([expect.objectContaining({ state: 'running', waitingSince: expect.any(Date) })]));
    down = false;
    await expectEventually(() => expect(handled).toBe(1), { timeoutMs: 10_000 });
    expect(mine()[0].waitingSince).toBeUndefined();
  });
});
