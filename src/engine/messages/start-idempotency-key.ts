import { createHash } from 'node:crypto';
import { headerOf, MESSAGE_AUTHORIZATION_HEADER, SIGNATURE_HEADER } from '../../auth/message-signing/message-signature';
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

/**
 * The idempotency key of a signed start message that brings none: its signature's hash. The
 * message id is not signed, so a copy republished under a new id within the signature's age
 * started a second run; the signature covers the body and when it was signed, so a copy carries
 * the same one, and a new message of the same body a new one. Undefined for an unsigned message.
 */
export function signedStartKey(headers: Record<string, string>): string | undefined {
  const proof = headerOf(headers, SIGNATURE_HEADER) ?? headerOf(headers, MESSAGE_AUTHORIZATION_HEADER);
  return proof === undefined ? undefined : `signed:sha256:${createHash('sha256').update(proof).digest('hex')}`;
}
