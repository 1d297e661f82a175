import { DataSource } from 'typeorm';
import type { RunDetailDto } from '../../src/engine/dto/run.dto';
import { MessageConsumer } from '../../src/messaging/message-consumer';
import { Metrics } from '../../src/metrics/metrics';
import { expectEventually } from '../helpers/expect-eventually';
import { execute, waitForRun } from '../helpers/runs';
import { startTestApp, TestApp } from '../helpers/test-app';
import { TestWorker } from '../helpers/test-worker';

const STEPS = ['reserve', 'charge', 'ship'];

type Step = RunDetailDto['steps'][number];

/** Operator actions on live runs, shared by the embedded e2e suite and the real-server suites. */
export function operatorActionScenarios(setting: string, env: () => Promise<Record<string, string>>): void {
  describe(`operator actions (${setting})`, () => {
    let t: TestApp;
    let worker: TestWorker;
    const statusEvents: Array<{ flowId: string; status: string; previousStatus: string | null; failedStep: string | null }> = [];

    /**
     * `careful`: charge pauses the run when it fails; `order`: every step compensates (the default);
     * `patient`: charge is retried after RETRY_SECONDS.
     */
    const register = (orchName: string, onFailure?: Record<string, 'pause'>, retry?: object) =>
      t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send({
        orchName, as: 'initiator', type: 'sequential',
        steps: STEPS.map((name, i) => ({ seq: i + 1, name, objectType: 'String', ...(onFailure?.[name] ? { onFailure: 'pause' } : {}),
          ...(retry && name === 'charge' ? { retry } : {}) })),
      }).expect(201);
    const RETRY_SECONDS = 4;
    /** Starts a `patient` run whose charge fails once, and returns it once charge's retry waits out its backoff. */
    const startWaitingRetry = async () => {
      const { body } = await execute(t, 'patient', { failAt: 'charge', failAttempts: 1 }).expect(202);
      const run = await expectEventually(async () => {
        const r = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
        expect(stepsOf(r, 'charge').map((s) => s.status)).toEqual(['FAILED', 'DISPATCHED']);
        return r;
      });
      const retry = stepsOf(run, 'charge')[1];
      return { flowId: body.flowId as string, retry, dueAt: Date.parse(String(retry.dispatchedAt)) };
    };
    /** Waits until the voided retry would have been sent, then checks it never was. */
    const neverSent = async (flowId: string, commandId: string, dueAt: number) => {
      await new Promise((r) => setTimeout(r, Math.max(0, dueAt - Date.now()) + 1_000));
      expect(worker.commands.filter((c) => c.commandId === commandId)).toEqual([]);
      const [row] = await t.get(DataSource).query('SELECT sent_at, dropped_at FROM outbox WHERE message_id = $1', [commandId]);
      expect(row.dropped_at).not.toBeNull();
    };
    const action = (flowId: string, name: string, body: object = {}, query = '') =>
      t.http.post(`/api/orchestration/runs/${flowId}/${name}${query}`).send(body);
    const stepsOf = (run: RunDetailDto, name: string) => run.steps.filter((s: Step) => s.stepName === name && s.action === 'DO');
    /** Waits until the worker got the command, and returns it (to answer it by hand). */
    const commandFor = (flowId: string, step: string) => expectEventually(() => {
      const c = worker.commands.find((x) => x.flowId === flowId && x.stepName === step && x.action === 'DO');
      expect(c).toBeDefined();
      return c!;
    });

    /** Starts a `wide` run whose charge fails once and whose ship never answers, and returns it once charge's retry waits. */
    const startWideWithWaitingRetry = async () => {
      const { body } = await execute(t, 'wide', { failAt: 'charge', failAttempts: 1, silentAt: 'ship' }).expect(202);
      const ship = await commandFor(body.flowId, 'ship');
      const retry = await expectEventually(async () => {
        const r = (await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body as RunDetailDto;
        expect(stepsOf(r, 'charge').map((s) => s.status)).toEqual(['FAILED', 'DISPATCHED']);
        return stepsOf(r, 'charge')[1];
      });
      return { body, ship, retry };
    };

    beforeAll(async () => {
      t = await startTestApp(await env());
      worker = await new TestWorker(t, 'shop-worker').start();
      await register('order');
      await register('careful', { charge: 'pause' });
      await register('cautious', { charge: 'pause', ship: 'pause' });
      await register('patient', undefined, { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: RETRY_SECONDS });
      await worker.register('order', STEPS);
      await worker.register('careful', STEPS);
      await worker.register('cautious', STEPS);
      await worker.register('patient', STEPS);
      // `wide`: charge (retried) and ship run side by side after reserve.
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send({
        orchName: 'wide', as: 'initiator', type: 'sequential', steps: [
          { seq: 1, name: 'reserve', objectType: 'String' },
          { seq: 2, name: 'charge', objectType: 'String', retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: RETRY_SECONDS } },
          { seq: 2, name: 'ship', objectType: 'String' },
        ],
      }).expect(201);
      await worker.register('wide', STEPS);
      // `forked`: as wide, but charge pauses the run when it fails, while ship may still be going on.
      await t.http.post('/api/orchestration/register').set('X-Service-Name', 'shop').send({
        orchName: 'forked', as: 'initiator', type: 'sequential', steps: [
          { seq: 1, name: 'reserve', objectType: 'String' },
          { seq: 2, name: 'charge', objectType: 'String', onFailure: 'pause' },
          { seq: 2, name: 'ship', objectType: 'String' },
        ],
      }).expect(201);
      await worker.register('forked', STEPS);
      await t.get(MessageConsumer).subscribe({ topic: t.config.TOPIC_RUN_STATUS, group: 'test-actions-observer', handler: async (m) => {
        statusEvents.push(JSON.parse(m.body.toString()));
      } });
    });
    afterAll(() => t.close());

    it('pauses mid-run: the step in flight finishes and is recorded, nothing new goes out until resume', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'charge' }).expect(202);
      const charge = await commandFor(body.flowId, 'charge');
      const paused = await action(body.flowId, 'pause', { reason: 'maintenance window' }).expect(202);
      expect(paused.body).toEqual({ flowId: body.flowId, action: 'pause', status: 'PAUSED', changed: true });
      expect((await action(body.flowId, 'pause').expect(202)).body).toMatchObject({ status: 'PAUSED', changed: false });

      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt, output: { paid: true } });
      const afterReply = await expectEventually(async () => {
        const run = await waitForRun(t, body.flowId, 'PAUSED');
        expect(stepsOf(run, 'charge')[0].status).toBe('SUCCEEDED');
        return run;
      });
      await new Promise((r) => setTimeout(r, 100));
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
      expect(afterReply.allowedActions).toEqual(['terminate', 'resume', 'compensate']);
      // Undo is reported with the operator actions, refused as POST /undo answers it (allowedActions keeps to its enum).
      expect(afterReply.actions.find((a) => a.action === 'undo')).toEqual({
        action: 'undo', allowed: false, code: 'RUN_NOT_UNDOABLE', reason: 'the run is PAUSED: cannot undo it because it is still running',
      });
      expect(afterReply.events).toContainEqual(expect.objectContaining(
        { kind: 'OPERATOR_PAUSE', reason: 'maintenance window', actor: 'anonymous' }));

      await action(body.flowId, 'resume').expect(202);
      const done = await waitForRun(t, body.flowId, 'COMPLETED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship']);
      expect(done.allowedActions).toEqual([]);
      expect(done.actions.filter((a) => a.allowed)).toEqual([{ action: 'undo', allowed: true }]);
      const refused = await action(body.flowId, 'pause').expect(409);
      expect(refused.body).toMatchObject({ code: 'RUN_FINISHED' });
      await expectEventually(() => expect(statusEvents.filter((e) => e.flowId === body.flowId).map((e) => e.status))
        .toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'COMPLETED']));
    });

    it('pauses mid-run, then the step in flight fails: the run stays PAUSED naming it, for a retry, skip or compensate', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'charge', silentAttempts: 1 }).expect(202);
      const charge = await commandFor(body.flowId, 'charge');
      await action(body.flowId, 'pause').expect(202);
      await worker.reply(charge, 'FAILED', { commandId: charge.commandId, attempt: charge.attempt });
      const paused = await expectEventually(async () => {
        const run = await waitForRun(t, body.flowId, 'PAUSED');
        expect([stepsOf(run, 'charge')[0].status, run.failedStep]).toEqual(['FAILED', 'charge']);
        return run;
      });
      expect(paused.error).toBe('charge failed on purpose');
      expect(paused.waitingFor).toBe('an operator: step charge failed (retry it, skip it, compensate or terminate the run)');
      expect(paused.allowedActions).toEqual(['terminate', 'retry', 'skip', 'compensate']);
      expect((await action(body.flowId, 'resume').expect(409)).body.code).toBe('RUN_HAS_FAILED_STEP');
      // Nothing was undone meanwhile: a pause sends nothing, undos included.
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);

      await action(body.flowId, 'retry', { stepName: 'charge' }).expect(202);
      const done = await waitForRun(t, body.flowId, 'COMPLETED');
      expect([done.failedStep, worker.commandsFor(body.flowId)]).toEqual([null, ['DO:reserve', 'DO:charge', 'DO:charge', 'DO:ship']]);
      await expectEventually(() => expect(statusEvents.filter((e) => e.flowId === body.flowId).map((e) => e.status))
        .toEqual(['RUNNING', 'PAUSED', 'RUNNING', 'COMPLETED']));
    });

    it('pauses a run whose branch failed while another goes on, and its PAUSED event names the failed step', async () => {
      const { body } = await execute(t, 'forked', { failAt: 'charge', silentAt: 'ship' }).expect(202);
      const ship = await commandFor(body.flowId, 'ship');
      await expectEventually(async () => {
        const run = await waitForRun(t, body.flowId, 'RUNNING');
        expect(stepsOf(run, 'charge').map((s) => s.status)).toEqual(['FAILED']);
      });
      await action(body.flowId, 'pause', { reason: 'look at charge' }).expect(202);
      const paused = await waitForRun(t, body.flowId, 'PAUSED');
      expect([paused.failedStep, paused.error]).toEqual(['charge', 'charge failed on purpose']);
      await expectEventually(() => expect(statusEvents.filter((e) => e.flowId === body.flowId).slice(-1))
        .toEqual([expect.objectContaining({ status: 'PAUSED', previousStatus: 'RUNNING', failedStep: 'charge' })]));

      await worker.reply(ship, 'SUCCESS', { commandId: ship.commandId, attempt: ship.attempt });
      await action(body.flowId, 'skip', { stepName: 'charge' }).expect(202);
      await waitForRun(t, body.flowId, 'COMPLETED');
    });

    it('terminates with compensation: waits for the step in flight, undoes what succeeded, ends FAILED', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'charge' }).expect(202);
      const charge = await commandFor(body.flowId, 'charge');
      const res = await action(body.flowId, 'terminate', { reason: 'customer cancelled' }).expect(202);
      expect(res.body.status).toBe('COMPENSATING');
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt });
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'UNDO:charge', 'UNDO:reserve']);
      expect(run.error).toBe('terminated by anonymous: customer cancelled');
      // Each way to terminate is reported as it is then answered: compensate=true changes nothing, compensate=false is refused.
      expect(run.actions.find((a) => a.action === 'terminate')!.variants).toEqual([
        { compensate: true, allowed: false, reason: 'the run is already FAILED' },
        { compensate: false, allowed: false, code: 'RUN_FINISHED', reason: 'the run is FAILED' },
      ]);
      expect((await action(body.flowId, 'terminate').expect(202)).body.changed).toBe(false);
      expect((await action(body.flowId, 'terminate', {}, '?compensate=false').expect(409)).body.code).toBe('RUN_FINISHED');
      expect(run.actions.find((a) => a.action === 'undo')).toEqual({ action: 'undo', allowed: true });
    });

    it('terminates without compensation: TERMINATED, effects left in place, a late reply changes nothing', async () => {
      const { body } = await execute(t, 'order', { silentAt: 'charge' }).expect(202);
      const charge = await commandFor(body.flowId, 'charge');
      const res = await action(body.flowId, 'terminate', {}, '?compensate=false').expect(202);
      expect(res.body.status).toBe('TERMINATED');
      await worker.reply(charge, 'SUCCESS', { commandId: charge.commandId, attempt: charge.attempt });
      await new Promise((r) => setTimeout(r, 200));
      const run = await waitForRun(t, body.flowId, 'TERMINATED');
      // Given up, not left in flight on a finished run, and the late reply's SUCCESS is not recorded.
      expect(stepsOf(run, 'charge')).toEqual([expect.objectContaining({ status: 'ABANDONED', completedAt: expect.any(String),
        error: 'abandoned: the run was terminated while this attempt was in flight; a late reply is not recorded' })]);
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge']);
      expect(run.actions.find((a) => a.action === 'terminate')!.variants).toEqual([
        { compensate: true, allowed: false, code: 'RUN_FINISHED', reason: 'the run is TERMINATED' },
        { compensate: false, allowed: false, reason: 'the run is already TERMINATED' },
      ]);
      expect(run.actions.find((a) => a.action === 'undo')).toMatchObject({ allowed: false, code: 'RUN_NOT_UNDOABLE' });
      expect((await action(body.flowId, 'terminate', {}, '?compensate=false').expect(202)).body.changed).toBe(false);
      expect((await action(body.flowId, 'terminate').expect(409)).body.code).toBe('RUN_FINISHED');
      expect((await t.http.post(`/api/orchestration/undo/${body.flowId}`).expect(409)).body.code).toBe('RUN_NOT_UNDOABLE');
    });

    it('pauses on failure, naming the step; a retry gets a fresh budget and the run completes', async () => {
      const { body } = await execute(t, 'careful', { failAt: 'charge', failAttempts: 1 }).expect(202);
      const paused = await waitForRun(t, body.flowId, 'PAUSED');
      expect(paused.failedStep).toBe('charge');
      expect(paused.waitingFor).toBe('an operator: step charge failed (retry it, skip it, compensate or terminate the run)');
      expect(paused.allowedActions).toEqual(['terminate', 'retry', 'skip', 'compensate']);
      expect(paused.actions.find((a) => a.action === 'resume')).toMatchObject({ allowed: false, code: 'RUN_HAS_FAILED_STEP' });
      // What a console offers to retry or skip: the steps the actions accept.
      expect(paused.actions.filter((a) => a.action === 'retry' || a.action === 'skip').map((a) => a.steps)).toEqual([['charge'], ['charge']]);
      expect((await action(body.flowId, 'resume').expect(409)).body.code).toBe('RUN_HAS_FAILED_STEP');
      await expectEventually(() => expect(statusEvents.find((e) => e.flowId === body.flowId && e.status === 'PAUSED'))
        .toMatchObject({ failedStep: 'charge' }));

      await action(body.flowId, 'retry', { stepName: 'charge', reason: 'card limit raised' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'COMPLETED');
      expect(stepsOf(run, 'charge').map((s) => [s.attempt, s.budgetStart, s.status])).toEqual([[1, 1, 'FAILED'], [2, 2, 'SUCCEEDED']]);
      expect(run).toMatchObject({ failedStep: null, error: null });
      expect((await action(body.flowId, 'retry', { stepName: 'charge' }).expect(409)).body.code).toBe('RUN_FINISHED');
    });

    it('takes twenty concurrent retries of the attempt the operators saw once, though the retry fails fast and pauses the run again', async () => {
      const { body } = await execute(t, 'careful', { failAt: 'charge' }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED');
      const answers = await Promise.all(Array.from({ length: 20 }, () => action(body.flowId, 'retry', { stepName: 'charge', attempt: 1 })));
      expect(answers.map((a) => a.status)).toEqual(Array(20).fill(202));
      expect(answers.filter((a) => a.body.changed)).toHaveLength(1);
      const run = await waitForRun(t, body.flowId, 'PAUSED');
      expect(stepsOf(run, 'charge').map((s) => `${s.attempt}:${s.status}`)).toEqual(['1:FAILED', '2:FAILED']);
      expect(worker.commandsFor(body.flowId).filter((c) => c === 'DO:charge')).toHaveLength(2);
      await action(body.flowId, 'terminate', {}, '?compensate=false').expect(202);
    });

    it('pauses on failure, then skips the step with an output that later steps receive, and never undoes it', async () => {
      const { body } = await execute(t, 'careful', { failAt: ['charge', 'ship'] }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED');
      await action(body.flowId, 'skip', { output: { receipt: 'paid by phone' }, reason: 'paid offline' }).expect(202);
      const run = await waitForRun(t, body.flowId, 'FAILED');
      const ship = worker.commands.find((c) => c.flowId === body.flowId && c.stepName === 'ship')!;
      expect(ship.outputs.charge).toEqual({ receipt: 'paid by phone' });
      expect(stepsOf(run, 'charge').map((s) => s.status)).toEqual(['FAILED', 'SKIPPED']);
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship', 'UNDO:reserve']);
      expect(run.events).toContainEqual(expect.objectContaining({ kind: 'OPERATOR_SKIP', stepName: 'charge', reason: 'paid offline' }));
    });

    it('asks for the step when a skip of attempt 1 without one comes again after the next step failed at its attempt 1', async () => {
      const { body } = await execute(t, 'cautious', { failAt: ['charge', 'ship'] }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED');
      await action(body.flowId, 'skip', { attempt: 1 }).expect(202);
      await expectEventually(async () => expect((await t.http.get(`/api/orchestration/runs/${body.flowId}`)).body.failedStep).toBe('ship'));
      // The same click again: it was for charge, and must not skip ship.
      const again = await action(body.flowId, 'skip', { attempt: 1 }).expect(409);
      expect(again.body).toMatchObject({ code: 'STEP_NAME_REQUIRED', problems: [{ path: 'body.stepName' }] });
      await action(body.flowId, 'skip', { stepName: 'ship', attempt: 1 }).expect(202);
      const run = await waitForRun(t, body.flowId, 'COMPLETED');
      expect(run.steps.filter((s: Step) => s.status === 'SKIPPED').map((s: Step) => s.stepName)).toEqual(['charge', 'ship']);
    });

    it('compensates a run paused on failure on request', async () => {
      const { body } = await execute(t, 'careful', { failAt: 'charge' }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED');
      await action(body.flowId, 'compensate').expect(202);
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(worker.commandsFor(body.flowId)).toEqual(['DO:reserve', 'DO:charge', 'UNDO:reserve']);
      expect(run.failedStep).toBe('charge');
    });

    it('pauses while a retry waits out its backoff: the retry is voided, never sent, and written anew on resume', async () => {
      const { flowId, retry, dueAt } = await startWaitingRetry();
      await action(flowId, 'pause').expect(202);
      const paused = await waitForRun(t, flowId, 'PAUSED');
      expect(stepsOf(paused, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'VOIDED']]);
      expect(stepsOf(paused, 'charge')[1].error).toBe('not sent: the run was PAUSED before it was due');
      expect(paused.allowedActions).toContain('resume');
      await neverSent(flowId, retry.commandId, dueAt);
      expect((await waitForRun(t, flowId, 'PAUSED')).status).toBe('PAUSED');

      await action(flowId, 'resume').expect(202);
      const done = await waitForRun(t, flowId, 'COMPLETED', (RETRY_SECONDS + 6) * 1000);
      expect(stepsOf(done, 'charge').map((s) => [s.attempt, s.budgetStart, s.status]))
        .toEqual([[1, 1, 'FAILED'], [2, 1, 'VOIDED'], [3, 2, 'SUCCEEDED']]);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:charge', 'DO:ship']);
    });

    it('terminates with compensation while a retry waits: the retry is voided and the undos start at once', async () => {
      const { flowId, retry, dueAt } = await startWaitingRetry();
      expect((await action(flowId, 'terminate').expect(202)).body.status).toBe('COMPENSATING');
      const run = await waitForRun(t, flowId, 'FAILED');
      expect(Date.now()).toBeLessThan(dueAt);
      expect(stepsOf(run, 'charge').map((s) => s.status)).toEqual(['FAILED', 'VOIDED']);
      await neverSent(flowId, retry.commandId, dueAt);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'UNDO:reserve']);
    });

    it('terminates without compensation while a retry waits: the retry is voided and never sent', async () => {
      const { flowId, retry, dueAt } = await startWaitingRetry();
      expect((await action(flowId, 'terminate', {}, '?compensate=false').expect(202)).body.status).toBe('TERMINATED');
      const run = await waitForRun(t, flowId, 'TERMINATED');
      expect(stepsOf(run, 'charge').map((s) => s.status)).toEqual(['FAILED', 'VOIDED']);
      await neverSent(flowId, retry.commandId, dueAt);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge']);
    });

    it('terminates without compensation with a retry waiting and a step in flight: one voided, the other abandoned, in one write', async () => {
      const { body, ship, retry } = await startWideWithWaitingRetry();
      expect((await action(body.flowId, 'terminate', {}, '?compensate=false').expect(202)).body.status).toBe('TERMINATED');
      const run = await waitForRun(t, body.flowId, 'TERMINATED');
      expect([stepsOf(run, 'charge').map((s) => s.status), stepsOf(run, 'ship').map((s) => s.status)]).toEqual([['FAILED', 'VOIDED'], ['ABANDONED']]);
      await worker.reply(ship, 'SUCCESS', { commandId: ship.commandId, attempt: ship.attempt });
      await neverSent(body.flowId, retry.commandId, Date.parse(String(retry.dispatchedAt)));
      expect(stepsOf(await waitForRun(t, body.flowId, 'TERMINATED'), 'ship').map((s) => s.status)).toEqual(['ABANDONED']);
    });

    it('a waiting retry the relay took already is not voided: it stays in flight, is not sent twice, and its result counts', async () => {
      const { flowId, retry } = await startWaitingRetry();
      const db = t.get(DataSource);
      // As the relay leases a row it is about to publish (pushing available_at out by the lease).
      await db.query(`UPDATE outbox SET leased_by = 'another-relay', available_at = now() + interval '1 minute' WHERE message_id = $1`,
        [retry.commandId]);
      await action(flowId, 'pause').expect(202);
      const paused = await waitForRun(t, flowId, 'PAUSED');
      expect(stepsOf(paused, 'charge').map((s) => s.status)).toEqual(['FAILED', 'DISPATCHED']);
      // Resumed with that retry still in flight: no second one is written.
      await action(flowId, 'resume').expect(202);
      // That relay gives the row back (its publish failed), and it goes out.
      await db.query('UPDATE outbox SET leased_by = NULL, available_at = now() WHERE message_id = $1', [retry.commandId]);
      const done = await waitForRun(t, flowId, 'COMPLETED');
      expect(stepsOf(done, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'SUCCEEDED']]);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:charge', 'DO:ship']);
    });

    /**
     * Has the database's clock run ahead of the engine's since the engine wrote a waiting retry
     * (startWaitingRetry: due in 4 s by the engine's clock), so that by the database's it is due in
     * `dueInMs`. PGlite reads the process's own clock (Date.now), so the engine's cannot be skewed
     * apart from it; moving the retry's due times back instead is the same to every check that
     * compares them with the database's clock, and leaves the engine's copy of the run (it decides
     * on the run it cached when it wrote the retry) as it was. Then runs `act` and resolves to how
     * many times a run's write was decided again meanwhile.
     */
    const withDatabaseClockAhead = async (retry: { commandId: string }, dueAt: number, dueInMs: number, act: () => Promise<unknown>) => {
      const db = t.get(DataSource);
      const due = `clock_timestamp() + $2::int * interval '1 millisecond'`;
      await db.query(`UPDATE outbox SET available_at = ${due} WHERE message_id = $1`, [retry.commandId, dueInMs]);
      await db.query(`UPDATE orchestration_step_run SET dispatched_at = ${due} WHERE command_id = $1`, [retry.commandId, dueInMs]);
      expect(dueAt - Date.now()).toBeGreaterThan(2_500); // by the engine's clock, far enough off to void
      const conflicts = async () => (await t.get(Metrics).writeConflicts.get()).values.reduce((n, v) => n + v.value, 0);
      const before = await conflicts();
      await act();
      return (await conflicts()) - before;
    };

    // The database's spare: the write voids a command only if it is due more than a second later by
    // the database's clock, whatever the engine's said, since the relay takes a row once it is due.
    it('pauses while a retry is due in 0.7 s by the database\'s clock, though in over 2 s by the engine\'s: it is not voided, goes out once and counts', async () => {
      const { flowId, retry, dueAt } = await startWaitingRetry();
      const conflicts = await withDatabaseClockAhead(retry, dueAt, 700, () => action(flowId, 'pause').expect(202));
      expect(conflicts).toBeGreaterThanOrEqual(1); // the engine voided it, the database refused, and it was decided again

      const paused = await waitForRun(t, flowId, 'PAUSED');
      expect(stepsOf(paused, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'DISPATCHED']]);
      const [row] = await t.get(DataSource).query('SELECT dropped_at FROM outbox WHERE message_id = $1', [retry.commandId]);
      expect(row.dropped_at).toBeNull();
      const recorded = await expectEventually(async () => {
        const run = await waitForRun(t, flowId, 'PAUSED');
        expect(stepsOf(run, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'SUCCEEDED']]);
        return run;
      });
      expect(recorded.allowedActions).toContain('resume');
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:charge']);

      await action(flowId, 'resume').expect(202);
      const done = await waitForRun(t, flowId, 'COMPLETED');
      expect(stepsOf(done, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'SUCCEEDED']]);
      expect(worker.commands.filter((c) => c.commandId === retry.commandId)).toHaveLength(1);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:charge', 'DO:ship']);
    });

    it('terminates with compensation while a retry is due in 0.7 s by the database\'s clock, though in over 2 s by the engine\'s: the undos wait for it', async () => {
      const { flowId, retry, dueAt } = await startWaitingRetry();
      const conflicts = await withDatabaseClockAhead(retry, dueAt, 700,
        async () => expect((await action(flowId, 'terminate').expect(202)).body.status).toBe('COMPENSATING'));
      expect(conflicts).toBeGreaterThanOrEqual(1);

      const run = await waitForRun(t, flowId, 'FAILED');
      expect(stepsOf(run, 'charge').map((s) => [s.attempt, s.status])).toEqual([[1, 'FAILED'], [2, 'SUCCEEDED']]);
      expect(worker.commands.filter((c) => c.commandId === retry.commandId)).toHaveLength(1);
      expect(worker.commandsFor(flowId)).toEqual(['DO:reserve', 'DO:charge', 'DO:charge', 'UNDO:charge', 'UNDO:reserve']);
    });

    it('a failure that starts compensation while a retry the relay took is in flight waits for it before undoing', async () => {
      const { body, ship, retry } = await startWideWithWaitingRetry();
      const db = t.get(DataSource);
      await db.query(`UPDATE outbox SET leased_by = 'another-relay', available_at = now() + interval '1 minute' WHERE message_id = $1`,
        [retry.commandId]);
      await worker.reply(ship, 'FAILED', { commandId: ship.commandId, attempt: ship.attempt });
      const compensating = await waitForRun(t, body.flowId, 'COMPENSATING');
      expect(stepsOf(compensating, 'charge').map((s) => s.status)).toEqual(['FAILED', 'DISPATCHED']);
      await new Promise((r) => setTimeout(r, 300));
      expect(worker.commandsFor(body.flowId).filter((c) => c.startsWith('UNDO'))).toEqual([]);

      await db.query('UPDATE outbox SET leased_by = NULL, available_at = now() WHERE message_id = $1', [retry.commandId]);
      const run = await waitForRun(t, body.flowId, 'FAILED');
      expect(stepsOf(run, 'charge').map((s) => s.status)).toEqual(['FAILED', 'SUCCEEDED']);
      expect(worker.commandsFor(body.flowId).filter((c) => c.startsWith('UNDO'))).toEqual(['UNDO:charge', 'UNDO:reserve']);
    });

    it('checks every input before acting', async () => {
      const { body } = await execute(t, 'careful', { failAt: 'charge' }).expect(202);
      await waitForRun(t, body.flowId, 'PAUSED');
      const id = body.flowId;
      expect((await action('00000000-0000-4000-8000-000000000000', 'pause').expect(404)).body.code).toBe('RUN_NOT_FOUND');
      expect((await action('not-a-uuid', 'pause').expect(400)).body.problems).toEqual([{ path: 'params.flowId', message: 'must be a UUID' }]);
      expect((await action(id, 'retry', { stepName: 'nope' }).expect(404)).body).toMatchObject({ code: 'STEP_NOT_FOUND',
        problems: [{ path: 'body.stepName', message: "the run's template has no step nope" }] });
      expect((await action(id, 'retry', { stepName: 'reserve' }).expect(409)).body.code).toBe('STEP_NOT_FAILED');
      await action(id, 'retry', { stepName: 'bad name!' }).expect(400);
      await action(id, 'pause', { output: 1 }).expect(400);
      await action(id, 'pause', { stepName: 'charge' }).expect(400);
      await action(id, 'skip', { output: { s: 'a\u0000b' } }).expect(400);
      await action(id, 'skip', { output: 'x'.repeat(70_000) }).expect(400);
      await action(id, 'skip', { reason: 'r'.repeat(1001) }).expect(400);
      await action(id, 'skip', { extra: true }).expect(400);
      await action(id, 'terminate', {}, '?compensate=maybe').expect(400);
      expect((await waitForRun(t, id, 'PAUSED')).events.filter((e) => e.kind.startsWith('OPERATOR_'))).toEqual([]);
    });
  });
}
