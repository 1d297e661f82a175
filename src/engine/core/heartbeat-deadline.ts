/**
 * The deadline a heartbeat gives its attempt: the step's timeout from now, never earlier than the
 * deadline it already has (a late, reordered heartbeat must not shorten it).
 */
export function heartbeatDeadline(now: Date, current: Date, timeoutSeconds: number): Date {
  return new Date(Math.max(current.getTime(), now.getTime() + timeoutSeconds * 1000));
}
