import type { ApiKey, Me, NewApiKey, Role } from '../api/types';
import { fromLocalInput } from './time';

/** The roles a key can be issued with, least power first (the form's order; viewer is its default). */
export const KEY_ROLES: readonly Role[] = ['viewer', 'operator', 'service', 'admin'];

/** What a key is now: the list's badge. */
export const KEY_STATES = ['ACTIVE', 'EXPIRED', 'REVOKED'] as const;
export type KeyState = (typeof KEY_STATES)[number];

/** The list's state filter as the API's query spells it (`?state=active`): the badge's states, in lower case. */
export const KEY_STATE_FILTERS = ['active', 'expired', 'revoked'] as const;

/** A key's state at `now` (epoch ms): revoked wins over expired, as Baton's refusal says (`API key ab12 is revoked`). */
export function keyState(key: Pick<ApiKey, 'revokedAt' | 'expiresAt'>, now: number): KeyState {
  if (key.revokedAt) return 'REVOKED';
  if (key.expiresAt && Date.parse(key.expiresAt) <= now) return 'EXPIRED';
  return 'ACTIVE';
}

/** The issue form as typed: `expires` is a `datetime-local` value (local time), empty for a key that never expires. */
export interface KeyForm { name: string; role: Role; service: string; expires: string }

export const EMPTY_KEY_FORM: KeyForm = { name: '', role: 'viewer', service: '', expires: '' };

/**
 * The body of POST /api/admin/api-keys: the name trimmed; a service only for a service key (the
 * API refuses one on any other role, and says a service key needs one, by path, when it has
 * none); the expiry as an ISO instant, left out for a key that never expires.
 */
export function newKeyBody(form: KeyForm): NewApiKey {
  const service = form.service.trim();
  const expiresAt = fromLocalInput(form.expires);
  return {
    name: form.name.trim(), role: form.role,
    ...(form.role === 'service' && service ? { service } : {}),
    ...(expiresAt ? { expiresAt } : {}),
  };
}

/** Whether the console is signed in with this very key: revoking it signs the console out at its next request. */
export const isOwnKey = (me: Me | null | undefined, key: Pick<ApiKey, 'prefix'>): boolean => me?.kind === 'api-key' && me.id === key.prefix;

/** What a revocation whose request got no answer may have done. Revoking a revoked key changes nothing, so trying again is safe. */
export const revokeUnknown = (prefix: string): string =>
  `Baton could not be reached, so it is unknown whether key ${prefix} was revoked. The list shows it once Baton answers; revoking it again is safe.`;

/**
 * What an issue whose request got no answer may have done: a key may have been issued whose
 * secret nobody received. It cannot be used, but it is listed: revoke it.
 */
export const issueUnknown = (name: string): string =>
  `Baton could not be reached, so it is unknown whether the key “${name}” was issued. If the list shows it once Baton answers, its secret was never received: revoke it and issue another.`;
