import { createHmac, timingSafeEqual } from 'node:crypto';
import { echoedText } from '../api-keys/api-key-format';

export const SIGNATURE_HEADER = 'x-baton-signature';
export const SIGNATURE_TIMESTAMP_HEADER = 'x-baton-signature-timestamp';
export const SIGNING_SERVICE_HEADER = 'x-baton-service';
export const MESSAGE_AUTHORIZATION_HEADER = 'authorization';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;
const TIMESTAMP = /^\d{1,12}$/;

export type SignatureCheck =
  | { ok: true; service: string; signedAt: number }
  | { ok: false; reason: string };

/**
 * The header value an initiator sends: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`,
 * the signing time in Unix seconds, a dot, and the exact body bytes (Stripe's scheme). The time is
 * inside the MAC, so a captured message cannot be given a fresh one.
 */
export function signatureOf(secret: Buffer | string, timestamp: number | string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(`${timestamp}.`).update(body).digest('hex')}`;
}

/**
 * Whether `signature` is the HMAC of `timestamp` and `body` under `service`'s secret. The MACs are
 * compared in constant time, so the time a wrong signature takes tells nothing about how close it was.
 */
export function checkSignature(
  service: string | undefined, signature: string, timestamp: string | undefined, body: Buffer, secrets: ReadonlyMap<string, Buffer>,
): SignatureCheck {
  if (!service) return { ok: false, reason: `${SIGNATURE_HEADER} needs ${SIGNING_SERVICE_HEADER} naming the signing service` };
  const secret = secrets.get(service);
  // The name is the sender's, and may be anything it had at hand: a whole API key, say.
  if (!secret) return { ok: false, reason: `no signing secret for service ${echoedText(service, 64)}` };
  const given = SIGNATURE.exec(signature.trim());
  if (!given) return { ok: false, reason: `${SIGNATURE_HEADER} must be sha256=<64 hex digits>` };
  const signedAt = timestamp?.trim();
  if (!signedAt || !TIMESTAMP.test(signedAt)) {
    return { ok: false, reason: `${SIGNATURE_HEADER} needs ${SIGNATURE_TIMESTAMP_HEADER}: the signing time in Unix seconds` };
  }
  const expected = createHmac('sha256', secret).update(`${signedAt}.`).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given[1], 'hex'))
    ? { ok: true, service, signedAt: Number(signedAt) }
    : { ok: false, reason: `the signature does not match the timestamp and body for service ${service}` };
}

/** Header lookup that ignores case: Kafka keeps header names as the producer wrote them. */
export function headerOf(headers: Record<string, string>, name: string): string | undefined {
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
