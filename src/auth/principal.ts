import type { Role } from './role';

/** Who is calling, as proven by an API key or a verified JWT (or the loopback-only `anonymous`). */
export interface Principal {
  /** The key's public prefix, the token's subject, or `hmac:<service>`: safe to log and audit. */
  id: string;
  kind: 'api-key' | 'jwt' | 'anonymous' | 'message-signature';
  roles: Role[];
  /** The proven service name of a `service` principal. */
  service?: string;
  /** The id of the API key that proved it (not the bootstrap key's): what a revocation names. */
  keyId?: string;
  /** When that key expires (ms since the epoch), if it does. */
  keyExpiresAt?: number;
}
