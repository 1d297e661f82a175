import { Client } from 'pg';
import { ABANDONED_REASON } from '../../../src/engine/core/abandon-in-flight';
import type { RunDetailDto } from '../../../src/engine/dto/run.dto';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, TestApp } from '../../helpers/test-app';
import { TestWorker } from '../../helpers/test-worker';

const STEPS = ['reserve', 'charge', 'ship'];

/**
 * A terminate that voids a waiting retry, losing the race for its command to the outbox relay:
 * the relay takes the row between the write's check that it still waits and the void's update, in
 * the same statement. On PostgreSQL that instant can be held open: another connection holds the
 * outbox row's lock, the void waits for it, and finds the row taken once it is released. The
 * attempt's command went out, so it is not voided; the run is TERMINATED, so nothing would decide
 * it again, and it must not be left DISPATCHED for ever: it is abandoned in the same write.
 */
describe('a void that loses its command to the relay (PostgreSQL)', () => {
  const suite = serverSuite('memory');
  let t: TestApp;
  let env: Record<string, string>;

  beforeAll(async () => {
    env = await suite.env();
    t = await startTestApp({ ...env, HEALER_INTERVAL_MS: '600000' });
    const worker = await new TestWorker(t, 'race-worker').start();
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'race-shop').send({
      orchName: 'raced', as: 'initiator', type: 'sequential',
      steps: STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 60 } } : {}) })),
    }).expect(201);
    await worker.register('raced', STEPS);
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });

  const charges = async (flowId: string) => ((await t.http.get(`/api/orchestration/runs/${flowId}`)).body as RunDetailDto)
    .steps.filter((s) => s.stepName === 'charge' && s.action === 'DO');

  it('abandons the retry whose command went out while the terminate voided it', async () => {
    const { body } = await execute(t, 'raced', { failAt: 'charge', failAttempts: 1 }).expect(202);
    const retry = await expectEventually(async () => {
      const steps = await charges(body.flowId);
      expect(steps.map((s) => s.status)).toEqual(['FAILED', 'DISPATCHED']);
      return steps[1];
    });

    const relay = new Client({ connectionString: env.DATABASE_URL });
    await relay.connect();
    try {
      // A relay takes the retry's row and publishes it, but has not committed yet.
      await relay.query('BEGIN');
      await relay.query(`UPDATE outbox SET leased_by = 'another-relay', sent_at = now() WHERE message_id = $1`, [retry.commandId]);
      const terminate = t.http.post(`/api/orchestration/runs/${body.flowId}/terminate?compensate=false`).send({}).then((r) => r);
      await expectEventually(async () => {
        const { rows } = await relay.query(`SELECT count(*)::int AS n FROM pg_stat_activity
          WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`);
        expect(rows[0].n).toBe(1);
      }, { timeoutMs: 10_000 });
      await relay.query('COMMIT');
      const res = await terminate;
      expect([res.status, res.body.status]).toEqual([202, 'TERMINATED']);
    } finally {
      await relay.end();
    }

    const after = await charges(body.flowId);
    expect(after.map((s) => [s.attempt, s.status, s.error])).toEqual([
      [1, 'FAILED', 'charge failed on purpose'], [2, 'ABANDONED', ABANDONED_REASON]]);
  });
});
