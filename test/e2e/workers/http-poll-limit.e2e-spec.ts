import { setTimeout as sleep } from 'node:timers/promises';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/** One service's long polls are bounded per instance: each holds a socket for up to its wait. */
describe('HTTP workers: polls a service may hold open at once', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ WORKER_POLLS_PER_SERVICE: '2' });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const poll = (service: string, wait: number) => t.http.get(`/api/workers/${service}/commands`).query({ wait });

  it('answers a poll past WORKER_POLLS_PER_SERVICE with 429 and Retry-After, counts services apart, and frees a slot when a poll ends', async () => {
    const holding = [poll('flooder', 1500).then((r) => r.status), poll('flooder', 1500).then((r) => r.status)];
    await sleep(300);
    const refused = await poll('flooder', 0).expect(429);
    expect(refused.headers['retry-after']).toBe('1');
    expect(refused.body).toMatchObject({ code: 'TOO_MANY_POLLS', message: expect.stringContaining('poll with a larger max') });
    await poll('neighbour', 0).expect(200);
    expect(await Promise.all(holding)).toEqual([200, 200]);
    await poll('flooder', 0).expect(200);
  });

  it("refuses a service named in Baton's own consumer groups: its pollers' group would be one of Baton's", async () => {
    for (const service of ['baton-engine', 'baton-engine.orchestrator.reply']) {
      const refused = await poll(service, 0).expect(400);
      expect(refused.body.problems).toEqual([{ path: 'params.service', message: "must not be baton-engine or start with baton-engine.: Baton's own consumer groups" }]);
    }
    await poll('baton-engine-fan', 0).expect(200);
  });

  it("refuses a service whose command topic no worker may register: svc-a.DLQ's pollers would get svc-a's dead letters", async () => {
    const refused = await poll('svc-a.DLQ', 0).expect(400);
    expect(refused.body).toMatchObject({ code: 'WORKER_TOPIC_NOT_ALLOWED', problems: [{ path: 'params.service',
      message: 'its command topic orchestrator.commands.svc-a.DLQ is a dead-letter or internal topic of Baton' }] });
    await poll('svc-a.DLQ-reader', 0).expect(200);
  });
});
