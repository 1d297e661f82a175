import { WRITTEN } from './run-write-statement';

/**
 * The parts of a run's write that void attempts not sent yet (attemptsToVoid), with their
 * commands: a worker's waits in the outbox (its message id is its commandId), a built-in step's
 * as a job row not launched yet, and a worker step with nowhere to go has neither. `$15` holds
 * the attempts' command ids, `$16` why they were voided.
 *
 * A command is voided only if it is still waiting by the database's clock, with a second to
 * spare (half VOID_MARGIN_MS), and neither the relay nor the job runner has taken it. One that
 * was taken after all (in the instant since the decision, or by a clock that disagrees with the
 * engine's) goes out, and its attempt stays in flight: the run's write goes ahead regardless,
 * `voided` then counts fewer than asked, and the executor drops its cached copy of the run. The
 * attempt's result is then applied like that of any attempt in flight when the run stopped.
 */
const SPARE = `now() + interval '1 second'`;

export const VOID_PARTS = [
  { name: 'voided_messages', sql: `UPDATE outbox SET sent_at = now(), dropped_at = now()
       WHERE message_id = ANY($15::uuid[]) AND sent_at IS NULL AND available_at > created_at
         AND leased_by IS NULL AND available_at > ${SPARE} AND ${WRITTEN}
       RETURNING message_id AS command_id` },
  { name: 'voided_jobs', sql: `UPDATE job_execution SET status = 'FAILED', error = $16, completed_at = now(), reported_at = now(),
         next_launch_at = NULL, next_poll_at = NULL, version = version + 1
       WHERE command_id = ANY($15::uuid[]) AND reported_at IS NULL AND version = 0 AND launch_attempts = 0
         AND ((status = 'PENDING_LAUNCH' AND next_launch_at > ${SPARE}) OR (status = 'CANCELLING' AND next_poll_at > ${SPARE}))
         AND ${WRITTEN}
       RETURNING command_id` },
  { name: 'voided', sql: `UPDATE orchestration_step_run SET status = 'VOIDED', error = $16, completed_at = now()
       WHERE flow_id = $1 AND command_id = ANY($15::uuid[]) AND status = 'DISPATCHED' AND ${WRITTEN}
         AND (target IS NULL OR command_id IN (SELECT command_id FROM voided_messages UNION ALL SELECT command_id FROM voided_jobs))
       RETURNING 1` },
];

export const VOIDED_COUNT = { alias: 'voided', sql: '(SELECT count(*)::int FROM voided)' };
