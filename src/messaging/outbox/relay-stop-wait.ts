import { withTimeout } from '@baton/worker/internal';

/**
 * How long the relay's stop waits for a publish under way, which a broker that does not answer
 * holds for the drivers' 30 s send timeout. The grace period is the drain plus about 10 s (README,
 * Operations): the consumers' stop takes up to 5 s, the connection's close 2 s. A row cut short
 * stays unmarked and goes out again as the same message: the SDK answers a command it ran from its
 * result store (idempotency key), Baton's job handlers take a commandId once (a unique index), and
 * event consumers deduplicate by x-message-id.
 */
export const STOP_WAIT_MS = 3_000;

/**
 * Whether the work `running` returns (each promise settles without rejecting, or is idle) was all
 * done within STOP_WAIT_MS. Asked again whenever what it returned settled: work may start while
 * this waits (rows handed over to the fast path by a request or a handler still running), and
 * work started late is waited for too, within the same deadline.
 */
export async function settledInTime(running: () => Array<Promise<unknown> | undefined>): Promise<boolean> {
  const deadline = Date.now() + STOP_WAIT_MS;
  for (let work = running(); work.some(Boolean); work = running()) {
    const left = deadline - Date.now();
    if (left <= 0) return false;
    const settled = await withTimeout(Promise.all(work), left, 'Stopping the outbox relay').then(() => true, () => false);
    if (!settled) return false;
  }
  return true;
}
