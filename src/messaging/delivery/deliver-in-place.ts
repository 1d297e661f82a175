import type { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Metrics } from '../../metrics/metrics';
import type { IncomingMessage, MessageHandler, OutgoingMessage } from '../message';
import { deadLetterOf } from './dead-letter';
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
}

/** Acknowledged (handled or dead-lettered), or left unacknowledged because the consumer stopped. */
export type DeliveryOutcome = { acked: true } | { acked: false; nextAttempt: number };

const DEAD_LETTER_RETRY_MS = 1000;

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
        logDependencyWait(logger, message, error, outageRetries++);
      } else {
        outageRetries = 0;
        const failures = await options.onFailure?.(message);
        if (failures !== undefined && failures > message.deliveryAttempt) {
          // Earlier processes failed it too (they crashed or were replaced): their attempts count.
          message = { ...message, deliveryAttempt: failures };
          decision = decideAfterFailure(error, failures, options.maxDeliveries);
        }
        if (decision.action === 'dead-letter') return deadLetter(message, decision.reason, options);
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

async function deadLetter(
  message: IncomingMessage, reason: string, options: InPlaceDeliveryOptions,
): Promise<DeliveryOutcome> {
  const letter = deadLetterOf(message, reason);
  for (;;) {
    try {
      await options.deadLetter(letter);
      options.metrics.deadLettered.inc({ topic: message.topic });
      options.logger.warn(`Dead-lettered ${message.id} from ${message.topic} to ${letter.topic} after `
        + `${message.deliveryAttempt} attempt(s): ${reason}`);
      return { acked: true };
    } catch (error) {
      // The broker is unreachable: keep the message unacknowledged and try again, it must not be lost.
      options.logger.warn(`Could not dead-letter ${message.id} to ${letter.topic}: ${errorMessage(error)}`);
      if (options.stopping()) return { acked: false, nextAttempt: message.deliveryAttempt + 1 };
      await sleep(DEAD_LETTER_RETRY_MS);
      if (options.stopping()) return { acked: false, nextAttempt: message.deliveryAttempt + 1 };
    }
  }
}
