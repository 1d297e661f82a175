import { WRITTEN } from './run-write-statement';

/**
 * The parts of a run's write that void attempts not sent yet (attemptsToVoid), with their
 * commands: a worker's waits in the outbox (its message id is its commandId), a built-in step's
 * as a job row not launched yet, and a worker step with nowhere to go has neither. `$16` holds
 * the attempts' command ids, `$17` why they were voided, `$15` the transition's time (RunChanges.at).
 * The same parts withdraw the command of an attempt that the write completes instead (a reply
 * that came before it was sent: RunChanges.withdrawn), under the same guard.
 *
 * The run's own write goes ahead only if every one of them is still waiting, by the database's
 * clock (clock_timestamp: in a batch of writes, now() is the batch's start) with a second to spare
 * (half VOID_MARGIN_MS), and neither the relay nor the job runner has taken it: the decision took
 * them as voided (a compensating run undoes at once), so a write that finds one taken fails, and
 * the transition is decided again on a fresh read, which sees it in flight. The relay and the job
 * runner take a row only once it is due, so between that check and the update, in the same
 * statement, a row can only be taken if the statement stalls for that second; an attempt whose
 * command went out so is left in flight (abandoned instead, if the run is terminated:
 * attemptsToAbandon), `voided` counts fewer than asked (`withdrawn`, for the attempt completed),
 * and the executor drops its cached copy of the run, saying so (lostVoids).
 */
const SPARE = `clock_timestamp() + interval '1 second'`;
/** Whether a command (`id`: its commandId, or an expression for several) still waits in the outbox, voidable. */
const messageWaiting = (id: string) => `message_id ${id} AND sent_at IS NULL AND available_at > created_at
         AND leased_by IS NULL AND available_at > ${SPARE}`;
/** Whether a built-in step's command still waits as a job row never claimed, voidable. */
const jobWaiting = (id: string) => `command_id ${id} AND reported_at IS NULL AND version = 0 AND launch_attempts = 0
         AND ((status = 'PENDING_LAUNCH' AND next_launch_at > ${SPARE}) OR (status = 'CANCELLING' AND next_poll_at > ${SPARE}))`;
const MESSAGE_WAITING = messageWaiting('= ANY($16::uuid[])');
const JOB_WAITING = jobWaiting('= ANY($16::uuid[])');
const NOWHERE_TO_GO = `flow_id = $1 AND command_id = ANY($16::uuid[]) AND status = 'DISPATCHED' AND target IS NULL`;

/**
 * For the read of a run (alias `s` for its step run): the attempt's due time in ms, only while
 * its command is voidable by the write's own rules, two seconds ahead (VOID_MARGIN_MS) by the
 * database's clock. After a write whose void failed, the fresh read so sees the attempt in flight,
 * whatever the engine's clock says and whatever became of its command, and is not voided again.
 */
export const VOIDABLE_DUE_AT = `CASE WHEN s.status = 'DISPATCHED' AND s.dispatched_at > clock_timestamp() + interval '2 seconds' THEN
              CASE WHEN s.target IS NULL OR EXISTS (SELECT 1 FROM outbox WHERE ${messageWaiting('= s.command_id')})
                OR EXISTS (SELECT 1 FROM job_execution WHERE ${jobWaiting('= s.command_id')})
              THEN extract(epoch FROM s.dispatched_at) * 1000 END END`;

/** Appended to the run's own write's WHERE: every attempt to void is still waiting. */
export const ALL_STILL_WAITING = `(SELECT count(*) FROM outbox WHERE ${MESSAGE_WAITING})
         + (SELECT count(*) FROM job_execution WHERE ${JOB_WAITING})
         + (SELECT count(*) FROM orchestration_step_run WHERE ${NOWHERE_TO_GO}) = cardinality($16::uuid[])`;

export const VOID_PARTS = [
  { name: 'voided_messages', sql: `UPDATE outbox SET sent_at = now(), dropped_at = now()
       WHERE ${MESSAGE_WAITING} AND ${WRITTEN} RETURNING message_id AS command_id` },
  { name: 'voided_jobs', sql: `UPDATE job_execution SET status = 'FAILED', error = $17, completed_at = $15::timestamptz, reported_at = now(),
         next_launch_at = NULL, next_poll_at = NULL, version = version + 1
       WHERE ${JOB_WAITING} AND ${WRITTEN} RETURNING command_id` },
  // Not the attempt the write completes ($8-$10), whose command it withdraws (RunChanges.withdrawn): one part may not update a row another part updates.
  { name: 'voided', sql: `UPDATE orchestration_step_run SET status = 'VOIDED', error = $17, completed_at = $15::timestamptz
       WHERE flow_id = $1 AND command_id = ANY($16::uuid[]) AND status = 'DISPATCHED' AND ${WRITTEN}
         AND (step_name, action, attempt) IS DISTINCT FROM ($8, $9, $10)
         AND (target IS NULL OR command_id IN (SELECT command_id FROM voided_messages UNION ALL SELECT command_id FROM voided_jobs))
       RETURNING command_id` },
];

export const VOIDED_COUNT = { alias: 'voided', sql: '(SELECT count(*)::int FROM voided)' };

/** Whether the attempt's command was dropped by VOID_PARTS (or it had none: nowhere to go), not sent meanwhile. */
const DROPPED = `(target IS NULL OR command_id IN (SELECT command_id FROM voided_messages UNION ALL SELECT command_id FROM voided_jobs))`;

/**
 * The completion of an attempt whose command the write withdraws (RunChanges.withdrawn), as
 * COMPLETE_STEP's, except that it never went out: its record starts no later than it ends (its
 * retry's due time may be minutes ahead), and has no deadline beyond it, as a skipped or owed
 * attempt's, which is how the API tells it never went out. A command the relay took meanwhile
 * (lostVoids) keeps its times: it was sent. After VOID_PARTS, whose results it reads; it returns
 * its command for WITHDRAWN_COUNT.
 */
export const COMPLETE_WITHDRAWN = `UPDATE orchestration_step_run SET status = $11, output = $12, error = $13, completed_at = $15::timestamptz,
         dispatched_at = CASE WHEN ${DROPPED} THEN LEAST(dispatched_at, $15::timestamptz) ELSE dispatched_at END,
         deadline_at = CASE WHEN ${DROPPED} THEN LEAST(deadline_at, $15::timestamptz) ELSE deadline_at END
       WHERE flow_id = $1 AND step_name = $8 AND action = $9 AND attempt = $10 AND ${WRITTEN} RETURNING command_id, target`;

/** 1 when the withdrawn command was dropped (or there was none: nowhere to go), 0 when it went out meanwhile. */
export const WITHDRAWN_COUNT = { alias: 'withdrawn', sql: `(SELECT count(*)::int FROM completed WHERE ${DROPPED})` };
