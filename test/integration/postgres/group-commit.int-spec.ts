import { DataSource } from 'typeorm';
import { StatementPipeline } from '../../../src/database/statement-pipeline';
import { RunChanges, RunState } from '../../../src/engine/run-changes';
import { RunRepository } from '../../../src/engine/run.repository';
import { initiatorYaml } from '../../helpers/documents';
import { execute } from '../../helpers/runs';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, TestApp } from '../../helpers/test-app';

/**
 * Group commit on PostgreSQL 15: writes that wait for a write in flight go in one pipeline (one
 * round trip, one transaction), each still guarded by its own run's version, each caller with
 * its own result; a member that fails for its own reason fails alone.
 */
describe('transition writes committed together (PostgreSQL)', () => {
  const suite = serverSuite('memory');
  let t: TestApp;
  let runs: RunRepository;
  let db: DataSource;
  let pipelines: number[];

  beforeAll(async () => {
    t = await startTestApp({ ...(await suite.env()), HEALER_INTERVAL_MS: '600000' });
    runs = t.get(RunRepository);
    db = t.get(DataSource);
    await t.http.post('/api/orchestration/register').set('Content-Type', 'application/yaml').set('X-Service-Name', 'gc-service')
      .send(initiatorYaml('gcFlow')).expect(201);
  });
  afterAll(async () => {
    await t?.close();
    await suite.cleanup();
  });
  beforeEach(() => {
    pipelines = [];
    const submit = StatementPipeline.prototype.submit;
    jest.spyOn(StatementPipeline.prototype, 'submit').mockImplementation(function (this: StatementPipeline, connection) {
      pipelines.push(this.statements.length);
      return submit.call(this, connection);
    });
  });
  afterEach(() => jest.restoreAllMocks());

  async function newRuns(n: number): Promise<RunState[]> {
    const started = await Promise.all(Array.from({ length: n }, () => execute(t, 'gcFlow', {}).expect(202)));
    const loaded = await Promise.all(started.map(async (res) => (await runs.load(res.body.flowId))!));
    pipelines.length = 0;
    return loaded;
  }

  /** A transition that adds a line to the run's timeline and sends one message. */
  function changesFor(run: RunState, reason: string): RunChanges {
    const changes = new RunChanges();
    changes.event(run.flowId, 'GROUP_COMMIT_TEST', reason);
    changes.send([{ topic: 'gc.test', key: run.flowId, body: Buffer.from(reason) }]);
    return changes;
  }

  async function eventsOf(flowIds: string[]): Promise<Map<string, string[]>> {
    const rows: Array<{ flow_id: string; reason: string }> = await db.query(
      `SELECT flow_id, reason FROM run_event WHERE kind = 'GROUP_COMMIT_TEST' AND flow_id = ANY($1) ORDER BY id`, [flowIds]);
    const byRun = new Map<string, string[]>(flowIds.map((id) => [id, []]));
    for (const row of rows) byRun.get(row.flow_id)!.push(row.reason);
    return byRun;
  }

  it('writes the transitions that queue behind one in flight as one pipeline, each with its own result', async () => {
    const loaded = await newRuns(12);
    const results = await Promise.all(loaded.map((run, i) => runs.update(run, changesFor(run, `t${i}`))));
    expect(pipelines).toEqual([11]);
    expect(results.map((r) => r.written)).toEqual(loaded.map(() => true));
    results.forEach((r, i) => {
      expect(r.messages).toHaveLength(1);
      expect(r.messages[0]).toMatchObject({ key: loaded[i].flowId, body: Buffer.from(`t${i}`) });
    });
    expect(new Set(results.map((r) => r.messages[0].id)).size).toBe(12);
    const events = await eventsOf(loaded.map((r) => r.flowId));
    loaded.forEach((run, i) => expect(events.get(run.flowId)).toEqual([`t${i}`]));
    const versions: Array<{ version: number }> = await db.query(
      'SELECT version FROM orchestration_run WHERE flow_id = ANY($1)', [loaded.map((r) => r.flowId)]);
    expect(versions.map((v) => v.version)).toEqual(loaded.map((r) => r.version + 1));
  });

  it('refuses a member guarded by a stale version, and only that one', async () => {
    const loaded = await newRuns(6);
    const stale = { ...loaded[3], version: loaded[3].version - 1 };
    const writes = loaded.map((run, i) => (i === 3 ? stale : run));
    const results = await Promise.all(writes.map((run, i) => runs.update(run, changesFor(run, `s${i}`))));
    expect(pipelines).toEqual([5]);
    expect(results.map((r) => r.written)).toEqual([true, true, true, false, true, true]);
    expect(results[3].messages).toEqual([]);
    const events = await eventsOf(loaded.map((r) => r.flowId));
    expect(events.get(loaded[3].flowId)).toEqual([]);
    expect(events.get(loaded[4].flowId)).toEqual(['s4']);
  });

  it('writes the others of a batch alone when one member fails for its own reason, and fails only that one', async () => {
    // The pipeline runs its members in flow-id order: the duplicate, on the last id, fails after the
    // others ran, so their writes must be rolled back with it (or they would be refused when written again alone).
    const [other, ...loaded] = (await newRuns(6)).sort((a, b) => (a.flowId < b.flowId ? 1 : -1));
    const template: Array<{ status: string }> = await db.query('SELECT status FROM orchestration_template WHERE id = $1', [loaded[0].templateId]);
    // A second run with an existing run's id: its INSERT violates the primary key. The first update
    // goes alone; the rest queue behind it, the duplicate among them.
    const first = runs.update(loaded[0], changesFor(loaded[0], 'f0'));
    const duplicate = runs.create({
      ...other, idempotencyKey: null, payloadHash: 'x', expirySeconds: null, deadlineSeconds: null, onDeadline: null, traceContext: null,
    }, template[0].status, changesFor(other, 'duplicate'));
    const updates = [first, ...loaded.slice(1).map((run, i) => runs.update(run, changesFor(run, `f${i + 1}`)))];
    const [failed, ...results] = await Promise.allSettled([duplicate, ...updates]);
    expect(failed.status).toBe('rejected');
    expect(String((failed as PromiseRejectedResult).reason)).toMatch(/duplicate key/);
    expect(results.map((r) => r.status === 'fulfilled' && r.value.written)).toEqual([true, true, true, true, true]);
    expect(pipelines).toEqual([5]);
    const events = await eventsOf(loaded.map((r) => r.flowId));
    loaded.forEach((run, i) => expect(events.get(run.flowId)).toEqual([`f${i}`]));
    expect((await eventsOf([other.flowId])).get(other.flowId)).toEqual([]);
  });
});
