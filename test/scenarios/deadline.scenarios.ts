import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

const STEPS = ['reserve', 'charge', 'ship'];

/** Run deadlines applied by the healer, shared by the embedded e2e suite and the real-server suites. */
export function deadlineScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`run deadlines (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    /** Every event on the run status topic, in the order it arrived. */
    const statusEvents: Array<Record<string, unknown>> = [];
    const eventsOf = (flowId: string) => statusEvents.filter((e) => e.flowId === flowId);
    const register = (orchName: string, extra: object) => t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop')
      .send({ orchName, as: 'initiator', type: 'sequential', ...extra,
        steps: STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String' })) });

    beforeAll(async () => {
      t = await startTestApp({ HEALER_INTERVAL_MS: '200', ...(await env()) });
      await t.get(MessageConsumer).subscribe({ topic: t.config.TOPIC_RUN_STATUS, group: 'deadline-observer', handler: async (m) => {
        statusEvents.push(JSON.parse(m.body.toString()));
      } });
      worker = await new TestWorker(t, 'deadline-worker').start();
      await register('slow', { deadlineSeconds: 1, onDeadline: 'compensate' }).expect(201);
      await register('watched', { onDeadline: 'alert' }).expect(201);
      await register('held', { onDeadline: 'pause' }).expect(201);
      await worker.register('slow', STEPS);
      await worker.register('watched', STEPS);
      await worker.register('held', STEPS);
    });
    afterAll(() => t.close());

    it('compensates a run past its template deadline: once the step in flight ends, what succeeded is undone', async () => {
      const { body } = await execute(t, 'slow', { silentAt: 'charge', silentAttempts: 1 }).expect(202);
      const running = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
      expect(running.onDeadline).toBe('compensate');
      expect(running.deadlineRemainingSeconds).toBeLessThanOrEqual(1);
      const run = await waitForRun(t, body.flowId, 'COMPENSATING', 10_000);
      expect(run.events).toContainEqual(expect.objectContaining({ kind: 'DEADLINE_EXCEEDED' }));
      // The missed deadline is announced, then the status change it causes.
      await expectEventually(() => expect(eventsOf(body.flowId).map((e) => [e.type, e.status])).toEqual([
        ['STATUS_CHANGED', 'RUNNING'], ['DEADLINE_MISSED', 'RUNNING'], ['STATUS_CHANGED', 'COMPENSATING'],
      ]));
      expect(run.error).toMatch(/^deadline .* passed: compensate$/);
      const metrics = (await t.http.get('/metrics')).text;
      expect(metrics).toMatch(/baton_run_deadline_exceeded_total\{on_deadline="compensate"\} [1-9]/);
      // The worker step in flight finishes first (its reply may add to the undo stack), then everything is undone.
      const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt });
      await waitForRun(t, body.flowId, 'FAILED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'UNDO:charge', 'UNDO:reserve']);
    });

    it('pauses a run past its deadline; resumed, it completes without the deadline as its error', async () => {
      const { body } = await execute(t, 'held', { silentAt: 'charge', silentAttempts: 1 }, { 'X-Deadline-Seconds': '1' }).expect(202);
      const paused = await waitForRun(t, body.flowId, 'PAUSED', 10_000);
      expect(paused.error).toMatch(/^deadline .* passed: pause$/);
      await t.http.post(`/api/orchestration/runs/${body.flowId}/resume`).send({ reason: 'more time granted' }).expect(202);
      const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt });
      const run = await waitForRun(t, body.flowId, 'COMPLETED');
      expect(run).toMatchObject({ failedStep: null, error: null });
    });

    it('names a step that fails on a run its deadline paused, with the step\'s error instead of the deadline\'s', async () => {
      const { body } = await execute(t, 'held', { silentAt: 'charge', silentAttempts: 1 }, { 'X-Deadline-Seconds': '1' }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED', 10_000);
      const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
      await worker.reply(charge, 'FAILED', { commandId: charge.commandId, attempt: charge.attempt });
      const failed = await expectEventually(async () => {
        const run = await waitForRun(t, body.flowId, 'PAUSED');
        expect(run.failedStep).toBe('charge');
        return run;
      });
      expect(failed.error).toBe('charge failed on purpose');
      expect(failed.waitingFor).toBe('an operator: step charge failed (retry it, skip it, compensate or terminate the run)');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
    });

    it('starts PAUSED a run whose pause deadline passed while it waited for workers: nothing runs before an operator resumes it', async () => {
      await register('parkedHeld', { onDeadline: 'pause' }).expect(201);
      const { body } = await execute(t, 'parkedHeld', {}, { 'X-Deadline-Seconds': '1' }).expect(202);
      expect(body.status).toBe('WAITING_FOR_WORKERS');
      // Reported while it waits: it dispatches nothing anyway.
      await expectEventually(async () => expect((await waitForRun(t, body.flowId, 'WAITING_FOR_WORKERS')).events.map((e) => e.kind))
        .toEqual(['DEADLINE_EXCEEDED']), { timeoutMs: 10_000 });
      await worker.register('parkedHeld', STEPS);
      const paused = await waitForRun(t, body.flowId, 'PAUSED', 10_000);
      expect(paused.error).toMatch(/^deadline .* passed: pause$/);
      expect(paused.events.map((e) => e.kind)).toEqual(['DEADLINE_EXCEEDED', 'STARTED_AFTER_WAIT']);
      expect(worker.commandsFor(body.flowId)).toEqual([]);
      await t.http.post(`/api/orchestration/runs/${body.flowId}/resume`).send({ reason: 'more time granted' }).expect(202);
      await waitForRun(t, body.flowId, 'COMPLETED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship']);
    });

    it('takes a per-request deadline, and with alert lets the run go on', async () => {
      const { body } = await execute(t, 'watched', { silentAt: 'charge', silentAttempts: 1 }, { 'X-Deadline-Seconds': '1' }).expect(202);
      await new Promise((r) => setTimeout(r, 1800));
      const run = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
      expect(run.status).toBe('RUNNING');
      expect(run.events.filter((e) => e.kind === 'DEADLINE_EXCEEDED')).toHaveLength(1);
      expect(run.deadlineRemainingSeconds).toBeLessThan(0);
      // No status changes, yet the status topic hears of it, once.
      await expectEventually(() => expect(eventsOf(body.flowId).filter((e) => e.type === 'DEADLINE_MISSED')).toEqual([{
        type: 'DEADLINE_MISSED', flowId: body.flowId, orchName: 'watched', status: 'RUNNING', previousStatus: 'RUNNING',
        failedStep: null, error: null, deadlineAt: run.deadlineAt, onDeadline: 'alert', at: expect.any(String), correlationId: run.correlationId,
      }]));
      expect(eventsOf(body.flowId).map((e) => e.type)).toEqual(['STATUS_CHANGED', 'DEADLINE_MISSED']);
    });

    it('refuses a bad deadline header', async () => {
      const refused = await execute(t, 'watched', {}, { 'X-Deadline-Seconds': 'soon' }).expect(400);
      // Named as every other header problem is.
      expect(refused.body.problems).toEqual([{ path: 'headers.x-deadline-seconds', message: expect.stringContaining('whole number') }]);
      await execute(t, 'watched', {}, { 'X-Deadline-Seconds': '0' }).expect(400);
      await execute(t, 'watched', {}, { 'X-Deadline-Seconds': '99999999' }).expect(400);
      await execute(t, 'watched', {}, { 'X-Deadline-Seconds': '' }).expect(400);
    });

    it("answers a replay of an idempotent start that names no deadline, or the run's: another one would not be applied", async () => {
      const start = (orchName: string, key: string, deadline?: string) =>
        execute(t, orchName, { n: 1 }, { 'Idempotency-Key': key, ...deadline ? { 'X-Deadline-Seconds': deadline } : {} });
      const { body: first } = await start('watched', 'dl-1', '60').expect(202);
      for (const same of ['60', undefined]) expect((await start('watched', 'dl-1', same).expect(202)).body).toMatchObject({ flowId: first.flowId, created: false });
      expect((await start('watched', 'dl-1', '30').expect(409)).body).toMatchObject({ code: 'IDEMPOTENCY_KEY_REUSED',
        message: `Idempotency key dl-1 was used for run ${first.flowId}, started with a deadline of 60 seconds: a replay names that deadline or none, not 30 seconds`,
        problems: [{ path: 'headers.x-deadline-seconds', message: `must be 60, the deadline run ${first.flowId} was started with, or left out` }] });
      // The plain hash every version stored: a start an earlier version took, redelivered after an upgrade, is its replay.
      const [{ payload_hash: hash }] = await t.get(DataSource).query('SELECT payload_hash FROM orchestration_run WHERE flow_id = $1', [first.flowId]);
      expect(hash).toBe(createHash('sha256').update('application/json').update('\0').update('{"n":1}').digest('hex'));
      // The deadline a run took from its template is the one it was started with.
      const { body: slow } = await start('slow', 'dl-2').expect(202);
      expect((await start('slow', 'dl-2', '1').expect(202)).body).toMatchObject({ flowId: slow.flowId, created: false });
      await start('slow', 'dl-2', '60').expect(409);
      const { body: plain } = await start('watched', 'dl-3').expect(202);
      expect((await start('watched', 'dl-3', '60').expect(409)).body.problems)
        .toEqual([{ path: 'headers.x-deadline-seconds', message: `must be left out: run ${plain.flowId} was started without a deadline` }]);
      expect((await execute(t, 'watched', { n: 2 }, { 'Idempotency-Key': 'dl-1', 'X-Deadline-Seconds': '60' }).expect(409)).body.problems[0].path)
        .toBe('headers.idempotency-key');
    });
  });
}
