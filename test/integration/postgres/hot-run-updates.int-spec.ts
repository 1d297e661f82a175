import { DataSource } from 'typeorm';
import { RunChanges } from '../../../src/engine/run-changes';
import { RunRepository } from '../../../src/engine/run.repository';
import { initiatorYaml } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { execute } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, TestApp } from '../../helpers/test-app';

/**
 * What the schema spec checks statically (no run index uses a column a step's transition writes),
 * measured on PostgreSQL 15 itself: a transition that leaves a run's status updates its row in
 * place (a HOT update), writing none of the run table's indexes. With `updated_at` back in the
 * status index, none would be.
 */
describe('run rows updated in place (PostgreSQL)', () => {
  const suite = serverSuite('memory');
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ ...(await suite.env()), HEALER_INTERVAL_MS: '600000' });
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'hot-service')
      .send(initiatorYaml('hotFlow')).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });

  /** This database's counts, as the engine's connections last reported them (a backend reports within 10 s of going idle). */
  async function runUpdates(): Promise<{ updates: number; inPlace: number }> {
    const db = t.get(DataSource);
    await db.query('SELECT pg_stat_clear_snapshot()');
    const [row] = await db.query(
      `SELECT n_tup_upd::int AS updates, n_tup_hot_upd::int AS "inPlace" FROM pg_stat_user_tables WHERE relname = 'orchestration_run'`);
    return row;
  }

  it("writes no index when a step's transition leaves the run's status", async () => {
    const runs = t.get(RunRepository);
    const started = await Promise.all(Array.from({ length: 10 }, () => execute(t, 'hotFlow', {}).expect(202)));
    const before = await runUpdates();
    let written = 0;
    for (const { body } of started) {
      let run = (await runs.load(body.flowId))!;
      for (let step = 0; step < 3; step++) {
        const changes = new RunChanges();
        changes.event(run.flowId, 'HOT_TEST', `step ${step}`);
        expect((await runs.update(run, changes)).written).toBe(true);
        run = { ...run, version: run.version + 1 };
        written++;
      }
    }
    const after = await expectEventually(async () => {
      const now = await runUpdates();
      expect(now.updates - before.updates).toBeGreaterThanOrEqual(written);
      return now;
    }, { timeoutMs: 20_000, intervalMs: 250 });
    const updates = after.updates - before.updates;
    const inPlace = after.inPlace - before.inPlace;
    // Not all: a page whose free space is used up moves the next version elsewhere until pruned.
    expect(inPlace / updates).toBeGreaterThanOrEqual(0.8);
  }, 40_000);
});
