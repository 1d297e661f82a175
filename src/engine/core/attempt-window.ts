/**
 * How long an attempt of a worker step may go without news (from its dispatch, then from each
 * heartbeat): the step's timeout, or its heartbeatSeconds when it declares a shorter one, so that a
 * long step whose worker died is noticed after heartbeatSeconds rather than at its full timeout.
 */
export function attemptWindowSeconds(timeoutSeconds: number, heartbeatSeconds: number | null | undefined): number {
  return heartbeatSeconds ? Math.min(timeoutSeconds, heartbeatSeconds) : timeoutSeconds;
}
