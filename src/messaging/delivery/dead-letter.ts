import { createHash } from 'node:crypto';
import { fitText } from '../../common/validation/fit-text';
import {
  DEAD_LETTER_REASON_HEADER, DELIVERY_ATTEMPTS_HEADER, deadLetterTopicOf, IncomingMessage, MESSAGE_ID_HEADER,
  ORIGINAL_TOPIC_HEADER, OutgoingMessage,
} from '../message';
import { isPublishOutage } from './publish-outage';

/** A reason is a line for an operator, not a copy of the message: a long one could push the letter over the broker's limit. */
const MAX_REASON_LENGTH = 1000;
/** What a cut letter keeps of the body: enough to recognise the message, far below any broker's limit. */
export const CUT_BODY_BYTES = 64 * 1024;
/** On a cut letter: how much of the body it kept (`65536 of 1048576 bytes`), and the whole body's SHA-256 (hex). */
export const DEAD_LETTER_CUT_HEADER = 'x-dead-letter-body-cut';
export const DEAD_LETTER_SHA256_HEADER = 'x-dead-letter-body-sha256';

/**
 * The message every driver publishes to `deadLetterTopicOf(topic)`: the original key, body and
 * headers, plus why it failed (bounded), where it came from and how often it was tried. The
 * message id travels along so an operator can correlate (or replay) it.
 */
export function deadLetterOf(message: IncomingMessage, reason: string): OutgoingMessage {
  return {
    topic: deadLetterTopicOf(message.topic),
    key: message.key,
    body: message.body,
    headers: {
      ...message.headers,
      [MESSAGE_ID_HEADER]: message.headers[MESSAGE_ID_HEADER] ?? message.id,
      [DEAD_LETTER_REASON_HEADER]: fitText(reason, MAX_REASON_LENGTH),
      [ORIGINAL_TOPIC_HEADER]: message.topic,
      [DELIVERY_ATTEMPTS_HEADER]: String(message.deliveryAttempt),
    },
  };
}

/**
 * The letter with only the first CUT_BODY_BYTES of the body, saying so: sent when the broker
 * refused the whole one (a message near its size limit, or one it had stored compressed, grows
 * past the limit with the letter's headers).
 */
export function cutDeadLetterOf(message: IncomingMessage, reason: string): OutgoingMessage {
  const letter = deadLetterOf(message, reason);
  const kept = message.body.subarray(0, CUT_BODY_BYTES);
  return {
    ...letter,
    body: kept,
    headers: {
      ...letter.headers,
      [DEAD_LETTER_CUT_HEADER]: `${kept.length} of ${message.body.length} bytes`,
      [DEAD_LETTER_SHA256_HEADER]: createHash('sha256').update(message.body).digest('hex'),
    },
  };
}

/** How a dead letter went: whole, cut (the broker refused the whole one), or lost (it refused both, `error` the last refusal). */
export type DeadLetterOutcome = { sent: 'whole' | 'cut'; letter: OutgoingMessage } | { sent: 'none'; letter: OutgoingMessage; error: unknown };

/**
 * Publishes the message's dead letter, cut down if the broker refuses it whole. A refusal is the
 * letter's own: Kafka's coalesced requests send a refused request's members again one by one
 * (KafkaCoalescingSender), RabbitMQ's consumers publish theirs alone on a channel of their own. An
 * outage error (isPublishOutage) is thrown: the caller keeps the message and tries again, it must
 * not be lost. A refusal of the cut letter too is no outage either: trying again would be refused
 * again, for ever, holding the message's partition; the caller records the loss and acknowledges.
 */
export async function publishDeadLetter(
  message: IncomingMessage, reason: string, publish: (letter: OutgoingMessage) => Promise<void>,
): Promise<DeadLetterOutcome> {
  const whole = deadLetterOf(message, reason);
  try {
    await publish(whole);
    return { sent: 'whole', letter: whole };
  } catch (error) {
    if (isPublishOutage(error) || message.body.length <= CUT_BODY_BYTES) return refusedOrThrow(error, whole);
  }
  const cut = cutDeadLetterOf(message, reason);
  try {
    await publish(cut);
    return { sent: 'cut', letter: cut };
  } catch (error) {
    return refusedOrThrow(error, cut);
  }
}

function refusedOrThrow(error: unknown, letter: OutgoingMessage): DeadLetterOutcome {
  if (isPublishOutage(error)) throw error;
  return { sent: 'none', letter, error };
}
