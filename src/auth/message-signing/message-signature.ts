import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'x-baton-signature';
export const SIGNING_SERVICE_HEADER = 'x-baton-service';
export const MESSAGE_AUTHORIZATION_HEADER = 'authorization';

const SIGNATURE = /^sha256=([0-9a-f]{64})$/i;

export type SignatureCheck =
  | { ok: true; service: string }
  | { ok: false; reason: string };

/** The header value an initiator sends: `sha256=` and the hex HMAC-SHA256 of the exact body bytes. */
export function signatureOf(secret: Buffer | string, body: Buffer): string {
  return `sha256=${createHmac('sha256', secret).update(body).digest('hex')}`;
}

/**
 * Whether `signature` is the HMAC of `body` under `service`'s secret. The MACs are compared in
 * constant time, so the time a wrong signature takes tells nothing about how close it was.
 */
export function checkSignature(
  service: string | undefined, signature: string, body: Buffer, secrets: ReadonlyMap<string, Buffer>,
): SignatureCheck {
  if (!service) return { ok: false, reason: `${SIGNATURE_HEADER} needs ${SIGNING_SERVICE_HEADER} naming the signing service` };
  const secret = secrets.get(service);
  if (!secret) return { ok: false, reason: `no signing secret for service ${service}` };
  const given = SIGNATURE.exec(signature.trim());
  if (!given) return { ok: false, reason: `${SIGNATURE_HEADER} must be sha256=<64 hex digits>` };
  const expected = createHmac('sha256', secret).update(body).digest();
  return timingSafeEqual(expected, Buffer.from(given[1], 'hex'))
    ? { ok: true, service }
    : { ok: false, reason: `the signature does not match the body for service ${service}` };
}

/** Header lookup that ignores case: Kafka keeps header names as the producer wrote them. */
export function headerOf(headers: Record<string, string>, name: string): string | undefined {
  if (headers[name] !== undefined) return headers[name];
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key === undefined ? undefined : headers[key];
}
