import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { RunExecutor } from '../../src/engine/run-executor.service';
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

    it('times out no attempt whose reply waits in its consumer\'s outage retry, though no healer tick met the outage', async () => {
      await register('shortOutage', {}, ['reserve', 'charge'].map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { timeoutSeconds: 1, retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 } } : {}) }))).expect(201);
      await worker.register('shortOutage', ['reserve', 'charge']);
      // The database "goes down" for charge's reply only: shorter than the healer's interval, no tick meets it.
      // (Before the test whose tick meets an outage: no earlier outage may still be holding timeouts back.)
      let down = false;
      let refused = 0;
      const executor = t.get(RunExecutor);
      const apply = executor.apply.bind(executor);
      const mock = jest.spyOn(executor, 'apply').mockImplementation(async (r, k) => {
        if (down && r.stepName === 'charge') { refused++; throw Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' }); }
        return apply(r, k);
      });
      try {
        const { body } = await execute(t, 'shortOutage', { silentAt: 'charge', silentAttempts: 1 }).expect(202);
        await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']));
        down = true;
        const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
        await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt }); // in time
        // Five tries refused: the sixth comes 1.6 s later (outageDelayMs), long after the tick below.
        await expectEventually(() => expect(refused).toBeGreaterThanOrEqual(5));
        await passed(`SELECT deadline_at < clock_timestamp() FROM orchestration_step_run WHERE flow_id = $1 AND step_name = 'charge'`, [body.flowId]);
        down = false;
        // The interval's tick comes first, before the consumer tries the reply again.
        await t.get(Healer).tick();
        await waitForRun(t, body.flowId, 'COMPLETED');
        expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
      } finally {
        mock.mockRestore();
      }
    });

    it('times out no attempt whose reply came during a database outage until the reply consumers had time to apply it', async () => {
      await register('outage', {}, ['reserve', 'charge'].map((name, i) => ({ seq: i + 1, name, objectType: 'String',
        ...(name === 'charge' ? { timeoutSeconds: 1, retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 0 } } : {}) }))).expect(201);
      await worker.register('outage', ['reserve', 'charge']);
      // The database "goes down" for charge's reply (its consumer retries it, staying running) and for the healer's pass.
      let down = false;
      let refused = 0;
      const unreachable = () => Object.assign(new Error('Connection terminated unexpectedly'), { code: '08006' });
      const executor = t.get(RunExecutor);
      const apply = executor.apply.bind(executor);
      const stuck = t.get(StuckWorkRepository);
      const pendingTemplateNames = stuck.pendingTemplateNames.bind(stuck);
      const mocks = [
        jest.spyOn(executor, 'apply').mockImplementation(async (r, k) => {
          if (down && r.stepName === 'charge') { refused++; throw unreachable(); }
          return apply(r, k);
        }),
        jest.spyOn(stuck, 'pendingTemplateNames').mockImplementation(async (after, limit) => {
          if (down) throw unreachable();
          return pendingTemplateNames(after, limit);
        }),
      ];
      try {
        const { body } = await execute(t, 'outage', { silentAt: 'charge', silentAttempts: 1 }).expect(202);
        await expectEventually(() => expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']));
        down = true;
        const charge = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'charge')!;
        await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt }); // in time
        await expectEventually(() => expect(refused).toBeGreaterThan(0));
        // The outage outlasts charge's deadline, and a healer tick meets it.
        await passed(`SELECT deadline_at < clock_timestamp() FROM orchestration_step_run WHERE flow_id = $1 AND step_name = 'charge'`, [body.flowId]);
        await t.get(Healer).tick();
        expect(t.get(Healer).status().lastError).toMatch(/Connection terminated/);
        down = false;
        // The tick right after: the reply still waits in its consumer's outage retry (up to 5 s apart), which the consumer says.
        await t.get(Healer).tick();
        await waitForRun(t, body.flowId, 'COMPLETED');
        expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
      } finally {
        for (const mock of mocks) mock.mockRestore();
      }
    });

  });
}
