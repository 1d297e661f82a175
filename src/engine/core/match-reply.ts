import { type AttemptReference, findInFlight } from './in-flight';
import type { Attempt } from './plan';

/** Why a step result changes nothing, as counted in baton_replies_ignored_total{reason}. */
export type IgnoredReason = 'wrong-orch-name' | 'not-in-flight';

export type ReplyMatch<T> = { attempt: T } | { ignored: IgnoredReason };

/**
 * The attempt a result completes, or why it completes none. A result naming another template
 * than its run's is refused outright: the flowId alone must not let a reply meant for one
 * template complete a step of another that happens to share the step's name.
 */
export function matchReply<T extends Attempt & { commandId: string }>(
  run: { orchName: string; attempts: T[] },
  ref: AttemptReference & { orchName?: string },
): ReplyMatch<T> {
  if (ref.orchName !== undefined && ref.orchName !== run.orchName) return { ignored: 'wrong-orch-name' };
  const attempt = findInFlight(run.attempts, ref);
  return attempt ? { attempt } : { ignored: 'not-in-flight' };
}
