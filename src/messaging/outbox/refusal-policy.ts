/**
 * What the relay does with a row the broker refused while it took others in the same pass (see
 * isolateRefusals): its own fault, not an outage's. Tried again later, each time later still, so
 * a refusal that an operator fixes (an ACL, a topic's max.message.bytes) lets it go out; parked
 * after MAX_REFUSALS, so one that is never fixed costs a few tries, not a retry on every pass.
 */
export const MAX_REFUSALS = 5;
const FIRST_RETRY_MS = 5_000;
const MAX_RETRY_MS = 300_000;

export type RefusalVerdict = { park: true } | { park: false; retryInMs: number };

/** After one more refusal of a row refused `before` times so far: 5 s, 10 s, 20 s, 40 s, then parked (about 75 s in all). */
export function afterRefusal(before: number): RefusalVerdict {
  const refusals = before + 1;
  if (refusals >= MAX_REFUSALS) return { park: true };
  return { park: false, retryInMs: Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** (refusals - 1)) };
}
