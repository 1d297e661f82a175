import {
  DEAD_LETTER_REASON_HEADER, DELIVERY_ATTEMPTS_HEADER, deadLetterTopicOf, IncomingMessage, MESSAGE_ID_HEADER,
  ORIGINAL_TOPIC_HEADER, OutgoingMessage,
} from '../message';

/**
 * The message every driver publishes to `deadLetterTopicOf(topic)`: the original key, body and
 * headers, plus why it failed, where it came from and how often it was tried. The message id
 * travels along so an operator can correlate (or replay) it.
 */
export function deadLetterOf(message: IncomingMessage, reason: string): OutgoingMessage {
  return {
    topic: deadLetterTopicOf(message.topic),
    key: message.key,
    body: message.body,
    headers: {
      ...message.headers,
      [MESSAGE_ID_HEADER]: message.headers[MESSAGE_ID_HEADER] ?? message.id,
      [DEAD_LETTER_REASON_HEADER]: reason,
      [ORIGINAL_TOPIC_HEADER]: message.topic,
      [DELIVERY_ATTEMPTS_HEADER]: String(message.deliveryAttempt),
    },
  };
}
