import { ApiError } from '../api/client';
import type { Me } from '../api/types';

/**
 * Whether the console shows the admin pages (API keys, security audit) and their entries in the
 * navigation. `null` (a Baton without GET /api/auth/me) shows them and lets the API decide, as
 * everywhere else; with authentication off, the anonymous caller has every role.
 */
export const isAdmin = (me: Me | null): boolean => me === null || me.roles.includes('admin');

/** Who the console acts as, for a notice that says which role a page needs: `ab12cd34 (viewer)`. */
export const signedInAs = (me: Me): string => `${me.id} (${me.roles.join(', ') || 'no role'})`;

/**
 * What a page (or a part of one) refused for the role says: what it needs, and who the console is
 * signed in as. `me` null: the console does not know (no identity endpoint), only that Baton refused.
 */
export function roleNotice(what: string, need: string, me: Me | null): string {
  return me ? `${what} ${need}; you are signed in as ${signedInAs(me)}.` : `${what} ${need}, and Baton refused it for this sign-in.`;
}

/** What the live instances of a service need (GET /api/workers/{service}/instances), said where they could not be read. */
export const PRESENCE_ROLES = 'the viewer, operator or admin role (or a service key of that service)';

/** A refusal for the role (403): said as the role a page needs, not as an error. */
export const isForbidden = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 403;
