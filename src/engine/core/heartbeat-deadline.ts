/**
 * The deadline a heartbeat gives its attempt: `windowSeconds` from now, never earlier than the
 * deadline it already has (a late, reordered heartbeat must not shorten it), and never past `cap`
 * when there is one: a step that declares `heartbeatSeconds` is bounded as a whole by its
 * `timeoutSeconds` from dispatch, so heartbeats prove its worker alive without extending it for ever.
 */
export function heartbeatDeadline(now: Date, current: Date, windowSeconds: number, cap?: Date): Date {
  const moved = now.getTime() + windowSeconds * 1000;
  return new Date(Math.max(current.getTime(), cap === undefined ? moved : Math.min(moved, cap.getTime())));
}
