import { DataSource } from 'typeorm';
import { RunRevivals } from '../../src/healing/run-revivals.service';
import { captureOutput } from '../helpers/captured-output';
import { expectEventually } from '../helpers/expect-eventually';
import { startTestApp, TestApp } from '../helpers/test-app';

const REGISTER = '/api/orchestration/register';

/**
 * The healer reads its candidates a batch at a time, the oldest first. Whatever the oldest are
 * (runs busy with long steps, templates whose check changes nothing, runs it cannot heal), the
 * rest of its backlog must still be reached.
 */
describe('the healer reaches its whole backlog (embedded default)', () => {
  let t: TestApp;
  let db: DataSource;
  let template: { id: string; current_version: number };

  /** Runs of template `backlog` as a crash or a long step leaves them; `version` 99 does not exist, so no transition of the run can be planned. */
  const insertRuns = (count: number, { version = template.current_version, quietFor = '1 hour' } = {}): Promise<Array<{ flowId: string }>> =>
    db.query(
      `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type, correlation_id,
         payload_hash, updated_at)
       SELECT gen_random_uuid(), 'backlog', $1, $2, 'RUNNING', '\\x7b7d', 'application/json', 'c', 'h', now() - $4::interval
       FROM generate_series(1, $3) RETURNING flow_id AS "flowId"`, [template.id, version, count, quietFor]);
  /** Step a of each run in flight, due `due` (an interval: in the past, overdue). */
  const dispatchA = (runs: Array<{ flowId: string }>, due: string) => db.query(
    `INSERT INTO orchestration_step_run (flow_id, step_name, seq, action, attempt, command_id, status, handler_type, dispatched_at, deadline_at)
     SELECT f::uuid, 'a', 1, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'worker', now(), now() + $2::interval FROM unnest($1::text[]) f`,
    [runs.map((r) => r.flowId), due]);
  const statusOfA = async (flowId: string) =>
    (await db.query(`SELECT status FROM orchestration_step_run WHERE flow_id = $1 AND step_name = 'a' AND attempt = 1`, [flowId]))[0]?.status;

  describe('past the oldest candidates', () => {
    beforeAll(async () => {
      t = await startTestApp({ HEALER_INTERVAL_MS: '300' });
      db = t.get(DataSource);
      await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'o')
        .send('orchName: backlog\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: a, objectType: String}\n').expect(201);
      [template] = await db.query(`SELECT id, current_version FROM orchestration_template WHERE orch_name = 'backlog'`);
    }, 120_000);
    afterAll(() => t.close());

    it('revives a stalled run behind 200 runs waiting on long steps', async () => {
      await dispatchA(await insertRuns(200, { quietFor: '1 hour' }), '20 days');
      const [stalled] = await insertRuns(1, { quietFor: '10 minutes' });
      await expectEventually(async () => {
        const run = (await t.http.get(`/api/orchestration/runs/${stalled.flowId}`).expect(200)).body;
        expect(run.events.map((e: { kind: string }) => e.kind)).toEqual(['REVIVED']);
      }, { timeoutMs: 10_000 });
    });

    it('promotes a template behind 200 PENDING templates whose check changes nothing', async () => {
      await db.query(`INSERT INTO orchestration_template (orch_name, owner_service, type, status, current_version, missing_steps, updated_at)
        SELECT 'dead' || g, 'o', 'sequential', 'PENDING', 1, '["x"]'::jsonb, now() - interval '1 day' FROM generate_series(0, 199) g`);
      await db.query(`INSERT INTO orchestration_template_version (template_id, version, type, content_hash, registered_by)
        SELECT id, 1, 'sequential', 'h', 'o' FROM orchestration_template WHERE orch_name LIKE 'dead%'`);
      await db.query(`INSERT INTO orchestration_step_template (template_id, version, seq, name, object_type, handler, undo)
        SELECT id, 1, 1, 'x', 'S', '{"type":"worker"}', '{"type":"worker"}' FROM orchestration_template WHERE orch_name LIKE 'dead%'`);
      await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'o')
        .send('orchName: netted\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: solo, objectType: String}\n').expect(201);
      // A worker row written behind the registry's back: only the healer's check can promote the template now.
      await db.query(`INSERT INTO worker_registration (orch_name, step_name, service_name, object_type, topic)
        VALUES ('netted', 'solo', 'w', 'String', 'orchestrator.commands.w')`);
      await expectEventually(async () => {
        expect((await t.http.get('/api/orchestration/templates/netted').expect(200)).body).toMatchObject({ status: 'READY', missingSteps: [] });
      }, { timeoutMs: 10_000 });
    });
  });

  describe('past candidates it cannot heal', () => {
    let output: ReturnType<typeof captureOutput>;

    beforeAll(async () => {
      output = captureOutput();
      t = await startTestApp({ HEALER_INTERVAL_MS: '300', LOG_FORMAT: 'json' });
      db = t.get(DataSource);
      await t.http.post(REGISTER).set('Content-Type', 'application/yaml').set('X-Service-Name', 'o')
        .send('orchName: backlog\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: a, objectType: String}\n').expect(201);
      [template] = await db.query(`SELECT id, current_version FROM orchestration_template WHERE orch_name = 'backlog'`);
    }, 120_000);
    afterAll(async () => {
      await t.close();
      jest.restoreAllMocks();
    });

    it('times out the other attempts when one cannot be healed, and logs which one failed', async () => {
      const [poison] = await insertRuns(1, { version: 99 });
      await dispatchA([poison], '-1 day');
      const [healthy] = await insertRuns(1);
      await dispatchA([healthy], '-1 hour');
      await expectEventually(async () => expect(await statusOfA(healthy.flowId)).toBe('TIMED_OUT'), { timeoutMs: 10_000 });
      expect(await statusOfA(poison.flowId)).toBe('DISPATCHED');
      const failures = output.lines().filter((l) => l.includes('healer could not heal this candidate')).map((l) => JSON.parse(l));
      expect(failures[0]).toMatchObject({ level: 50, kind: 'stepsTimedOut', flowId: poison.flowId, step: 'a', action: 'DO', attempt: 1 });
    });

    it('holds back candidates that keep failing, so even a batch full of them does not stop the rest', async () => {
      await dispatchA(await insertRuns(201, { version: 99 }), '-2 days');
      const [healthy] = await insertRuns(1);
      await dispatchA([healthy], '-1 hour');
      await expectEventually(async () => expect(await statusOfA(healthy.flowId)).toBe('TIMED_OUT'), { timeoutMs: 10_000 });
    });

    it('holds back the first candidate whose statement waited past its lock timeout (a run another session holds locked), and ends the tick at a second', async () => {
      const cancelled = Object.assign(new Error('canceling statement due to lock timeout'), { code: '55P03' });
      jest.spyOn(t.get(RunRevivals), 'revive').mockRejectedValueOnce(cancelled).mockRejectedValueOnce(cancelled);
      const stalled = await insertRuns(3, { quietFor: '10 minutes' });
      await expectEventually(async () => {
        for (const { flowId } of stalled) {
          const run = (await t.http.get(`/api/orchestration/runs/${flowId}`).expect(200)).body;
          expect(run.events.map((e: { kind: string }) => e.kind)).toEqual(['REVIVED']);
        }
      }, { timeoutMs: 10_000 });
      const logged = output.lines().filter((l) => l.includes(cancelled.message) && !l.includes('"context":"Database"')).map((l) => JSON.parse(l).msg);
      expect(logged).toEqual([
        expect.stringMatching(/^healer could not heal this candidate: skipped for \d+ ticks$/),
        `A healer tick failed: ${cancelled.message}; retrying until the dependency is back`,
      ]);
    });

    it('ends its tick on an outage instead of holding back the candidate that met it', async () => {
      const outage = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
      jest.spyOn(t.get(RunRevivals), 'revive').mockRejectedValueOnce(outage);
      const [stalled] = await insertRuns(1, { quietFor: '10 minutes' });
      await expectEventually(async () => {
        const run = (await t.http.get(`/api/orchestration/runs/${stalled.flowId}`).expect(200)).body;
        expect(run.events.map((e: { kind: string }) => e.kind)).toEqual(['REVIVED']);
      }, { timeoutMs: 10_000 });
      const logged = output.lines().filter((l) => l.includes(outage.message)).map((l) => JSON.parse(l).msg);
      expect(logged).toEqual([`A healer tick failed: ${outage.message}; retrying until the dependency is back`]);
    });
  });
});
