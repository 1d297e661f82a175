import { withTimeout } from '@baton/worker/internal';
import type { Logger } from '@nestjs/common';
import type { Consumer } from 'kafkajs';
import { errorMessage } from '../../../common/errors/error-message';

/**
 * How long a stop waits for the offsets due to be committed: a broker that does not answer (frozen,
 * or a path that drops packets) holds a commit for kafkajs's request timeout (30 s), retried. An
 * offset left uncommitted only brings its message again, and processing is exactly once (inbound
 * messages deduplicated by Baton's own ids, a reply applied only to its attempt in flight): the
 * repeat is answered as a duplicate. The worker SDK's Kafka transport waits as long.
 */
export const COMMIT_WAIT_MS = 2_000;
/**
 * How long a stop waits for the consumer to leave its group. kafkajs's disconnect waits for the
 * fetch under way, the running batch and the group's answer, each a request retried against a
 * broker that does not answer: minutes. Past this the leave goes on in the background until the
 * driver's close() ends the client's connections, and the group drops the member once its session
 * expires. An idle consumer leaves within its fetch's 500 ms. With COMMIT_WAIT_MS a stop takes at
 * most 5 s (the SDK's bounds), well inside the 30 s Kubernetes grants before it kills.
 */
export const LEAVE_WAIT_MS = 3_000;

/**
 * Commits with `commit` (which never rejects), then disconnects `consumer`, each step bounded: one
 * that runs out is warned about as `name`'s and left to go on in the background.
 */
export async function stopWithin(
  consumer: Consumer | undefined, commit: () => Promise<void>, name: string, logger: Pick<Logger, 'warn'>,
): Promise<void> {
  // Before the leave: once out of its group, the consumer's commits are refused.
  await withTimeout(commit(), COMMIT_WAIT_MS, 'Committing offsets').catch(() => {
    logger.warn(`${name}: offsets not committed within ${COMMIT_WAIT_MS} ms, stopped without them: `
      + 'their messages come again, answered as duplicates');
  });
  if (!consumer) return;
  await withTimeout(consumer.disconnect(), LEAVE_WAIT_MS, 'Leaving the group').catch((error: unknown) => {
    logger.warn(`${name} did not leave its group (${errorMessage(error)}); stopped without it, `
      + 'the group drops it once its session expires');
  });
}
