/** One `service:secret` entry; a secret of at least 32 characters (`openssl rand -hex 32` gives 64). */
const ENTRY = /^([\w.-]{1,200}):([^\s,:]{32,})$/;

/** The shape SIGNING_SECRETS must have, for config validation (the values are never echoed). */
export const SIGNING_SECRETS_PATTERN = /^$|^[\w.-]{1,200}:[^\s,:]{32,}(,[\w.-]{1,200}:[^\s,:]{32,})*$/;

/**
 * `svc-a:secret,svc-b:secret` → service → secret bytes. HMAC verification recomputes the MAC with
 * the secret itself, so (unlike an API key) it cannot be stored as a hash: it lives only in the
 * environment, never in the database, a log line or a response.
 */
export function parseSigningSecrets(text: string | undefined): ReadonlyMap<string, Buffer> {
  const secrets = new Map<string, Buffer>();
  for (const entry of (text ?? '').split(',').filter(Boolean)) {
    const match = ENTRY.exec(entry.trim());
    if (match) secrets.set(match[1], Buffer.from(match[2], 'utf8'));
  }
  return secrets;
}
