import { Logger } from '@nestjs/common';
import { HealthIndicatorService } from '@nestjs/terminus';
import { DATABASE_PROBE_MS } from '../health/probe-read';
import type { BrokerConnection } from './broker-connection';
import type { MessageConsumer } from './message-consumer';
import { MessagingHealthIndicator } from './messaging.health';
import type { OutboxRelay } from './outbox/outbox-relay.service';

function indicatorReading(backlog: jest.Mock): MessagingHealthIndicator {
  return new MessagingHealthIndicator(new HealthIndicatorService(),
    { driver: 'memory', isConnected: () => true } as unknown as BrokerConnection,
    { consumers: () => [] } as unknown as MessageConsumer, { backlog } as unknown as OutboxRelay);
}

describe('MessagingHealthIndicator during a database outage', () => {
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  it('says once that the outbox backlog is unavailable, not on every probe, and once that it is back', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const backlog = jest.fn().mockRejectedValue(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }));
    const indicator = indicatorReading(backlog);
    for (let i = 0; i < 10; i++) expect(await indicator.check()).toMatchObject({ messaging: { status: 'up', outbox: null } });
    expect(warn.mock.calls.map(([line]) => line)).toEqual(['Outbox backlog unavailable: connect ECONNREFUSED 127.0.0.1:5432']);
    backlog.mockResolvedValue({ count: 0, oldestAgeSeconds: 0 });
    await indicator.check();
    await indicator.check();
    expect(log.mock.calls.map(([line]) => line)).toEqual(['Outbox backlog available again']);
  });

  it('answers within DATABASE_PROBE_MS while the count hangs, and queues no second count behind it', async () => {
    jest.useFakeTimers();
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    let answer: (backlog: { count: number; oldestAgeSeconds: number }) => void = () => undefined;
    const backlog = jest.fn(() => new Promise((resolve) => { answer = resolve; }));
    const indicator = indicatorReading(backlog);
    const probes = [indicator.check(), indicator.check(), indicator.check()];
    await jest.advanceTimersByTimeAsync(DATABASE_PROBE_MS);
    for (const probe of await Promise.all(probes)) expect(probe).toMatchObject({ messaging: { status: 'up', outbox: null } });
    const later = indicator.check();
    await jest.advanceTimersByTimeAsync(DATABASE_PROBE_MS);
    expect(await later).toMatchObject({ messaging: { outbox: null } });
    expect(backlog).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls.map(([line]) => line)).toEqual(['Outbox backlog unavailable: no answer within 1 s']);
    answer({ count: 3, oldestAgeSeconds: 9 });
    await jest.advanceTimersByTimeAsync(0);
    backlog.mockResolvedValue({ count: 0, oldestAgeSeconds: 0 } as never);
    expect(await indicator.check()).toMatchObject({ messaging: { outbox: { count: 0 } } });
    expect(backlog).toHaveBeenCalledTimes(2);
  });

  it('does not count the backlog for a check whose details go to no one (a probe without a role)', async () => {
    const backlog = jest.fn().mockResolvedValue({ count: 0, oldestAgeSeconds: 0 });
    const result = await indicatorReading(backlog).check('messaging', false);
    expect(result).toEqual({ messaging: { status: 'up', driver: 'memory', connected: true, consumers: [] } });
    expect(backlog).not.toHaveBeenCalled();
  });
});
