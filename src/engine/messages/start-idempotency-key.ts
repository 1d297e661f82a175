import { createHash } from 'node:crypto';
import { unstorableReason } from '../../common/validation/storable-text';

/** The length of orchestration_run.idempotency_key. */
const MAX_KEY_LENGTH = 255;

/**
 * The idempotency key of a start message that brings none: its message id, so a redelivery starts
 * no second run. The id is the publisher's (`x-message-id`, an AMQP message-id): one too long for
 * the column or holding text PostgreSQL cannot store is hashed, which keeps the key as stable
 * across redeliveries as the id itself, where the raw id would fail every insert.
 */
export function startIdempotencyKey(messageId: string): string {
  const key = `message:${messageId}`;
  if (key.length <= MAX_KEY_LENGTH && !unstorableReason(key)) return key;
  return `message:sha256:${createHash('sha256').update(messageId).digest('hex')}`;
}
