import { request } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { AccessGuard } from '../../../src/auth/access.guard';
import { workerJson } from '../../helpers/documents';
import { execute } from '../../helpers/runs';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * A poller that went away while its request was being authenticated: the response's 'close' had
 * fired before the poll listened for it, so the poll leased a waiting command to the dead socket,
 * and the command waited out the whole lease instead of going to the next poll.
 */
describe('a long poll whose poller left during authentication', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ STEP_TIMEOUT_SECONDS: '600', WORKER_LEASE_MS: '600000' });
    await t.app.listen(0, '127.0.0.1');
  }, 120_000);
  afterAll(async () => {
    jest.restoreAllMocks();
    await t?.close();
  });

  it('leases nothing to it: the next poll gets the command', async () => {
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'gone-initiator')
      .send({ orchName: 'goneFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'step', objectType: 'String' }] }).expect(201);
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'gone-service').send(workerJson('goneFlow', ['step'])).expect(201);
    await execute(t, 'goneFlow').expect(202);

    // The access check takes 300 ms; the poller hangs up after 50.
    const check = AccessGuard.prototype.canActivate;
    const slow = jest.spyOn(AccessGuard.prototype, 'canActivate').mockImplementation(async function (this: AccessGuard, context) {
      await sleep(300);
      return check.call(this, context);
    });
    const url = new URL(`${await t.app.getUrl()}/api/workers/gone-service/commands?wait=5000`);
    const gone = request(url);
    gone.on('error', () => undefined);
    gone.end();
    await sleep(50);
    gone.destroy();
    await sleep(600);
    slow.mockRestore();

    const next = await t.http.get('/api/workers/gone-service/commands').query({ wait: 5000 }).expect(200);
    expect(next.body).toHaveLength(1);
  });
});
