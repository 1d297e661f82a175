import { DataSource } from 'typeorm';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startRacePair } from '../../helpers/race-pair';
import type { TestApp } from '../../helpers/test-app';
import type { TestWorker } from '../../helpers/test-worker';

const RUNS = 40;

/**
 * Two engine instances on one PostgreSQL and one RabbitMQ. Operator actions sent to one instance
 * race with replies (each sent twice) applied by both: every action and every reply goes through
 * the same version-guarded write, so no run is advanced twice. Each step's DO is sent once, each
 * succeeded step is undone at most once, and no status event repeats.
 */
describe('operator actions racing with replies on two engine instances (rabbitmq)', () => {
  const suite = serverSuite('rabbitmq');
  let a: TestApp;
  let b: TestApp;
  let worker: TestWorker;
  let db: DataSource;
  let events: Map<string, string[]>;

  beforeAll(async () => {
    ({ a, b, worker, events } = await startRacePair(await suite.env()));
    db = a.get(DataSource);
  });
  afterAll(async () => {
    worker?.release();
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  const attemptsOf = async (flowIds: string[]) => db.query<Array<{ step_name: string; action: string; n: number; statuses: string[] }>>(
    `SELECT flow_id, step_name, action, count(*)::int AS n, array_agg(status) AS statuses FROM orchestration_step_run
     WHERE flow_id = ANY($1) GROUP BY flow_id, step_name, action`, [flowIds]);
  const settled = (flowIds: string[], statuses: string[]) => expectEventually(async () => {
    const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM orchestration_run WHERE status = ANY($2) AND flow_id = ANY($1)`,
      [flowIds, statuses]);
    expect(n).toBe(flowIds.length);
  }, { timeoutMs: 60_000, intervalMs: 200 });
  /**
   * Status events of one run may arrive out of order (two instances publish them), so they are
   * counted: each transition announced once means one RUNNING per start or resume, one PAUSED per
   * recorded pause, one COMPENSATING per recorded terminate, and one end.
   */
  const announcedOnce = async (flowIds: string[]) => {
    const actions: Array<{ flow_id: string; kind: string; n: number }> = await db.query(
      `SELECT flow_id, kind, count(*)::int AS n FROM run_event WHERE flow_id = ANY($1) GROUP BY flow_id, kind`, [flowIds]);
    const recorded = (id: string, kind: string) => actions.find((r) => r.flow_id === id && r.kind === kind)?.n ?? 0;
    await expectEventually(() => {
      for (const id of flowIds) {
        const count = (status: string) => (events.get(id) ?? []).filter((s) => s === status).length;
        expect([id, count('PAUSED')]).toEqual([id, recorded(id, 'OPERATOR_PAUSE')]);
        expect([id, count('RUNNING')]).toEqual([id, 1 + recorded(id, 'OPERATOR_RESUME')]);
        expect([id, count('COMPENSATING')]).toEqual([id, recorded(id, 'OPERATOR_TERMINATE')]);
        expect([id, count('COMPLETED') + count('FAILED')]).toEqual([id, 1]);
      }
    }, { timeoutMs: 10_000 });
  };

  it(`pauses and resumes ${RUNS} runs on the other instance mid-flight: each step runs once, every run completes`, async () => {
    // The first run waits on its held step z, so a pause lands on it whatever the timing; the
    // others race with their replies, and their pauses and resumes may each come too late (409).
    const { body: first } = await execute(a, 'race', { duplicateReplies: true, heldAt: 'z' }).expect(202);
    await expectEventually(() => expect(worker.commandsFor(first.flowId)).toContain('DO:z'));
    await b.http.post(`/api/orchestration/runs/${first.flowId}/pause`).send({}).expect(202);
    await a.http.post(`/api/orchestration/runs/${first.flowId}/resume`).send({}).expect(202);
    worker.release();
    const flowIds = [first.flowId as string];
    for (let i = 1; i < RUNS; i++) {
      const { body } = await execute(a, 'race', { duplicateReplies: true }).expect(202);
      flowIds.push(body.flowId);
      const paused = await b.http.post(`/api/orchestration/runs/${body.flowId}/pause`).send({});
      expect([202, 409]).toContain(paused.status);
      const resumed = await a.http.post(`/api/orchestration/runs/${body.flowId}/resume`).send({});
      expect([202, 409]).toContain(resumed.status);
    }
    await settled(flowIds, ['COMPLETED']);
    const attempts = await attemptsOf(flowIds);
    expect(attempts.length).toBe(RUNS * 3);
    expect(attempts.every((r) => r.action === 'DO' && r.n === 1)).toBe(true);
    await announcedOnce(flowIds);
  });

  it(`terminates ${RUNS} runs on the other instance as replies arrive: each succeeded step is undone once`, async () => {
    // As above, the first run is held so that one termination lands whatever the timing.
    const { body: first } = await execute(a, 'race', { duplicateReplies: true, heldAt: 'z' }).expect(202);
    await expectEventually(() => expect(worker.commandsFor(first.flowId)).toContain('DO:z'));
    await b.http.post(`/api/orchestration/runs/${first.flowId}/terminate`).send({ reason: 'race' }).expect(202);
    worker.release();
    const flowIds = [first.flowId as string];
    for (let i = 1; i < RUNS; i++) {
      const { body } = await execute(a, 'race', { duplicateReplies: true }).expect(202);
      flowIds.push(body.flowId);
      const res = await b.http.post(`/api/orchestration/runs/${body.flowId}/terminate`).send({ reason: 'race' });
      expect([202, 409]).toContain(res.status);
    }
    await settled(flowIds, ['FAILED', 'COMPLETED']);
    const attempts = await attemptsOf(flowIds);
    expect(attempts.every((r) => r.n === 1)).toBe(true);
    const dos = attempts.filter((r) => r.action === 'DO');
    const undos = attempts.filter((r) => r.action === 'UNDO');
    expect(dos.length).toBe(RUNS * 3);
    const [{ n: failed }] = await db.query(`SELECT count(*)::int AS n FROM orchestration_run WHERE status = 'FAILED' AND flow_id = ANY($1)`, [flowIds]);
    expect(failed).toBeGreaterThan(0);
    // Every step of a terminated run succeeded (the worker never fails), so each is undone exactly once.
    expect(undos.length).toBe(failed * 3);
    await announcedOnce(flowIds);
  });
});
