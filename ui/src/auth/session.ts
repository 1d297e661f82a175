import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import { ApiError, request, type SignInReason } from '../api/client';
import type { Me } from '../api/types';
import type { Identity } from '../lib/roles';

/** null: no identity endpoint or auth off, so everything is allowed (the API still decides); undefined: not known yet (Identity). */
export const MeContext = createContext<Identity>(null);
export const useMe = () => useContext(MeContext);

/** Who the console acts as; a Baton without GET /api/auth/me (404) gives full access. */
export async function loadMe(): Promise<Me | null> {
  try {
    return await request<Me>('/api/auth/me');
  } catch (e) {
    if (e instanceof ApiError && e.status === 404) return null;
    throw e;
  }
}

export type Session = { state: 'loading' } | { state: 'login'; reason: SignInReason; error?: Error; refusal?: ApiError } | { state: 'ready'; me: Identity };

/**
 * Where a failed loadMe leaves the console (`s`: where it is now). Locked out after failed sign-ins
 * (429): every call would get the same, and the pages would read as an outage; the form says so,
 * and how long to wait. A 401 has brought the form already. Anything else (Baton down, a 500, a
 * 403) leaves who the console acts as unknown: the pages show, their role-gated parts wait.
 */
export function afterMeFailure(error: unknown, s: Session): Session {
  if (error instanceof ApiError && error.status === 429) return { state: 'login', reason: 'required', refusal: error };
  return s.state === 'login' ? s : { state: 'ready', me: undefined };
}
