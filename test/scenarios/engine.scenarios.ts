import { DataSource } from 'typeorm';
import { RunExecutor } from '../../src/engine/run-executor.service';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { MessagePublisher } from '../../src/messaging/message-publisher';
import { initiatorYaml } from '../helpers/documents';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

const STEPS = ['reserve', 'charge', 'ship'];

/** Scenarios shared by the embedded e2e suite and the real-server suites. */
export function engineScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`executor (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    const statusEvents: Array<{ flowId: string; status: string; previousStatus: string | null }> = [];
    const deadLetters: Array<{ reason: string }> = [];

    const register = (orchName: string, type = 'sequential', steps = STEPS) =>
      t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop')
        .send(initiatorYaml(orchName, type, steps)).expect(201);
    /** A one-step template whose step `one` retries with the given policy, served by the test worker. */
    const registerRetrying = async (orchName: string, retry: string) => {
      await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'shop').send(
        `orchName: ${orchName}\nas: initiator\ntype: sequential\nsteps:\n  - {seq: 1, name: one, objectType: String, retry: ${retry}}\n`).expect(201);
      await worker.register(orchName, ['one']);
    };

    beforeAll(async () => {
      t = await startTestApp(await env());
      worker = await new TestWorker(t, 'shop-worker').start();
      await register('order');
      await register('fanout', 'parallel');
      await worker.register('order', STEPS);
      await worker.register('fanout', STEPS);
      const consumer = t.get(MessageConsumer);
      await consumer.subscribe({ topic: t.config.TOPIC_RUN_STATUS, group: 'test-observer', handler: async (m) => {
        statusEvents.push(JSON.parse(m.body.toString()));
      } });
      await consumer.subscribe({ topic: `${t.config.TOPIC_REPLY}.DLQ`, group: 'test-observer', handler: async (m) => {
        deadLetters.push({ reason: m.headers['x-dead-letter-reason'] });
      } });
    });
    afterAll(() => t.close());

    it('runs a sequential flow step by step to COMPLETED', async () => {
      const res = await execute(t, 'order', { sku: 'A1' }).expect(202);
      expect(res.headers.location).toBe(`/api/orchestration/runs/${res.body.flowId}`);
      expect(res.body).toMatchObject({ status: 'RUNNING', correlationId: expect.any(String) });
      const run = await waitForRun(t, res.body.flowId, 'COMPLETED');
      expect(worker.commandsFor(res.body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship']);
      expect(run.steps.map((s: { status: string }) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
      expect(run.steps[2].output).toEqual({ by: 'shop-worker', step: 'ship' });
      const lastCommand = worker.commands.filter((c) => c.flowId === res.body.flowId).at(-1)!;
      expect(Object.keys(lastCommand.outputs)).toEqual(['reserve', 'charge']);
      expect(lastCommand.payload).toEqual({ sku: 'A1' });
    });

    it('times a run on one clock: each step starts no earlier than the step before it ended, and the run ends with its last step', async () => {
      // As the JSON carries them: the DTO's dates are ISO strings on the wire.
      type Step = { stepName: string; dispatchedAt: string; completedAt: string };
      const runs = await Promise.all([1, 2, 3, 4, 5, 6].map(async () => {
        const { body } = await execute(t, 'order', {}).expect(202);
        return waitForRun(t, body.flowId, 'COMPLETED');
      }));
      for (const run of runs) {
        const steps = run.steps as unknown as Step[];
        const ms = (at: unknown) => Date.parse(String(at));
        const overlaps = steps.slice(1).filter((s, i) => ms(s.dispatchedAt) < ms(steps[i].completedAt))
          .map((s, i) => `${steps[i].stepName} ended ${steps[i].completedAt}, ${s.stepName} started ${s.dispatchedAt}`);
        expect(overlaps).toEqual([]);
        expect(ms(run.finishedAt)).toBe(ms(steps.at(-1)!.completedAt));
      }
    });

    it("hands a run's parallel steps to one service's HTTP pollers together, before any is answered", async () => {
      // Keyed by run, a run's commands went out one at a time, and a branch still waiting timed out unseen.
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop')
        .send({ orchName: 'fanoutHttp', as: 'initiator', type: 'parallel',
          steps: STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String', timeoutSeconds: 300 })) }).expect(201);
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'fanout-poller')
        .send({ orchName: 'fanoutHttp', as: 'worker', steps: STEPS.map((name) => ({ name, objectType: 'String' })) }).expect(201);
      // Baton consumes a service's commands from its first poll on (the SDK polls before it registers): on RabbitMQ, commands
      // published before the service's queue exists go nowhere.
      await t.http.get('/api/workers/fanout-poller/commands').query({ wait: 0 }).expect(200);
      const { body: started } = await execute(t, 'fanoutHttp', {}).expect(202);
      type Lease = { leaseId: string; command: { flowId: string; orchName: string; stepName: string; action: string; attempt: number; commandId: string } };
      const leases: Lease[] = [];
      const until = Date.now() + 5000;
      while (leases.length < STEPS.length && Date.now() < until) {
        leases.push(...(await t.http.get('/api/workers/fanout-poller/commands').query({ wait: 500, max: 10 }).expect(200)).body);
      }
      expect(leases.map((l) => l.command.stepName).sort()).toEqual([...STEPS].sort());
      for (const { leaseId, command: c } of leases) {
        await t.http.post(`/api/workers/fanout-poller/leases/${leaseId}/reply`).send({ flowId: c.flowId, orchName: c.orchName,
          stepName: c.stepName, action: c.action, attempt: c.attempt, commandId: c.commandId, metadata: { status: 'SUCCESS' } }).expect(200);
      }
      const run = await waitForRun(t, started.flowId, 'COMPLETED');
      expect(run.steps.map((s) => `${s.stepName}#${s.attempt}`).sort()).toEqual(['charge#1', 'reserve#1', 'ship#1']);
    });

    it('publishes every status change on the status topic', async () => {
      const { body } = await execute(t, 'order', {}).expect(202);
      await waitForRun(t, body.flowId, 'COMPLETED');
      await new Promise((r) => setTimeout(r, 50));
      expect(statusEvents.filter((e) => e.flowId === body.flowId).map((e) => [e.previousStatus, e.status]))
        .toEqual([[null, 'RUNNING'], ['RUNNING', 'COMPLETED']]);
    });

    it('dispatches a parallel flow at once', async () => {
      const { body } = await execute(t, 'fanout', {}).expect(202);
      await waitForRun(t, body.flowId, 'COMPLETED');
      expect(worker.commandsFor(body.flowId).sort()).toEqual(['DO:charge', 'DO:reserve', 'DO:ship']);
    });

    it('compensates the finished steps in reverse order when a step fails', async () => {
      const { body } = await execute(t, 'order', { failAt: 'ship' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship', 'UNDO:charge', 'UNDO:reserve']);
      expect(run).toMatchObject({ failedStep: 'ship', error: 'ship failed on purpose' });
    });

    it('records a failing undo and still runs the remaining ones', async () => {
      const { body } = await execute(t, 'order', { failAt: 'ship', failUndoAt: 'charge' }).expect(202);
      await waitForRun(t, body.flowId, 'COMPENSATION_FAILED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship', 'UNDO:charge', 'UNDO:reserve']);
    });

    it('undoes a completed run on request, and only once when asked twice', async () => {
      const { body } = await execute(t, 'order', {}).expect(202);
      await waitForRun(t, body.flowId, 'COMPLETED');
      await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(202);
      const undone = await waitForRun(t, body.flowId, 'UNDONE');
      expect(undone.events).toContainEqual(expect.objectContaining({ kind: 'UNDO_REQUESTED', actor: 'anonymous' }));
      // Counted by template: the run reached a terminal status twice, COMPLETED then UNDONE.
      const metrics = (await t.http.get('/metrics').expect(200)).text;
      expect(metrics).toMatch(/^baton_runs_finished_total\{orch_name="order",status="UNDONE"\} [1-9]/m);
      expect(worker.commandsFor(body.flowId).slice(3)).toEqual(['UNDO:ship', 'UNDO:charge', 'UNDO:reserve']);
      // A click sent twice: answered as done already, nothing sent again.
      const again = await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(202);
      expect(again.body).toMatchObject({ status: 'UNDONE', changed: false });
      expect(worker.commandsFor(body.flowId)).toHaveLength(6);
    });

    it('answers UNDONE at once for a FAILED run whose compensation left nothing to undo, sending no command', async () => {
      const { body } = await execute(t, 'order', { failAt: 'ship' }).expect(202);
      await waitForRun(t, body.flowId, 'FAILED');
      const sent = worker.commandsFor(body.flowId).length;
      const undo = await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(202);
      expect(undo.body.status).toBe('UNDONE');
      expect(worker.commandsFor(body.flowId)).toHaveLength(sent);
    });

    it('retries failed undos on an operator\'s request, after a failed compensation and after a failed undo', async () => {
      const timeline = (run: { steps: Array<{ action: string; stepName: string; attempt: number; status: string }> }) =>
        run.steps.filter((s) => s.action === 'UNDO').map((s) => `${s.stepName}#${s.attempt}:${s.status}`);
      const compensation = await execute(t, 'order', { failAt: 'ship', failUndoAt: 'charge', failUndoAttempts: 1 }).expect(202);
      expect(timeline(await waitForRun(t, compensation.body.flowId, 'COMPENSATION_FAILED')))
        .toEqual(['charge#1:FAILED', 'reserve#1:SUCCEEDED']);
      const retry = await t.http.post(`/api/orchestration/undo/${compensation.body.flowId}`).expect(202);
      expect(retry.body.status).toBe('COMPENSATING');
      const compensated = await waitForRun(t, compensation.body.flowId, 'FAILED');
      expect(timeline(compensated)).toEqual(['charge#1:FAILED', 'reserve#1:SUCCEEDED', 'charge#2:SUCCEEDED']);
      // Who asked, as every operator action records it (anonymous with AUTH_MODE=off).
      expect(compensated.events).toContainEqual(expect.objectContaining({ kind: 'UNDO_RETRY_REQUESTED', actor: 'anonymous' }));

      const completed = await execute(t, 'order', { failUndoAt: 'reserve', failUndoAttempts: 1 }).expect(202);
      await waitForRun(t, completed.body.flowId, 'COMPLETED');
      await t.http.post(`/api/orchestration/undo/${completed.body.flowId}`).expect(202);
      await waitForRun(t, completed.body.flowId, 'UNDO_FAILED');
      await t.http.post(`/api/orchestration/undo/${completed.body.flowId}`).expect(202);
      expect(timeline(await waitForRun(t, completed.body.flowId, 'UNDONE')))
        .toEqual(['ship#1:SUCCEEDED', 'charge#1:SUCCEEDED', 'reserve#1:FAILED', 'reserve#2:SUCCEEDED']);
    });

    it('retries failed undos in the stack\'s order: a step\'s undo only after the undo of the step built on it', async () => {
      const { flowId } = (await execute(t, 'order', { failAt: 'ship', failUndoAt: ['charge', 'reserve'], failUndoAttempts: 1 }).expect(202)).body;
      await waitForRun(t, flowId, 'COMPENSATION_FAILED');
      expect((await t.http.post(`/api/orchestration/undo/${flowId}`).expect(202)).body.status).toBe('COMPENSATING');
      const run = await waitForRun(t, flowId, 'FAILED');
      // reserve's retry waited (never sent) until charge's had succeeded, then went out as the first of its fresh budget.
      const undos = worker.commands.filter((c) => c.flowId === flowId && c.action === 'UNDO').map((c) => `${c.stepName}#${c.attempt}`);
      expect(undos).toEqual(['charge#1', 'reserve#1', 'charge#2', 'reserve#3']);
      expect(run.steps.filter((s: { action: string }) => s.action === 'UNDO')
        .map((s: { stepName: string; attempt: number; status: string }) => `${s.stepName}#${s.attempt}:${s.status}`).sort())
        .toEqual(['charge#1:FAILED', 'charge#2:SUCCEEDED', 'reserve#1:FAILED', 'reserve#2:VOIDED', 'reserve#3:SUCCEEDED']);
      // The owed retry never went out: its deadline is its dispatch, as the API documents it (the console reads it so).
      const owed = run.steps.find((s: { stepName: string; attempt: number; action: string }) => s.action === 'UNDO' && s.stepName === 'reserve' && s.attempt === 2)!;
      expect(owed.deadlineAt).toEqual(owed.dispatchedAt);
    });

    it('refuses to undo a running run, and an unknown one', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'reserve' }).expect(202);
      const res = await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(409);
      expect(res.body.message).toMatch(/still running/);
      await t.http.post('/api/orchestration/undo/00000000-0000-4000-8000-000000000000').expect(404);
    });

    it('applies the first of two contradicting replies to one attempt (SUCCESS, then FAILED), as they were delivered', async () => {
      const started = await Promise.all(Array.from({ length: 10 }, () => execute(t, 'order', { contradictingReplies: true }).expect(202)));
      for (const { body } of started) {
        const run = await waitForRun(t, body.flowId, 'COMPLETED');
        expect(run.steps.map((s: { status: string }) => s.status)).toEqual(['SUCCEEDED', 'SUCCEEDED', 'SUCCEEDED']);
        expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship']);
      }
    });

    it('returns the same run for the same Idempotency-Key, and 409 for another payload', async () => {
      const first = await execute(t, 'order', { n: 1 }, { 'Idempotency-Key': 'k-1' }).expect(202);
      const second = await execute(t, 'order', { n: 1 }, { 'Idempotency-Key': 'k-1' }).expect(202);
      expect(second.body).toMatchObject({ flowId: first.body.flowId, created: false });
      const conflict = await execute(t, 'order', { n: 2 }, { 'Idempotency-Key': 'k-1' }).expect(409);
      expect(conflict.body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED', problems: [{ path: 'headers.idempotency-key',
        message: `was used for run ${first.body.flowId} with a different payload or content type` }] });
      // The same bytes as another content type are another payload.
      await t.http.post('/api/orchestration/execute/order').set('Idempotency-Key', 'k-1').set('Content-Type', 'text/plain')
        .send(JSON.stringify({ n: 1 })).expect(409);
    });

    it('stores any payload as given', async () => {
      const res = await t.http.post('/api/orchestration/execute/order').set('Content-Type', 'application/octet-stream')
        .send(Buffer.from([0, 1, 2, 255])).expect(202);
      const run = await waitForRun(t, res.body.flowId, 'COMPLETED');
      expect(run).toMatchObject({ contentType: 'application/octet-stream', payload: 'AAEC/w==', payloadEncoding: 'base64' });
    });

    it('answers 404 for an unknown template', async () => {
      const res = await execute(t, 'nope', {}).expect(404);
      expect(res.body.code).toBe('TEMPLATE_NOT_FOUND');
    });

    it('ignores duplicate, late and unknown replies, and dead-letters malformed ones', async () => {
      const { body } = await execute(t, 'order', { silentAt: ['reserve', 'charge'] }).expect(202);
      await waitForRun(t, body.flowId, 'RUNNING');
      const reserve = { flowId: body.flowId, orchName: 'order', stepName: 'reserve', action: 'DO' as const };
      await worker.reply(reserve, 'SUCCESS', { attempt: 7 });
      await worker.reply({ ...reserve, flowId: '00000000-0000-4000-8000-000000000000' }, 'SUCCESS');
      await worker.reply({ ...reserve, stepName: 'ship' }, 'SUCCESS');
      await worker.reply({ ...reserve, orchName: 'another-template' }, 'SUCCESS');
      await t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_REPLY, body: Buffer.from('{not json') }]);
      await t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_REPLY, body: Buffer.from('{"flowId":"x"}') }]);
      await new Promise((r) => setTimeout(r, 200));
      expect((await waitForRun(t, body.flowId, 'RUNNING')).steps).toHaveLength(1);
      await worker.reply(reserve, 'SUCCESS');
      await worker.reply(reserve, 'SUCCESS');
      await new Promise((r) => setTimeout(r, 200));
      const run = await waitForRun(t, body.flowId, 'RUNNING');
      expect(run.steps.map((s: { stepName: string; status: string }) => `${s.stepName}:${s.status}`))
        .toEqual(['reserve:SUCCEEDED', 'charge:DISPATCHED']);
      // Unkeyed messages may land on different partitions: their order is not guaranteed.
      expect(deadLetters.map((d) => d.reason)).toHaveLength(2);
      expect(deadLetters.map((d) => d.reason)).toEqual(expect.arrayContaining([expect.stringMatching(/not JSON/), expect.stringMatching(/invalid message/)]));
      const metrics = await t.http.get('/metrics');
      expect(metrics.text).toMatch(/baton_replies_ignored_total\{reason="not-in-flight"\} [1-9]/);
      expect(metrics.text).toMatch(/baton_replies_ignored_total\{reason="wrong-orch-name"\} 1\b/);
    });

    it('deduplicates original-format replies by Baton\'s inbox key, never by a transport id the worker set', async () => {
      await registerRetrying('retried', '{maxAttempts: 3, backoff: fixed, initialDelaySeconds: 0}');
      const { body } = await execute(t, 'retried', { silentAt: 'one' }).expect(202);
      await waitForRun(t, body.flowId, 'RUNNING');
      const reply = (status: string) => ({ flowId: body.flowId, orchName: 'retried', stepName: 'one', action: 'DO' as const, metadata: { status } });
      // A worker that sets the transport id to the flowId: every reply carries the same one.
      const legacyReply = (status: string) => t.get(MessagePublisher).publish([{
        topic: t.config.TOPIC_REPLY, key: body.flowId, headers: { 'x-message-id': body.flowId },
        body: Buffer.from(JSON.stringify(reply(status))),
      }]);
      const attempts = async () => (await waitForRun(t, body.flowId, 'RUNNING')).steps.map((s: { attempt: number; status: string }) => `${s.attempt}:${s.status}`);
      await legacyReply('FAILED');
      await expectEventually(async () => expect(await attempts()).toEqual(['1:FAILED', '2:DISPATCHED']));
      // A redelivery of one consumed message (same inbox key) after its effect was committed and
      // the step retried: the retry must not take it.
      const executor = t.get(RunExecutor);
      const redelivered = { consumer: t.config.TOPIC_REPLY, messageId: `${t.config.TOPIC_REPLY}:0:redelivered` };
      const result = { flowId: body.flowId, orchName: 'retried', stepName: 'one', action: 'DO' as const, status: 'FAILED' as const };
      expect(await executor.apply(result, redelivered)).toBe('applied');
      expect(await executor.apply(result, redelivered)).toBe('duplicate');
      expect(await attempts()).toEqual(['1:FAILED', '2:FAILED', '3:DISPATCHED']);
      // The same worker-set transport id again: a new reply all the same, and it is taken.
      await legacyReply('SUCCESS');
      await waitForRun(t, body.flowId, 'COMPLETED');
      // Every attempt carried one idempotency key (the effect's), each its own commandId and deadline.
      const sent = worker.commands.filter((c) => c.flowId === body.flowId);
      expect(sent.map((c) => c.idempotencyKey)).toEqual(Array(3).fill(`${body.flowId}:one:DO`));
      expect(new Set(sent.map((c) => c.commandId)).size).toBe(3);
      expect(sent.every((c) => Date.parse(c.deadline) > Date.now())).toBe(true);
    });

    it('waits out a worker step\'s retry backoff before it sends the next attempt', async () => {
      await registerRetrying('backedOff', '{maxAttempts: 2, backoff: fixed, initialDelaySeconds: 1}');
      const { body } = await execute(t, 'backedOff', { failAt: 'one', failAttempts: 1 }).expect(202);
      const seen = (attempt: number) => worker.commands.some((c) => c.flowId === body.flowId && c.attempt === attempt);
      await expectEventually(() => expect(seen(1)).toBe(true));
      const failedAt = Date.now(); // at most this late: the worker replied FAILED on receipt
      await expectEventually(() => expect(seen(2)).toBe(true), { timeoutMs: 15_000 });
      // The retry's outbox row is delayed: the relay's fast path must leave it to the sweep.
      expect(Date.now() - failedAt).toBeGreaterThanOrEqual(900);
      await waitForRun(t, body.flowId, 'COMPLETED');
    });

    it('acts on what another engine instance wrote to a run this one has cached', async () => {
      const { body } = await execute(t, 'order', { silentAt: STEPS }).expect(202);
      await waitForRun(t, body.flowId, 'RUNNING');
      // Another instance applies reserve's reply and dispatches charge; this instance still has
      // the run cached as it left it (reserve in flight).
      const db = t.get(DataSource);
      await db.query(`UPDATE orchestration_step_run SET status = 'SUCCEEDED', completed_at = now() WHERE flow_id = $1`, [body.flowId]);
      await db.query(
        `INSERT INTO orchestration_step_run (flow_id, step_name, seq, action, attempt, command_id, status, handler_type, dispatched_at, deadline_at)
         VALUES ($1, 'charge', 2, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'worker', now(), now() + interval '1 hour')`, [body.flowId]);
      await db.query('UPDATE orchestration_run SET version = version + 1 WHERE flow_id = $1', [body.flowId]);
      const charge = { flowId: body.flowId, stepName: 'charge', action: 'DO' as const, status: 'SUCCESS' as const };
      expect(await t.get(RunExecutor).apply(charge)).toBe('applied');
      const run = await waitForRun(t, body.flowId, 'RUNNING');
      expect(run.steps.map((s: { stepName: string; status: string }) => `${s.stepName}:${s.status}`))
        .toEqual(['reserve:SUCCEEDED', 'charge:SUCCEEDED', 'ship:DISPATCHED']);
      // The other instance finishes the run: an operator's undo here must see COMPLETED, not the cached RUNNING.
      await db.query(`UPDATE orchestration_step_run SET status = 'SUCCEEDED', completed_at = now() WHERE flow_id = $1`, [body.flowId]);
      await db.query(`UPDATE orchestration_run SET status = 'COMPLETED', version = version + 1 WHERE flow_id = $1`, [body.flowId]);
      await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(202);
    });

    it('starts a run on the template as the database has it, not as this instance cached it', async () => {
      await register('guarded');
      await worker.register('guarded', STEPS);
      await execute(t, 'guarded', {}).expect(202); // now cached as READY
      // Another instance's registration left the template PENDING (a step lost its worker).
      const db = t.get(DataSource);
      await db.query(`UPDATE orchestration_template SET status = 'PENDING' WHERE orch_name = 'guarded'`);
      const parked = await execute(t, 'guarded', {}).expect(202);
      expect(parked.body.status).toBe('WAITING_FOR_WORKERS');
      await db.query(`UPDATE orchestration_template SET status = 'READY' WHERE orch_name = 'guarded'`);
    });

    it('parks a run of a PENDING template and starts it when the workers arrive', async () => {
      await register('parked', 'sequential', ['one']);
      const res = await execute(t, 'parked', {}, { 'Idempotency-Key': 'parked-1' }).expect(202);
      expect(res.body).toMatchObject({ status: 'WAITING_FOR_WORKERS', missingSteps: ['one'] });
      // Asked again, the same run still says what it waits for.
      const again = await execute(t, 'parked', {}, { 'Idempotency-Key': 'parked-1' }).expect(202);
      expect(again.body).toMatchObject({ flowId: res.body.flowId, created: false, status: 'WAITING_FOR_WORKERS', missingSteps: ['one'] });
      const stuck = await t.http.get('/api/orchestration/runs?stuck=true&orchName=parked').expect(200);
      expect(stuck.body.items[0].waitingFor).toMatch(/workers for steps: one/);
      const parkedOnly = await t.http.get('/api/orchestration/runs?stuck=true&status=WAITING_FOR_WORKERS&orchName=parked').expect(200);
      expect(parkedOnly.body.items.map((r: { flowId: string }) => r.flowId)).toEqual([res.body.flowId]);
      await worker.register('parked', ['one']);
      await waitForRun(t, res.body.flowId, 'COMPLETED');
      // stuck=true and a finished status: both filters hold, so nothing (status alone listed every COMPLETED run).
      const finished = await t.http.get('/api/orchestration/runs?stuck=true&status=COMPLETED&orchName=parked').expect(200);
      expect([finished.body.items, finished.body.total]).toEqual([[], 0]);
    });

    it('says what an unfinished run waits for: the step in flight, with its deadline as a field and in the text', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'reserve', silentAttempts: 1 }).expect(202);
      await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve']));
      const run = (await t.http.get(`/api/orchestration/runs/${body.flowId}`).expect(200)).body;
      const deadlineAt = run.steps[0].deadlineAt;
      const what = `DO reserve attempt 1 on ${t.config.COMMAND_TOPIC_PREFIX}shop-worker`;
      expect(run.waits).toEqual([{ what, deadlineAt, retryAt: null }]);
      expect(run.waitingFor).toBe(`${what} (deadline ${deadlineAt})`);
      const stuck = (await t.http.get(`/api/orchestration/runs?stuck=true&correlationId=${run.correlationId}`).expect(200)).body;
      expect(stuck.items[0].waits).toEqual(run.waits);
      await t.http.post(`/api/orchestration/runs/${body.flowId}/terminate?compensate=false`).expect(202);
    });

    it('registers templates from the registration topic and dead-letters bad documents with the reason', async () => {
      const dead: Array<{ reason: string; service: string }> = [];
      await t.get(MessageConsumer).subscribe({ topic: `${t.config.TOPIC_REGISTRATION}.DLQ`, group: 'test-observer', handler: async (m) => {
        dead.push({ reason: m.headers['x-dead-letter-reason'], service: m.headers['x-service-name'] });
      } });
      const publish = (body: string | Buffer) => t.get(MessagePublisher).publish([{
        topic: t.config.TOPIC_REGISTRATION, body: Buffer.from(body), headers: { 'content-type': 'application/yaml', 'x-service-name': 'topic-shop' },
      }]);
      await publish(initiatorYaml('viaTopic', 'sequential', ['one']));
      await publish('orchName: badTopic\nas: initiator\ntype: zigzag\nsteps: []\n');
      // A Latin-1 "ü" in a comment: decoded loosely it became U+FFFD, and the document was registered.
      await publish(Buffer.concat([Buffer.from('# M'), Buffer.from([0xfc]), Buffer.from(`nchen\n${initiatorYaml('notUtf8', 'sequential', ['one'])}`)]));
      await expectEventually(async () => {
        const res = await t.http.get('/api/orchestration/templates/viaTopic');
        expect(res.body).toMatchObject({ ownerService: 'topic-shop', status: 'PENDING' });
        expect(dead).toEqual(expect.arrayContaining([
          { reason: expect.stringMatching(/INVALID_DOCUMENT.*type/), service: 'topic-shop' },
          { reason: expect.stringMatching(/INVALID_DOCUMENT.*not valid UTF-8/), service: 'topic-shop' },
        ]));
        expect(dead).toHaveLength(2);
      });
      const audit = await t.http.get('/api/orchestration/registrations/audit?serviceName=topic-shop').expect(200);
      expect(audit.body.items.map((i: { source: string; outcome: string }) => `${i.source}:${i.outcome}`).sort())
        .toEqual(['topic:ACCEPTED', 'topic:REJECTED', 'topic:REJECTED']);
    });

    it('starts runs from the execution topic, once per message, and dead-letters invalid requests', async () => {
      const dead: string[] = [];
      await t.get(MessageConsumer).subscribe({ topic: `${t.config.TOPIC_EXECUTION_START}.DLQ`, group: 'test-observer', handler: async (m) => {
        dead.push(m.headers['x-dead-letter-reason']);
      } });
      const start = (body: object) => t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_EXECUTION_START, body: Buffer.from(JSON.stringify(body)) }]);
      await start({ orchName: 'fanout', payload: { via: 'topic' }, idempotencyKey: 'topic-1', correlationId: 'corr-topic-1' });
      await start({ orchName: 'fanout', payload: { via: 'topic' }, idempotencyKey: 'topic-1', correlationId: 'corr-topic-1' });
      await start({ orchName: 'fanout', payload: Buffer.from('raw bytes').toString('base64') });
      await start({ orchName: 'nope', payload: {} });
      await start({ payload: {} });
      // A replay naming another deadline, and a payload no run could carry: each refusal names the message's own field.
      await start({ orchName: 'fanout', payload: { via: 'topic' }, idempotencyKey: 'topic-dl', deadlineSeconds: 60 });
      await start({ orchName: 'fanout', payload: { via: 'topic' }, idempotencyKey: 'topic-dl', deadlineSeconds: 30 });
      await start({ orchName: 'fanout', payload: { a: 'x\u0000' } });
      await expectEventually(async () => {
        const runs = await t.http.get('/api/orchestration/runs?orchName=fanout&pageSize=200').expect(200);
        const viaTopic = runs.body.items.filter((r: { correlationId: string }) => r.correlationId === 'corr-topic-1');
        expect(viaTopic).toHaveLength(1);
        expect(dead).toEqual(expect.arrayContaining([expect.stringMatching(/TEMPLATE_NOT_FOUND/), expect.stringMatching(/orchName/),
          // Either may come first (a broker need not keep their order): the second is the replay refused.
          expect.stringMatching(/^IDEMPOTENCY_KEY_REUSED: .*\(deadlineSeconds: must be (60|30), the deadline run [0-9a-f-]{36} was started with, or left out\)$/),
          expect.stringMatching(/^INVALID_REQUEST: .*\(payload\.a: contains a NUL character/)]));
        const binary = await Promise.all(runs.body.items.map((r: { flowId: string }) => t.http.get(`/api/orchestration/runs/${r.flowId}`)));
        expect(binary.some((r) => r.body.payload === Buffer.from('raw bytes').toString('base64'))).toBe(true);
      });
    });

    it('lists runs with filters', async () => {
      const page = await t.http.get('/api/orchestration/runs?orchName=order&status=COMPLETED&pageSize=2').expect(200);
      expect(page.body.items).toHaveLength(2);
      expect(page.body.total).toBeGreaterThanOrEqual(4);
      const none = await t.http.get(`/api/orchestration/runs?from=${new Date(Date.now() + 60_000).toISOString()}`).expect(200);
      expect(none.body.total).toBe(0);
    });
  });
}
