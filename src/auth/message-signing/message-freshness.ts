/**
 * How far a message's signing time may be off Baton's clock, either way: senders' clocks drift.
 * The same tolerance as for JWTs (jose's clockTolerance), so both kinds of message age alike.
 */
export const CLOCK_SKEW_SECONDS = 30;

/**
 * Why a message signed at `signedAt` (Unix seconds) may no longer be acted on at `nowMs`, or
 * undefined when it is fresh. A window bounds replay: a signed message captured from the broker's
 * log can be published again only until it is `maxAgeSeconds` old.
 */
export function stalenessOf(signedAt: number, nowMs: number, maxAgeSeconds: number): string | undefined {
  const age = Math.floor(nowMs / 1000) - signedAt;
  if (age - CLOCK_SKEW_SECONDS > maxAgeSeconds) {
    return `signed ${age} s ago, more than MESSAGE_SIGNATURE_MAX_AGE_SECONDS=${maxAgeSeconds} and the ${CLOCK_SKEW_SECONDS} s clock skew allowed`;
  }
  if (-age > CLOCK_SKEW_SECONDS) return `signed ${-age} s in the future, more than the ${CLOCK_SKEW_SECONDS} s clock skew allowed`;
  return undefined;
}
