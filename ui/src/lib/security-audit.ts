import type { SecurityAuditEntry } from '../api/types';

/** The security audit's events (SECURITY_EVENTS, src/auth/audit/security-audit.entity.ts), as its filter offers them. */
export const SECURITY_EVENTS = ['DENIED', 'KEY_CREATED', 'KEY_REVOKED', 'MESSAGE_REJECTED'] as const;

/** Each event in words, for the filter's options. */
export const EVENT_LABELS: Record<(typeof SECURITY_EVENTS)[number], string> = {
  DENIED: 'denied requests',
  KEY_CREATED: 'keys issued',
  KEY_REVOKED: 'keys revoked',
  MESSAGE_REJECTED: 'rejected messages',
};

/**
 * A whole key (`bk_<prefix>_<secret>`) or its public part (`bk_<prefix>`), anywhere in what an admin
 * pastes to find a key's rows: alone, or in the header or quotes it was copied with.
 */
const KEY = /(?:^|[^A-Za-z0-9_])bk_([A-Za-z0-9]{4,16})(?![A-Za-z0-9])/;

/**
 * The principal filter's value: a key's prefix, as the audit records it, for a key or its public
 * part pasted whole. A whole key must not reach the address bar, the history or Baton's request
 * log through a filter (the filters live in the URL). Anything else (`jwt:<subject>`) as it is.
 */
export function principalFilter(text: string): string {
  const key = KEY.exec(text);
  return key ? key[1] : text.trim();
}

/**
 * Who a row names: a principal a credential proved (with its kind), an id only claimed (a key's
 * prefix whose secret did not match, or a key revoked or expired: the credential proved nothing),
 * `npm run keys` on Baton's host, or no one (no credential was sent).
 */
export type AuditActor =
  | { kind: 'proven'; id: string; as: string }
  | { kind: 'claimed'; id: string }
  | { kind: 'cli' }
  | { kind: 'none' };

export function actorOf(entry: Pick<SecurityAuditEntry, 'event' | 'principalId' | 'principalKind'>): AuditActor {
  if (entry.principalId === null) return { kind: 'none' };
  if (entry.principalKind !== null) return { kind: 'proven', id: entry.principalId, as: entry.principalKind };
  if (entry.principalId === 'cli' && entry.event.startsWith('KEY_')) return { kind: 'cli' };
  return { kind: 'claimed', id: entry.principalId };
}
