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

/** Whether `work` (each settles without rejecting, or is idle) settled within STOP_WAIT_MS. */
export function settledInTime(work: Array<Promise<unknown> | undefined>): Promise<boolean> {
  return withTimeout(Promise.all(work), STOP_WAIT_MS, 'Stopping the outbox relay').then(() => true, () => false);
}
