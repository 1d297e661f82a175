import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import type { BrokerConnection } from './broker-connection';
import type { MessageConsumer } from './message-consumer';
import { MessagingHealthIndicator } from './messaging.health';
import type { OutboxRelay } from './outbox/outbox-relay.service';

describe('MessagingHealthIndicator during a database outage', () => {
  afterEach(() => jest.restoreAllMocks());

  it('says once that the outbox backlog is unavailable, not on every probe, and once that it is back', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const backlog = jest.fn().mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const indicator = new MessagingHealthIndicator(new HealthIndicatorService(),
      { driver: 'memory', isConnected: () => true } as unknown as BrokerConnection,
      { consumers: () => [] } as unknown as MessageConsumer, { backlog } as unknown as OutboxRelay);
    for (let i = 0; i < 10; i++) expect(await indicator.check()).toMatchObject({ messaging: { status: 'up', outbox: null } });
    expect(warn.mock.calls.map(([line]) => line)).toEqual(['Outbox backlog unavailable: connect ECONNREFUSED 127.0.0.1:5432']);
    backlog.mockResolvedValue({ count: 0, oldestAgeSeconds: 0 });
    await indicator.check();
    await indicator.check();
    expect(log.mock.calls.map(([line]) => line)).toEqual(['Outbox backlog available again']);
  });
});
