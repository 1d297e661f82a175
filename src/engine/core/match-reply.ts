import { type AttemptReference, findInFlight } from './in-flight';
import type { Attempt } from './plan';
import { VOID_MARGIN_MS } from './void-waiting';

/** Why a step result changes nothing, as counted in baton_replies_ignored_total{reason}. */
export type IgnoredReason = 'wrong-orch-name' | 'not-in-flight';

/**
 * `withdraws`: the attempt's command has not gone out yet, and can still be dropped in the write
 * that completes it (as a void is: attemptsToVoid's margin).
 */
export type ReplyMatch<T> = { attempt: T; withdraws?: true } | { ignored: IgnoredReason };

/**
 * The attempt a result completes, or why it completes none. A result naming another template
 * than its run's is refused outright: the flowId alone must not let a reply meant for one
 * template complete a step of another that happens to share the step's name.
 *
 * A result in the original format (no attempt, no commandId) that finds the step's retry still
 * waiting out its backoff answers the attempt before it (timed out by the healer, its reply late):
 * the worker ran the step. It completes the retry, whose command is then withdrawn, so that the
 * worker does not run the step again after the backoff and its outcome is the step's. A retry too
 * close to its time to be withdrawn is completed as the attempt in flight, as any such result is.
 */
export function matchReply<T extends Attempt & { commandId: string }>(
  run: { orchName: string; attempts: T[] },
  ref: AttemptReference & { orchName?: string },
  now: number,
): ReplyMatch<T> {
  if (ref.orchName !== undefined && ref.orchName !== run.orchName) return { ignored: 'wrong-orch-name' };
  const attempt = findInFlight(run.attempts, ref);
  if (!attempt) return { ignored: 'not-in-flight' };
  const unnumbered = ref.attempt === undefined && ref.commandId === undefined;
  return unnumbered && (attempt.dueAt ?? 0) > now + VOID_MARGIN_MS ? { attempt, withdraws: true } : { attempt };
}
