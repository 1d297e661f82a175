import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';

/** AUTH_JWT_PUBLIC_KEY → its key: a PEM (SPKI, or a certificate) or a JWK in JSON. Throws on anything else. */
export function parseJwtPublicKey(text: string): KeyObject {
  const trimmed = text.trim();
  return trimmed.startsWith('{')
    ? createPublicKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
    : createPublicKey(trimmed);
}

/** Checked when the configuration is loaded, so a bad key stops start-up instead of failing every token after it. */
export function isJwtPublicKey(text: unknown): boolean {
  if (typeof text !== 'string') return false;
  try {
    parseJwtPublicKey(text);
    return true;
  } catch {
    return false;
  }
}
