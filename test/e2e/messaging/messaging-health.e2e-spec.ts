import { BrokerConnection } from '../../../src/messaging/broker-connection';
import { MessagingHealthIndicator } from '../../../src/messaging/messaging.health';
import { initiatorYaml } from '../../helpers/documents';
import { execute } from '../../helpers/runs';
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

  it('stays ready (200), degraded, once the broker is disconnected: runs are still taken, into the outbox', async () => {
    await t.get(BrokerConnection).close();
    const res = await t.http.get('/api/orchestration/health').expect(200);
    expect(res.body).toMatchObject({ status: 'degraded', error: { messaging: { status: 'down' } }, details: { database: { status: 'up' } } });
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'degraded')
      .send(initiatorYaml('degradedFlow', 'sequential', ['one'])).expect(201);
    await execute(t, 'degradedFlow').expect(202);
    expect(await t.get(MessagingHealthIndicator).check()).toMatchObject({
      messaging: { status: 'down', driver: 'memory', connected: false },
    });
  });
});
