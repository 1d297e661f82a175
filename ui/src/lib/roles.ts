import { ApiError } from '../api/client';
import type { Me } from '../api/types';

/**
 * Who the console acts as: null for a Baton without GET /api/auth/me (everything is offered and
 * the API decides); undefined while Baton has not said (it failed to answer and is asked again):
 * offering everything then put an operator's buttons before a viewer who only hit an outage.
 */
export type Identity = Me | null | undefined;

/** How long to wait before asking who the console acts as again, after `failures` failed asks. */
export const identityRetryMs = (failures: number): number => Math.min(1000 * 2 ** (failures - 1), 30_000);

/**
 * Whether the console shows the admin pages (API keys, security audit) and their entries in the
 * navigation. `null` (a Baton without GET /api/auth/me) shows them and lets the API decide, as
 * everywhere else; with authentication off, the anonymous caller has every role. Not while unknown.
 */
export const isAdmin = (me: Identity): boolean => me === null || (me?.roles.includes('admin') ?? false);

/** Who the console acts as, for a notice that says which role a page needs: `ab12cd34 (viewer)`. */
export const signedInAs = (me: Me): string => `${me.id} (${me.roles.join(', ') || 'no role'})`;

/**
 * What a page (or a part of one) refused for the role says: what it needs, and who the console is
 * signed in as. `me` null: the console does not know (no identity endpoint), only that Baton refused.
 */
export function roleNotice(what: string, need: string, me: Identity): string {
  if (me === undefined) return `${what} ${need}; who you are signed in as is not known yet (Baton has not answered: asking again).`;
  return me ? `${what} ${need}; you are signed in as ${signedInAs(me)}.` : `${what} ${need}, and Baton refused it for this sign-in.`;
}

/** What the live instances of a service need (GET /api/workers/{service}/instances), said where they could not be read. */
export const PRESENCE_ROLES = 'the viewer, operator or admin role (or a service key of that service)';

/** A refusal for the role (403): said as the role a page needs, not as an error. */
export const isForbidden = (error: unknown): error is ApiError => error instanceof ApiError && error.status === 403;
