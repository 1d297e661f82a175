import { randomUUID } from 'node:crypto';
import { DataSource } from 'typeorm';
import { SecurityAuditRepository } from '../../src/auth/audit/security-audit.repository';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { Healer } from '../../src/healing/healer.service';
import { RunRevivals } from '../../src/healing/run-revivals.service';
import { RunRetentionRepository } from '../../src/healing/run-retention.repository';
import { RegistrationAuditRepository } from '../../src/registry/registration-audit.repository';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

const TIMED = `orchName: timed
as: initiator
type: sequential
steps:
  - {seq: 1, name: a, objectType: String, timeoutSeconds: 1, retry: {maxAttempts: 2, backoff: fixed, initialDelaySeconds: 0}}
  - {seq: 2, name: b, objectType: String, timeoutSeconds: 1}
`;

/** Scenarios shared by the embedded e2e suite and the PostgreSQL suite: each stuck shape healed within two ticks. */
export function healingScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`healer, ticking every 300 ms (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    let db: DataSource;

    beforeAll(async () => {
      t = await startTestApp({ HEALER_INTERVAL_MS: '300', PARKED_RUN_EXPIRY_SECONDS: '1', ...(await env()) });
      db = t.get(DataSource);
      worker = await new TestWorker(t, 'w').start();
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'i').send(TIMED).expect(201);
      await worker.register('timed', ['a', 'b']);
    });
    afterAll(() => t.close());

    const timeline = (run: RunDetailDto) =>
      run.steps.map((s) => `${s.action}:${s.stepName}#${s.attempt}:${s.status}`);

    it('re-dispatches a timed-out step with a new attempt, which then succeeds', async () => {
      const { body } = await execute(t, 'timed', { silentAt: 'a', silentAttempts: 1 }).expect(202);
      const run = await waitForRun(t, body.flowId, 'COMPLETED');
      expect(timeline(run)).toEqual(['DO:a#1:TIMED_OUT', 'DO:a#2:SUCCEEDED', 'DO:b#1:SUCCEEDED']);
      expect(run.events.map((e: { kind: string }) => e.kind)).toEqual(['STEP_TIMED_OUT']);
    });

    it("applies a late reply in the original format to the retry still waiting out its backoff, whose command is then never sent", async () => {
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'i').send(`orchName: late
as: initiator
type: sequential
steps:
  - {seq: 1, name: x, objectType: String, timeoutSeconds: 1, retry: {maxAttempts: 3, backoff: fixed, initialDelaySeconds: 600}}
`).expect(201);
      await worker.register('late', ['x']);
      const { flowId } = (await execute(t, 'late', { silentAt: 'x', silentAttempts: 1 }).expect(202)).body;
      await expectEventually(async () => expect(timeline(await waitForRun(t, flowId, 'RUNNING'))).toEqual(['DO:x#1:TIMED_OUT', 'DO:x#2:DISPATCHED']),
        { timeoutMs: 10_000 });
      // The worker ran attempt 1 after all; its reply names neither the attempt nor the command.
      await worker.reply({ flowId, orchName: 'late', stepName: 'x', action: 'DO' }, 'SUCCESS');
      const done = await waitForRun(t, flowId, 'COMPLETED');
      expect(timeline(done)).toEqual(['DO:x#1:TIMED_OUT', 'DO:x#2:SUCCEEDED']);
      // Never sent, attempt 2 is recorded as starting when it ended (the reply), not at its due time 10 minutes on, nor with a deadline after it.
      const withdrawn = done.steps[1];
      expect(withdrawn.dispatchedAt).toEqual(withdrawn.completedAt);
      expect(withdrawn.deadlineAt).toEqual(withdrawn.completedAt);
      expect(Date.parse(String(withdrawn.completedAt))).toBeLessThanOrEqual(Date.parse(String(done.finishedAt)));
      // Attempt 2's command is dropped, not left for the relay to publish after the backoff: the step runs once.
      const commands = await db.query(`SELECT o.sent_at IS NOT NULL AS done, o.dropped_at IS NOT NULL AS dropped FROM outbox o
        JOIN orchestration_step_run s ON s.command_id = o.message_id WHERE s.flow_id = $1 ORDER BY s.attempt`, [flowId]);
      expect(commands).toEqual([{ done: true, dropped: false }, { done: true, dropped: true }]);
      expect(worker.commandsFor(flowId)).toEqual(['DO:x']);
    });

    it('fails a step that times out on every attempt, which compensates the run', async () => {
      const { body } = await execute(t, 'timed', { silentAt: 'b' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'FAILED', 15_000);
      // b has no retry policy: a timeout still gets the default three attempts (a lost message deserves another try).
      expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:TIMED_OUT', 'DO:b#2:TIMED_OUT', 'DO:b#3:TIMED_OUT', 'UNDO:a#1:SUCCEEDED']);
      expect(run.failedStep).toBe('b');
    });

    it('ends an undo that never answers as COMPENSATION_FAILED instead of hanging', async () => {
      const { body } = await execute(t, 'timed', { failAt: 'b', silentUndoAt: 'a' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'COMPENSATION_FAILED', 15_000);
      expect(timeline(run).filter((s: string) => s.startsWith('UNDO'))).toEqual(['UNDO:a#1:TIMED_OUT', 'UNDO:a#2:TIMED_OUT']);
    });

    it('finishes a run a crash left with nothing in flight, and leaves healthy runs alone', async () => {
      const healthy = await execute(t, 'timed', { silentAt: 'a' }).expect(202);
      const [template] = await db.query(`SELECT id, current_version FROM orchestration_template WHERE orch_name = 'timed'`);
      const flowId = randomUUID();
      // What a crash between "reply recorded" and "next step dispatched" leaves behind.
      await db.query(
        `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type,
           correlation_id, payload_hash, updated_at) VALUES ($1, 'timed', $2, $3, 'RUNNING', '\\x7b7d', 'application/json', 'c', 'h', now() - interval '1 hour')`,
        [flowId, template.id, template.current_version]);
      const run = await waitForRun(t, flowId, 'COMPLETED');
      expect(run.events[0]).toMatchObject({ kind: 'REVIVED', reason: expect.stringMatching(/nothing in flight/) });
      const untouched = await waitForRun(t, healthy.body.flowId, 'RUNNING');
      expect(untouched.events).toEqual([]);
    });

    it('finishes a compensation a crash left with nothing in flight', async () => {
      const [template] = await db.query(`SELECT id, current_version FROM orchestration_template WHERE orch_name = 'timed'`);
      const flowId = randomUUID();
      // Step a succeeded, step b failed, and the engine died before sending UNDO a.
      await db.query(
        `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type,
           correlation_id, payload_hash, failed_step, updated_at) VALUES ($1, 'timed', $2, $3, 'COMPENSATING', '\\x7b7d', 'application/json', 'c', 'h', 'b', now() - interval '1 hour')`,
        [flowId, template.id, template.current_version]);
      await db.query(
        `INSERT INTO orchestration_step_run (flow_id, step_name, seq, action, attempt, command_id, status, handler_type, dispatched_at, deadline_at, completed_at)
         VALUES ($1, 'a', 1, 'DO', 1, gen_random_uuid(), 'SUCCEEDED', 'worker', now(), now(), now()),
                ($1, 'b', 2, 'DO', 1, gen_random_uuid(), 'FAILED', 'worker', now(), now(), now())`, [flowId]);
      const run = await waitForRun(t, flowId, 'FAILED');
      expect(timeline(run)).toEqual(['DO:a#1:SUCCEEDED', 'DO:b#1:FAILED', 'UNDO:a#1:SUCCEEDED']);
      expect(run.events[0]).toMatchObject({ kind: 'REVIVED' });
    });

    it('promotes a PENDING template whose workers are registered (the safety net behind registration)', async () => {
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'i')
        .send('orchName: netted\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: solo, objectType: String}\n').expect(201);
      // A worker row written behind the registry's back, as a failed registration transaction or manual repair could leave it.
      await db.query(`INSERT INTO worker_registration (orch_name, step_name, service_name, object_type, topic) VALUES ('netted', 'solo', 'w', 'String', $1)`,
        [worker.topic]);
      await expectEventually(async () => {
        const res = await t.http.get('/api/orchestration/templates/netted').expect(200);
        expect(res.body).toMatchObject({ status: 'READY', missingSteps: [] });
      }, { timeoutMs: 5_000 });
    });

    it('ends a parked run past its expiry with the reason', async () => {
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'i')
        .send('orchName: lonely\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: nobody, objectType: String}\n').expect(201);
      const { body } = await execute(t, 'lonely', {}).expect(202);
      const run = await waitForRun(t, body.flowId, 'EXPIRED', 10_000);
      expect(run.error).toMatch(/still missing: nobody/);
    });

    it('leaves the attempts of a terminated run alone: given up at the terminate, they are never timed out', async () => {
      const terminated = (await execute(t, 'timed', { silentAt: 'a' }).expect(202)).body.flowId;
      await waitForRun(t, terminated, 'RUNNING');
      await t.http.post(`/api/orchestration/runs/${terminated}/terminate?compensate=false`).send({}).expect(202);
      const later = (await execute(t, 'timed', { silentAt: 'a' }).expect(202)).body.flowId;
      // Its attempt was due after the terminated run's, and was timed out: the other was due as well.
      await expectEventually(async () => expect(timeline(await waitForRun(t, later, 'RUNNING'))).toContain('DO:a#1:TIMED_OUT'));
      const run = await waitForRun(t, terminated, 'TERMINATED');
      expect(timeline(run)).toEqual(['DO:a#1:ABANDONED']);
      expect(run.events.map((e) => e.kind)).toEqual(['OPERATOR_TERMINATE']);
    });

    it('times out no attempt whose deadline a heartbeat moved after the overdue ones were read', async () => {
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'i')
        .send('orchName: patient\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: a, objectType: String, timeoutSeconds: 60}\n').expect(201);
      await worker.register('patient', ['a']);
      const flowId = (await execute(t, 'patient', { silentAt: 'a' }).expect(202)).body.flowId;
      await waitForRun(t, flowId, 'RUNNING');
      // As a healer pass that read the attempt overdue, and a heartbeat then moved its deadline 60 s on.
      const overdue = { flowId, stepName: 'a', action: 'DO' as const, attempt: 1, reason: 'read overdue' };
      expect(await t.get(RunRevivals).timeOut(overdue)).toBe(false);
      expect(timeline(await waitForRun(t, flowId, 'RUNNING'))).toEqual(['DO:a#1:DISPATCHED']);
      // Past its deadline, the same timeout applies.
      await db.query(`UPDATE orchestration_step_run SET deadline_at = now() - interval '1 second' WHERE flow_id = $1`, [flowId]);
      await expectEventually(async () => expect(timeline(await waitForRun(t, flowId, 'RUNNING'))).toContain('DO:a#1:TIMED_OUT'));
    });

    it('leaves a deadline it handled out of the nearest-deadline gauge', async () => {
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'i').send({ orchName: 'watchful', as: 'initiator',
        type: 'sequential', deadlineSeconds: 1, onDeadline: 'alert', steps: [{ seq: 1, name: 'a', objectType: 'String' }] }).expect(201);
      await worker.register('watchful', ['a']);
      const { body } = await execute(t, 'watchful', { silentAt: 'a' }).expect(202);
      await expectEventually(async () => {
        const run = await waitForRun(t, body.flowId, 'RUNNING');
        expect(run.events.map((e) => e.kind)).toEqual(['DEADLINE_EXCEEDED']);
      });
      // A tick that ends now read the gauge after the deadline was handled (ticks never overlap).
      const handled = Date.now();
      await expectEventually(() => expect(t.get(Healer).status().lastSuccessAt!.getTime()).toBeGreaterThan(handled));
      const metrics = (await t.http.get('/metrics').expect(200)).text;
      const nearest = /^baton_run_deadline_nearest_remaining_seconds (\S+)$/m.exec(metrics)?.[1];
      // The run goes on past its deadline (alert): counted, it held the gauge below zero for ever.
      // With no other deadline pending the gauge is +Inf (0, what a reset gauge reads, would say "due now").
      expect(nearest).toBe('+Inf');
    });

    it('prunes audit rows past a retention a batch at a time, counting exactly what it removed', async () => {
      // Ten days old: far inside the healer's own 90-day retention, so no tick races this test.
      const aged = await db.query(`SELECT id FROM registration_audit ORDER BY id LIMIT 3`);
      expect(aged).toHaveLength(3);
      await db.query(`UPDATE registration_audit SET created_at = now() - interval '10 days' WHERE id = ANY($1::bigint[])`, [aged.map((r: { id: string }) => r.id)]);
      const audit = t.get(RegistrationAuditRepository);
      const before = Number((await db.query(`SELECT count(*) AS n FROM registration_audit`))[0].n);
      const cutoff = new Date(Date.now() - 5 * 86_400_000);
      expect(await audit.pruneOlderThan(cutoff, 2)).toBe(2);
      expect(await audit.pruneOlderThan(cutoff, 2)).toBe(1);
      expect(await audit.pruneOlderThan(cutoff, 2)).toBe(0);
      expect(Number((await db.query(`SELECT count(*) AS n FROM registration_audit`))[0].n)).toBe(before - 3);

      // The security audit is kept as long: every guessed credential adds a row, and it never shrank.
      const security = t.get(SecurityAuditRepository);
      for (let i = 0; i < 3; i++) await security.record({ event: 'DENIED', ip: '127.0.0.1', target: 'GET /x', code: 'UNAUTHENTICATED', reason: `old ${i}` });
      await db.query(`UPDATE security_audit SET created_at = now() - interval '10 days' WHERE reason LIKE 'old %'`);
      expect(await security.pruneOlderThan(cutoff, 2)).toBe(2);
      expect(await security.pruneOlderThan(cutoff, 2)).toBe(1);
      expect(await db.query(`SELECT reason FROM security_audit WHERE reason LIKE 'old %'`)).toEqual([]);
    });

    it('prunes finished runs past their retention with everything about them, and leaves the others', async () => {
      const { body: old } = await execute(t, 'timed', {}).expect(202);
      const { body: recent } = await execute(t, 'timed', {}).expect(202);
      const { body: going } = await execute(t, 'timed', { silentAt: 'a' }).expect(202);
      await waitForRun(t, old.flowId, 'COMPLETED');
      await waitForRun(t, recent.flowId, 'COMPLETED');
      // Ten days ago, by the clock a retention reads; the one still going is as old, and unfinished.
      await db.query(`UPDATE orchestration_run SET finished_at = now() - interval '10 days' WHERE flow_id = $1`, [old.flowId]);
      await db.query(`UPDATE orchestration_run SET created_at = now() - interval '10 days' WHERE flow_id = $1`, [going.flowId]);
      await db.query(`INSERT INTO run_event (flow_id, kind, reason) VALUES ($1, 'NOTE', 'about to go')`, [old.flowId]);
      const retention = t.get(RunRetentionRepository);
      const cutoff = new Date(Date.now() - 5 * 86_400_000);
      expect(await retention.pruneFinishedBefore(cutoff, 10)).toBe(1);
      expect(await retention.pruneFinishedBefore(cutoff, 10)).toBe(0);
      const left = async (table: string, flowId: string) =>
        Number((await db.query(`SELECT count(*) AS n FROM ${table} WHERE flow_id = $1`, [flowId]))[0].n);
      for (const table of ['orchestration_run', 'orchestration_step_run', 'run_event']) expect([table, await left(table, old.flowId)]).toEqual([table, 0]);
      await t.http.get(`/api/orchestration/runs/${old.flowId}`).expect(404);
      expect([await left('orchestration_run', recent.flowId), await left('orchestration_step_run', recent.flowId)]).toEqual([1, 2]);
      expect(await left('orchestration_run', going.flowId)).toBe(1);
    });

    it('reports its last tick in health and metrics', async () => {
      const health = await t.http.get('/api/orchestration/health').expect(200);
      expect(health.body.details.healer).toMatchObject({ status: 'up', lastSuccessAt: expect.any(String) });
      // Nothing is 90 days old here: a tick that says it pruned audit rows is miscounting.
      expect(health.body.details.healer.lastCounts).toMatchObject({ auditRowsPruned: 0, securityAuditRowsPruned: 0, runsPruned: 0, instancesPruned: 0 });
      const metrics = await t.http.get('/metrics');
      expect(metrics.text).toMatch(/baton_healer_ticks_total\{outcome="success"\} [1-9]/);
      expect(metrics.text).toMatch(/baton_healer_revivals_total\{kind="stepsTimedOut"\} [1-9]/);
    });
  });
}
