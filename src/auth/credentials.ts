import type { IncomingHttpHeaders } from 'node:http';

/** Longer than any key or token we issue or accept: bounded before it reaches a verifier. */
const MAX_CREDENTIAL_LENGTH = 8192;

export type PresentedCredential = { kind: 'none' } | { kind: 'malformed' } | { kind: 'given'; value: string };

/** `Authorization: Bearer <key or JWT>`, or `X-API-Key: <key>`. */
export function credentialOf(headers: IncomingHttpHeaders): PresentedCredential {
  const authorization = headers.authorization;
  const apiKey = headers['x-api-key'];
  if (authorization === undefined && apiKey === undefined) return { kind: 'none' };
  let value: string | undefined;
  if (typeof authorization === 'string') {
    const match = /^Bearer +(\S+) *$/i.exec(authorization);
    value = match?.[1];
  } else if (typeof apiKey === 'string') {
    value = apiKey.trim();
  }
  if (!value || value.length > MAX_CREDENTIAL_LENGTH) return { kind: 'malformed' };
  return { kind: 'given', value };
}
