import { randomUUID } from 'node:crypto';
import { StuckWorkRepository } from '../../../src/healing/stuck-work.repository';
import { EmbeddedDatabase, openEmbeddedDatabase } from '../../helpers/embedded-database';

/**
 * A built-in step's attempt is bounded by its job row (launch attempts, polls), not by the healer:
 * an OO flow paused for an operator may wait past the attempt's 30-day deadline, and a healer
 * time-out would retry the step, launching a second execution while the first still waits.
 */
describe('the healer\'s overdue attempts leave built-in steps to their job rows (embedded database)', () => {
  let db: EmbeddedDatabase;

  beforeAll(async () => {
    db = await openEmbeddedDatabase();
  }, 60_000);
  afterAll(() => db?.close());

  it('lists a worker attempt past its deadline, and none of the AWX, OO or http attempts past theirs', async () => {
    const flowId = randomUUID();
    await db.dataSource.query(
      `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type, correlation_id, payload_hash)
       VALUES ($1, 'mixed', gen_random_uuid(), 1, 'RUNNING', '\\x7b7d', 'application/json', 'c', 'h')`, [flowId]);
    // The built-in attempts are the most overdue: a query that ignored the handler would list them first.
    await db.dataSource.query(
      `INSERT INTO orchestration_step_run (flow_id, step_name, seq, action, attempt, command_id, status, handler_type, dispatched_at, deadline_at)
       VALUES ($1, 'approve', 1, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'oo', now() - interval '31 days', now() - interval '1 day'),
              ($1, 'provision', 2, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'awx', now() - interval '31 days', now() - interval '1 day'),
              ($1, 'notify', 3, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'http', now() - interval '31 days', now() - interval '1 day'),
              ($1, 'configure', 4, 'DO', 1, gen_random_uuid(), 'DISPATCHED', 'worker', now() - interval '2 hours', now() - interval '1 hour')`,
      [flowId]);

    const overdue = await new StuckWorkRepository(db.dataSource).overdueAttempts(10);

    expect(overdue.map((a) => [a.flowId, a.stepName, a.action, a.attempt])).toEqual([[flowId, 'configure', 'DO', 1]]);
  });
});
