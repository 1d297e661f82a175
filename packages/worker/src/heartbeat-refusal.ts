import { BatonHttpError, HeldBackError } from './baton-client';
import { AttemptEndedError, HeartbeatRefusedError } from './errors';

/**
 * Why a heartbeat that failed means the handler's work is over, if it does: a 404 (Baton knows no
 * such command of the service: a newer attempt superseded it, or its run is gone) or a 401 or 403
 * (the worker's key revoked or expired, or no longer allowing the service). Anything else (no
 * answer, a 429, a 5xx) may pass in a moment and ends nothing. A heartbeat held back after another
 * request's 401 counts as that 401: every request of the worker carries the same key.
 */
export function heartbeatRefusal(error: unknown, attempt: number): AttemptEndedError | HeartbeatRefusedError | undefined {
  const answer = error instanceof HeldBackError ? error.refusal : error;
  if (!(answer instanceof BatonHttpError)) return undefined;
  if (answer.status === 404) return new AttemptEndedError(attempt, `it knows no such command of this service: ${answer.said}`);
  if (answer.status === 401 || answer.status === 403) return new HeartbeatRefusedError(attempt, answer.status, answer.said);
  return undefined;
}
