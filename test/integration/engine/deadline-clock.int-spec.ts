import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../../src/engine/dto/run.dto';
import { serverSuite } from '../../helpers/server-env';
import { execute } from '../../helpers/runs';
import { startTestApp, TestApp } from '../../helpers/test-app';

/**
 * A run's deadline is judged by the database's clock (the healer's `deadline_at < now()`), so it is
 * set and reported by that clock too: an instance whose own clock lags must neither give the run
 * less time than it asked for nor show less remaining. Against a real PostgreSQL, whose clock this
 * process cannot move (PGlite's is the process's own).
 */
describe('run deadlines by the database clock (PostgreSQL 15, memory broker)', () => {
  const suite = serverSuite('memory');
  let t: TestApp;
  const LAG_MS = 60_000;

  beforeAll(async () => {
    t = await startTestApp(await suite.env());
    await t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop')
      .send({ orchName: 'clocked', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'reserve', objectType: 'String' }] }).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });

  it('gives a run started on a lagging instance its whole X-Deadline-Seconds, and reports what remains of it', async () => {
    const realNow = Date.now;
    const lagging = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - LAG_MS);
    try {
      const { body } = await execute(t, 'clocked', {}, { 'X-Deadline-Seconds': '30' }).expect(202);
      const [{ left }] = await t.get(DataSource).query(
        'SELECT extract(epoch FROM deadline_at - now())::float8 AS left FROM orchestration_run WHERE flow_id = $1', [body.flowId]);
      // By the instance's clock the deadline would have passed 30 s ago, and the healer would act at once.
      expect(left).toBeGreaterThan(25);
      expect(left).toBeLessThanOrEqual(30);
      const detail = (await t.http.get(`/api/orchestration/runs/${body.flowId}`).expect(200)).body as RunDetailDto;
      expect(detail.deadlineRemainingSeconds).toBeGreaterThan(25);
      expect(detail.deadlineRemainingSeconds).toBeLessThanOrEqual(30);
    } finally {
      lagging.mockRestore();
    }
  });

  it('parks a run started on a lagging instance for its whole PARKED_RUN_EXPIRY_SECONDS, by the clock the healer expires it by', async () => {
    const realNow = Date.now;
    const lagging = jest.spyOn(Date, 'now').mockImplementation(() => realNow() - LAG_MS);
    try {
      const { body } = await execute(t, 'clocked', {}).expect(202);
      expect(body.status).toBe('WAITING_FOR_WORKERS');
      const [{ left }] = await t.get(DataSource).query(
        'SELECT extract(epoch FROM expires_at - now())::float8 AS left FROM orchestration_run WHERE flow_id = $1', [body.flowId]);
      // By the instance's clock it would expire a minute early.
      expect(left).toBeGreaterThan(t.config.PARKED_RUN_EXPIRY_SECONDS - 5);
      expect(left).toBeLessThanOrEqual(t.config.PARKED_RUN_EXPIRY_SECONDS);
    } finally {
      lagging.mockRestore();
    }
  });
});
