import { DataSource } from 'typeorm';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { Driver, serverSuite } from '../../helpers/server-env';
import { startRacePair } from '../../helpers/race-pair';
import type { TestApp } from '../../helpers/test-app';

const RUNS = 120;

/**
 * Two engine instances on one PostgreSQL and one broker share the reply topic (one consumer
 * group). A parallel flow makes replies of one run race across instances, and every reply is
 * sent twice. No run may be advanced twice for one event: each step is dispatched once, and each
 * run announces exactly RUNNING then COMPLETED.
 */
describe.each<Driver>(['rabbitmq', 'kafka'])('two engine instances sharing the work (%s)', (driver) => {
  const suite = serverSuite(driver);
  let a: TestApp;
  let b: TestApp;
  let events: Map<string, string[]>;

  beforeAll(async () => {
    ({ a, b, events } = await startRacePair(await suite.env()));
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  it(`completes ${RUNS} runs with no step dispatched twice and no transition applied twice`, async () => {
    const flowIds: string[] = [];
    for (let i = 0; i < RUNS; i++) {
      const res = await execute(i % 2 ? a : b, 'race', { duplicateReplies: true }).expect(202);
      flowIds.push(res.body.flowId);
    }
    const db = a.get(DataSource);
    await expectEventually(async () => {
      const [{ n }] = await db.query(`SELECT count(*)::int AS n FROM orchestration_run WHERE status = 'COMPLETED' AND flow_id = ANY($1)`, [flowIds]);
      expect(n).toBe(RUNS);
    }, { timeoutMs: 60_000, intervalMs: 200 });
    const perRun = await db.query(
      `SELECT flow_id, count(*)::int AS attempts FROM orchestration_step_run WHERE flow_id = ANY($1) GROUP BY flow_id`, [flowIds]);
    expect(perRun.every((r: { attempts: number }) => r.attempts === 3)).toBe(true);
    await expectEventually(() => {
      for (const id of flowIds) expect(events.get(id)).toEqual(['RUNNING', 'COMPLETED']);
    }, { timeoutMs: 10_000 });
    const total = async (t: TestApp, metric: string) => {
      const text = (await t.http.get('/metrics')).text;
      return [...text.matchAll(new RegExp(`${metric}\\{[^}]*\\} (\\d+)`, 'g'))].reduce((s, m) => s + Number(m[1]), 0);
    };
    // Both instances applied replies, and every duplicate was recognised by one of them and changed
    // nothing. At least one ignored per duplicate sent: a rebalance may redeliver more (at least once).
    expect(await total(a, 'baton_step_transitions_total')).toBeGreaterThan(0);
    expect(await total(b, 'baton_step_transitions_total')).toBeGreaterThan(0);
    expect((await total(a, 'baton_replies_ignored_total')) + (await total(b, 'baton_replies_ignored_total'))).toBeGreaterThanOrEqual(RUNS * 3);
  });
});
