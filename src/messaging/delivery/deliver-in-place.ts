import type { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import { withoutKeySecrets } from '../../auth/api-keys/api-key-format';
import type { Metrics } from '../../metrics/metrics';
import { deadLetterTopicOf, type IncomingMessage, type MessageHandler, type OutgoingMessage } from '../message';
import { publishDeadLetter } from './dead-letter';
import { type DependencyWaits, type MessageWait, UNTRACKED_WAIT } from './dependency-waits';
import { decideAfterFailure } from './failure-policy';
import { errorMessage } from '../../common/errors/error-message';

export interface InPlaceDeliveryOptions {
  maxDeliveries: number;
  metrics: Metrics;
  logger: Logger;
  /** Publishes a dead letter (to the broker, confirmed). */
  deadLetter: (message: OutgoingMessage) => Promise<void>;
  /** True once the consumer is stopping: no new attempt starts. */
  stopping: () => boolean;
  /**
   * After each failed attempt (not an outage): the Kafka driver records it against the message's
   * position and resolves to the failures in all, which may include an earlier process's.
   */
  onFailure?: (message: IncomingMessage) => Promise<number>;
  /** Where the consumer tells that this message waits out an outage (its ConsumerState's waitingSince). */
  waits?: DependencyWaits;
}

/** Acknowledged (handled or dead-lettered), or left unacknowledged because the consumer stopped. */
export type DeliveryOutcome = { acked: true } | { acked: false; nextAttempt: number };

const DEAD_LETTER_RETRY_MS = 1000;
/** Refusals of a dead letter (not an outage) before it is given up: a refusal that lasts is not worth a held partition. */
const LETTER_REFUSALS = 3;

/**
 * Runs the handler and, when it fails, runs it again on the spot with `deliveryAttempt` + 1 (after
 * a short pause), until it succeeds or the message is dead-lettered. Redelivering in place rather
 * than requeueing keeps the message ahead of the later messages with its key, so per-key order
 * survives failures (memory and Kafka drivers; Kafka cannot requeue anyway: it would have to seek
 * back and replay the whole partition). The caller acknowledges only on `acked`.
 */
export async function deliverInPlace(
  first: IncomingMessage, handler: MessageHandler, options: InPlaceDeliveryOptions,
): Promise<DeliveryOutcome> {
  const wait = options.waits?.forMessage() ?? UNTRACKED_WAIT;
  try {
    return await deliverUntilSettled(first, handler, options, wait);
  } finally {
    wait.over();
  }
}

async function deliverUntilSettled(
  first: IncomingMessage, handler: MessageHandler, options: InPlaceDeliveryOptions, wait: MessageWait,
): Promise<DeliveryOutcome> {
  const { metrics, logger } = options;
  let message = first;
  let outageRetries = 0;
  for (;;) {
    try {
      await handler(message);
      metrics.consumed.inc({ topic: message.topic });
      return { acked: true };
    } catch (error) {
      let decision = decideAfterFailure(error, message.deliveryAttempt, options.maxDeliveries, outageRetries);
      if (decision.action === 'wait-for-dependency') {
        wait.waiting();
        logDependencyWait(logger, message, error, outageRetries++);
      } else {
        wait.over();
        outageRetries = 0;
        const failures = await options.onFailure?.(message);
        if (failures !== undefined && failures > message.deliveryAttempt) {
          // Earlier processes failed it too (they crashed or were replaced): their attempts count.
          message = { ...message, deliveryAttempt: failures };
          decision = decideAfterFailure(error, failures, options.maxDeliveries);
        }
        if (decision.action === 'dead-letter') return deadLetterInPlace(message, decision.reason, options);
        metrics.redelivered.inc({ topic: message.topic });
        logger.debug(`Redelivering ${message.id} on ${message.topic} (attempt ${message.deliveryAttempt} failed: ${errorMessage(error)})`);
      }
      const unacked = { acked: false as const, nextAttempt: decision.action === 'redeliver' ? message.deliveryAttempt + 1 : message.deliveryAttempt };
      if (options.stopping()) return unacked;
      await sleep(decision.delayMs);
      if (options.stopping()) return unacked;
      message = { ...message, deliveryAttempt: unacked.nextAttempt };
    }
  }
}

/** Once per message and outage at warn level: the rest of the outage's retries are debug noise. */
export function logDependencyWait(logger: Logger, message: IncomingMessage, error: unknown, outageRetries: number): void {
  const line = `Dependency unavailable while handling ${message.id} on ${message.topic}: ${errorMessage(error)}; `
    + 'retrying without counting the attempt';
  if (outageRetries === 0) logger.warn(line);
  else logger.debug(line);
}

/**
 * Publishes the message's dead letter (cut down if the broker refuses it whole), waiting out an
 * outage and trying a refused letter again LETTER_REFUSALS times; then it is lost, logged and
 * counted, so the message is acknowledged and holds nothing behind it. Unacknowledged only when
 * the consumer stops meanwhile.
 */
export async function deadLetterInPlace(
  message: IncomingMessage, reason: string, options: Pick<InPlaceDeliveryOptions, 'logger' | 'metrics' | 'deadLetter' | 'stopping'>,
): Promise<DeliveryOutcome> {
  const { logger, metrics } = options;
  const unacked = { acked: false as const, nextAttempt: message.deliveryAttempt + 1 };
  for (let refusals = 1; ; refusals++) {
    try {
      const outcome = await publishDeadLetter(message, reason, options.deadLetter);
      // The reason may quote what the sender wrote (a header, a claim, the body): a credential in it is logged cut.
      const said = `${message.id} from ${message.topic} to ${outcome.letter.topic} after ${message.deliveryAttempt} attempt(s): ${withoutKeySecrets(reason)}`;
      if (outcome.sent === 'whole') logger.warn(`Dead-lettered ${said}`);
      else if (outcome.sent === 'cut') logger.warn(`Dead-lettered ${said}; cut to its first bytes (the broker refused it whole)`);
      if (outcome.sent !== 'none') {
        metrics.deadLettered.inc({ topic: message.topic });
        return { acked: true };
      }
      if (refusals >= LETTER_REFUSALS) {
        // Tried again it is refused again, for ever, and the message holds its partition: lost, said so, and counted.
        metrics.deadLettersLost.inc({ topic: message.topic });
        logger.error(`Could not dead-letter ${said}: the broker refused the letter ${refusals} times, whole and cut `
          + `(${errorMessage(outcome.error)}); acknowledged unpublished so the messages after it are not held`);
        return { acked: true };
      }
      logger.warn(`The broker refused the dead letter of ${message.id} (${errorMessage(outcome.error)}); trying again`);
    } catch (error) {
      // The broker is unreachable: keep the message unacknowledged and try again, it must not be lost.
      logger.warn(`Could not dead-letter ${message.id} to ${deadLetterTopicOf(message.topic)}: ${errorMessage(error)}`);
      refusals = 0;
    }
    if (options.stopping()) return unacked;
    await sleep(DEAD_LETTER_RETRY_MS);
    if (options.stopping()) return unacked;
  }
}
