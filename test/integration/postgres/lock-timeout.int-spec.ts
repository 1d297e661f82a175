import { Client } from 'pg';
import type { RunDetailDto } from '../../../src/engine/dto/run.dto';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';

const TIMEOUT_MS = 300;

/**
 * A run's row locked by another session (an operator's open transaction, a stuck job): without a
 * lock timeout, Baton's statement waited for as long as the lock was held, an HTTP request with
 * it, every later event of that run (decided one at a time) and, behind the one transition write
 * in flight, every other run's. Now the statement is cancelled after DATABASE_LOCK_TIMEOUT_MS and
 * counts as an outage: a 503 to HTTP, a wait and a new try for a message, and the work goes on
 * once the lock is gone.
 */
describe('a statement waiting on a lock another session holds (PostgreSQL)', () => {
  const suite = serverSuite('memory');
  let t: TestApp;
  let worker: TestWorker;
  let env: Record<string, string>;
  let holder: Client;

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp({ ...env, DATABASE_LOCK_TIMEOUT_MS: String(TIMEOUT_MS), HEALER_INTERVAL_MS: '600000' });
    worker = await new TestWorker(t, 'locked-worker').start();
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'locked-shop').send({
      orchName: 'locked', as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'a', objectType: 'String' }, { seq: 2, name: 'b', objectType: 'String' }],
    }).expect(201);
    await worker.register('locked', ['a', 'b']);
  });
  beforeEach(async () => {
    holder = new Client({ connectionString: env.DATABASE_URL });
    await holder.connect();
  });
  afterEach(() => holder.end());
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });

  const lockRun = async (flowId: string) => {
    await holder.query('BEGIN');
    await holder.query('SELECT 1 FROM orchestration_run WHERE flow_id = $1 FOR UPDATE', [flowId]);
  };
  const run = async (flowId: string) => (await t.http.get(`/api/orchestration/runs/${flowId}`)).body as RunDetailDto;

  it('answers an operator action 503 while the lock is held, and takes it once the lock is gone', async () => {
    const { body } = await execute(t, 'locked', { silentAt: 'a' }).expect(202);
    await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:a']));
    await lockRun(body.flowId);

    const started = Date.now();
    const refused = await t.http.post(`/api/orchestration/runs/${body.flowId}/terminate?compensate=false`).send({});
    expect([refused.status, refused.body.code]).toEqual([503, 'SERVICE_UNAVAILABLE']);
    expect(Date.now() - started).toBeLessThan(5_000);

    await holder.query('ROLLBACK');
    const taken = await t.http.post(`/api/orchestration/runs/${body.flowId}/terminate?compensate=false`).send({});
    expect([taken.status, taken.body.status]).toEqual([202, 'TERMINATED']);
  });

  it('keeps a reply that came while the lock was held, past its delivery limit, and applies it after', async () => {
    const { body } = await execute(t, 'locked', { heldAt: 'a' }).expect(202);
    await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:a']));
    await lockRun(body.flowId);
    worker.release();
    // Long enough for more tries than MESSAGING_MAX_DELIVERIES (5), had a cancelled statement counted as a failure.
    await new Promise((resolve) => setTimeout(resolve, 12 * TIMEOUT_MS));
    expect((await run(body.flowId)).status).toBe('RUNNING');
    await holder.query('ROLLBACK');

    await expectEventually(async () => expect((await run(body.flowId)).status).toBe('COMPLETED'), { timeoutMs: 15_000 });
    expect(worker.commandsFor(body.flowId)).toEqual(['DO:a', 'DO:b']);
  });

  it("queues a fleet's registrations of one template past the lock timeout: a run's row is not the template's", async () => {
    // A registration of the template holds its lock meanwhile, as one of a fleet starting at once would.
    await holder.query(`SELECT pg_advisory_lock(hashtextextended('baton.template:locked', 0))`);
    const registering = Promise.all(Array.from({ length: 5 }, (_, i) => t.http.post('/api/orchestration/register').set('X-Service-Name', `fleet-${i}`)
      .send({ orchName: 'locked', as: 'worker', steps: [{ name: 'a', objectType: 'String' }] }).then((r) => r.status)));
    await new Promise((resolve) => setTimeout(resolve, 4 * TIMEOUT_MS));
    await holder.query(`SELECT pg_advisory_unlock(hashtextextended('baton.template:locked', 0))`);
    expect(await registering).toEqual([201, 201, 201, 201, 201]);
  });
});
