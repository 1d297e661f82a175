import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { RunExecutor } from '../../src/engine/run-executor.service';
import { StepHeartbeats } from '../../src/engine/step-heartbeats.service';
import { Healer } from '../../src/healing/healer.service';
import { StuckWorkRepository } from '../../src/healing/stuck-work.repository';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

const STEPS = ['reserve', 'charge', 'ship'];

/**
 * A run past its deadline is not sent anything the deadline would undo or hold at once, and an
 * outage's replies are applied before their attempts time out. The healer runs only when asked (or when a template becomes
 * READY), so each test decides when it looks. Shared by the embedded e2e suite and the real-server suites.
 */
export function deadlineFirstScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`healer: deadlines before anything is sent (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    const register = (orchName: string, extra: object, steps: object[]) =>
      t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send({ orchName, as: 'initiator', type: 'sequential', ...extra, steps });
    /** Waits, by the database's clock (the healer's), until the run's deadline or the attempt's has passed. */
    const passed = (sql: string, params: unknown[]) => expectEventually(async () =>
      expect((await t.get(DataSource).query(`SELECT (${sql}) AS passed`, params))[0].passed).toBe(true), { timeoutMs: 10_000 });

    beforeAll(async () => {
      t = await startTestApp({ HEALER_INTERVAL_MS: '600000', ...(await env()) });
      await t.app.listen(0, '127.0.0.1');
      worker = await new TestWorker(t, 'deadline-first').start();
    });
    afterAll(() => t.close());

    it('fails a parked run whose compensate deadline passed while it waited, sending its first step nothing', async () => {
      await register('parkedLate', { onDeadline: 'compensate' }, STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String' }))).expect(201);
      const { body } = await execute(t, 'parkedLate', {}, { 'X-Deadline-Seconds': '1' }).expect(202);
      expect(body.status).toBe('WAITING_FOR_WORKERS');
      await passed('SELECT deadline_at < clock_timestamp() FROM orchestration_run WHERE flow_id = $1', [body.flowId]);
      await worker.register('parkedLate', STEPS); // READY: the healer ticks at once
      await t.get(Healer).tick();
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(run.events.map((e) => e.kind)).toEqual(['DEADLINE_EXCEEDED']);
      expect(run.error).toMatch(/^deadline .* passed: compensate$/);
      expect(worker.commandsFor(body.flowId)).toEqual([]);
    });

    it('does not retry a timed-out step of a run whose compensate deadline passed: it unwinds', async () => {
      await register('lateRetry', { onDeadline: 'compensate' }, STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { timeoutSeconds: 1, retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 } } : {}) }))).expect(201);
      await worker.register('lateRetry', STEPS);
      const { body } = await execute(t, 'lateRetry', { silentAt: 'charge', silentAttempts: 1 }, { 'X-Deadline-Seconds': '1' }).expect(202);
      await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']));
      await passed(`SELECT bool_and(s.deadline_at < clock_timestamp()) AND bool_and(r.deadline_at < clock_timestamp())
        FROM orchestration_step_run s JOIN orchestration_run r ON r.flow_id = s.flow_id WHERE s.flow_id = $1 AND s.step_name = 'charge'`, [body.flowId]);
      // Timeouts wait until the reply consumers have run a while (mayTimeOut): tick until the attempt is timed out.
      await expectEventually(async () => {
        await t.get(Healer).tick();
        const { steps } = (await t.http.get(`/api/orchestration/runs/${body.flowId}`).expect(200)).body as RunDetailDto;
        expect(steps.find((s) => s.stepName === 'charge' && s.action === 'DO')?.status).toBe('TIMED_OUT');
      }, { timeoutMs: 10_000 });
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(run.events.map((e) => e.kind)).toEqual(['DEADLINE_EXCEEDED', 'STEP_TIMED_OUT']);
      // No second DO:charge, sent after the deadline only to be undone.
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'UNDO:reserve']);
    });

    it('does not time out an attempt whose heartbeat came after the healer found it overdue, before its write', async () => {
      await register('lateBeat', {}, ['reserve', 'charge'].map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { timeoutSeconds: 1, retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 } } : {}) }))).expect(201);
      await worker.register('lateBeat', ['reserve', 'charge']);
      const { body } = await execute(t, 'lateBeat', { silentAt: 'charge', silentAttempts: 1 }).expect(202);
      await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']));
      await passed(`SELECT deadline_at < clock_timestamp() FROM orchestration_step_run WHERE flow_id = $1 AND step_name = 'charge'`, [body.flowId]);
      // The worker's heartbeat lands right after the healer's check that the attempt is overdue, before its write.
      const stuck = t.get(StuckWorkRepository);
      const stillOverdue = stuck.stillOverdue.bind(stuck);
      const checks = jest.spyOn(stuck, 'stillOverdue').mockImplementation(async (a) => {
        const overdue = await stillOverdue(a);
        if (overdue) await t.get(StepHeartbeats).record({ flowId: a.flowId, stepName: a.stepName, action: 'DO', attempt: a.attempt });
        return overdue;
      });
      mocks.push(checks);
      // Timeouts wait until the reply consumers have run a while (mayTimeOut): tick until the healer looks at the attempt.
      await expectEventually(async () => {
        await t.get(Healer).tick();
        expect(checks).toHaveBeenCalled();
      }, { timeoutMs: 10_000 });
      const { steps } = (await t.http.get(`/api/orchestration/runs/${body.flowId}`).expect(200)).body as RunDetailDto;
      expect(steps.filter((s) => s.stepName === 'charge').map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:DISPATCHED']);
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
      const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt });
      await waitForRun(t, body.flowId, 'COMPLETED');
    });

    const unreachable = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
    /**
     * A template whose charge times out after a second and is retried at once; a run of it whose
     * charge the worker answers in time while the database is "down" for that reply (its consumer
     * retries it, staying running), and the reply's refusals so far. Up once charge's deadline passed.
     */
    const replyInOutage = async (orchName: string, alsoDown: () => void = () => undefined) => {
      await register(orchName, {}, ['reserve', 'charge'].map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { timeoutSeconds: 1, retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 } } : {}) }))).expect(201);
      await worker.register(orchName, ['reserve', 'charge']);
      const outage = { down: false, refused: 0 };
      const executor = t.get(RunExecutor);
      const apply = executor.apply.bind(executor);
      mocks.push(jest.spyOn(executor, 'apply').mockImplementation(async (r, k) => {
        if (outage.down && r.stepName === 'charge') { outage.refused++; throw unreachable(); }
        return apply(r, k);
      }));
      const { body } = await execute(t, orchName, { silentAt: 'charge', silentAttempts: 1 }).expect(202);
      await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']));
      outage.down = true;
      alsoDown();
      const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt }); // in time
      return { flowId: body.flowId as string, outage };
    };
    const chargeOverdue = (flowId: string) =>
      passed(`SELECT deadline_at < clock_timestamp() FROM orchestration_step_run WHERE flow_id = $1 AND step_name = 'charge'`, [flowId]);
    const mocks: jest.SpyInstance[] = [];
    afterEach(() => mocks.splice(0).forEach((mock) => mock.mockRestore()));

    it('times out no attempt whose reply waits in its consumer\'s outage retry, though no healer tick met the outage', async () => {
      // Shorter than the healer's interval, no tick meets it. (Before the test whose tick meets an
      // outage: no earlier outage may still be holding timeouts back.)
      const { flowId, outage } = await replyInOutage('shortOutage');
      // Five tries refused: the sixth comes 1.6 s later (outageDelayMs), long after the tick below.
      await expectEventually(() => expect(outage.refused).toBeGreaterThanOrEqual(5));
      await chargeOverdue(flowId);
      outage.down = false;
      // The interval's tick comes first, before the consumer tries the reply again.
      await t.get(Healer).tick();
      await waitForRun(t, flowId, 'COMPLETED');
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge']);
    });

    it('times out no attempt whose reply came during a database outage until the reply consumers had time to apply it', async () => {
      // The database is down for the healer's pass too.
      const stuck = t.get(StuckWorkRepository);
      const pendingTemplateNames = stuck.pendingTemplateNames.bind(stuck);
      let healerDown = false;
      mocks.push(jest.spyOn(stuck, 'pendingTemplateNames').mockImplementation(async (after, limit) => {
        if (healerDown) throw unreachable();
        return pendingTemplateNames(after, limit);
      }));
      const { flowId, outage } = await replyInOutage('outage', () => { healerDown = true; });
      await expectEventually(() => expect(outage.refused).toBeGreaterThan(0));
      // The outage outlasts charge's deadline, and a healer tick meets it.
      await chargeOverdue(flowId);
      await t.get(Healer).tick();
      expect(t.get(Healer).status().lastError).toMatch(/Connection terminated/);
      outage.down = healerDown = false;
      // The tick right after: the reply still waits in its consumer's outage retry (up to 5 s apart), which the consumer says.
      await t.get(Healer).tick();
      await waitForRun(t, flowId, 'COMPLETED');
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge']);
    });

  });
}
