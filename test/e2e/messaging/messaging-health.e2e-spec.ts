import { BrokerConnection } from '../../../src/messaging/broker-connection';
import { MessagingHealthIndicator } from '../../../src/messaging/messaging.health';
import { startTestApp, TestApp } from '../../helpers/test-app';

describe('health: messaging', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  it('reports the driver, its consumers and the outbox backlog', async () => {
    const res = await t.http.get('/api/orchestration/health').expect(200);
    expect(res.body.details.messaging).toMatchObject({
      status: 'up',
      driver: 'memory',
      connected: true,
      outbox: { count: 0, oldestAgeSeconds: 0 },
    });
    const { consumers } = res.body.details.messaging as { consumers: Array<Record<string, unknown>> };
    expect(consumers.length).toBeGreaterThan(0);
    // Each says whether it applied what waited at its start: the in-process broker cannot tell.
    for (const consumer of consumers) expect(consumer).toMatchObject({ state: 'running', backlog: { kind: 'unknown' } });
  });

  it('is unhealthy (503) once the broker is disconnected', async () => {
    await t.get(BrokerConnection).close();
    await t.http.get('/api/orchestration/health').expect(503);
    expect(await t.get(MessagingHealthIndicator).check()).toMatchObject({
      messaging: { status: 'down', driver: 'memory', connected: false },
    });
  });
});
