/**
 * Whether the attempt a write completes (`$8`–`$10`) is still past its deadline by the database's clock.
 * A heartbeat moves the deadline without changing the run's version, so one that came after the
 * healer found the attempt overdue, and before the write timing it out, would be overridden: its
 * worker told to go on while the retry went out.
 */
const STILL_OVERDUE = `NOT EXISTS (SELECT 1 FROM orchestration_step_run WHERE flow_id = $1 AND step_name = $8 AND action = $9
         AND attempt = $10 AND deadline_at >= clock_timestamp())`;

/**
 * The run's own write (`… WHERE … RETURNING flow_id`) for a transition that times an attempt out:
 * it goes ahead only if the attempt is still overdue. Otherwise it fails as a lost race does, the
 * transition is decided again on a fresh read, and the attempt stays in flight.
 */
export function whileOverdue(runWrite: string): string {
  return runWrite.replace(/ RETURNING flow_id$/, ` AND ${STILL_OVERDUE} RETURNING flow_id`);
}
