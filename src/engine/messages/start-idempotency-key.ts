import { createHash } from 'node:crypto';
import { credentialOf } from '../../auth/credentials';
import { headerOf, MESSAGE_AUTHORIZATION_HEADER, SIGNATURE_HEADER, SIGNATURE_TIMESTAMP_HEADER } from '../../auth/message-signing/message-signature';
import type { Principal } from '../../auth/principal';
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
 * The idempotency key of a signed start message that brings none: who signed it, when, and its
 * body's hash. The message id is not signed, so a copy republished under a new id within the
 * signature's age started a second run. Not the signature header as it came: the check takes it
 * in several spellings (hex in either case, spaces, `Bearer` or `bearer`), each of which would
 * have been a key of its own. A new message of the same body is signed at another second; two
 * signed in the same second are one start (send an idempotencyKey to tell them apart).
 * Undefined for a message not signed by one of the two means.
 */
export function signedStartKey(headers: Record<string, string>, body: Buffer, signer: Pick<Principal, 'id'>): string | undefined {
  const signedAt = headerOf(headers, SIGNATURE_HEADER) !== undefined
    ? headerOf(headers, SIGNATURE_TIMESTAMP_HEADER)?.trim()
    : issuedAtOf(headerOf(headers, MESSAGE_AUTHORIZATION_HEADER));
  if (signedAt === undefined) return undefined;
  const bodyHash = createHash('sha256').update(body).digest('hex');
  return `signed:sha256:${createHash('sha256').update(`${signer.id}\n${Number(signedAt)}\n${bodyHash}`).digest('hex')}`;
}

/** The `iat` of a message's JWT, verified by then; undefined when there is none to read. */
function issuedAtOf(authorization: string | undefined): string | undefined {
  const credential = authorization === undefined ? undefined : credentialOf({ authorization });
  if (credential?.kind !== 'given') return undefined;
  try {
    const claims = JSON.parse(Buffer.from(credential.value.split('.')[1] ?? '', 'base64url').toString('utf8')) as { iat?: unknown };
    return Number.isSafeInteger(claims.iat) ? String(claims.iat) : undefined;
  } catch {
    return undefined;
  }
}
