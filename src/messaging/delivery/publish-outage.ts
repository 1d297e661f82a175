import { TimeoutError } from '@baton/worker';
import { isInfrastructureError } from '../../common/errors/infrastructure-error';

/**
 * Whether a failed publish says the broker is unreachable or busy (try everything again later)
 * rather than that it refused these messages: a connection or database failure
 * (isInfrastructureError), a send that got no answer in time (the drivers' withTimeout), or an
 * error kafkajs marks retriable (a leader moving, a connection closed), also as the cause of its
 * "retries exceeded". Anything else may be the broker refusing these messages (a topic Baton may
 * not create or write, a message over a size limit): the outbox sets such rows apart
 * (isolateRefusals), a dead letter is cut down (publishDeadLetter).
 */
export function isPublishOutage(error: unknown): boolean {
  if (isInfrastructureError(error)) return true;
  for (let e: unknown = error, depth = 0; e && typeof e === 'object' && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    if (e instanceof TimeoutError || (e as { retriable?: unknown }).retriable === true) return true;
  }
  return false;
}
