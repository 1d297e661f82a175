import { ApiError, type SignInReason } from '../api/client';

/**
 * What the sign-in form says above the fields: why it shows, in Baton's own words where Baton
 * gave them. `secondsLeft` counts a lockout's Retry-After down while the form is open.
 */
export function signInMessage(reason: SignInReason, refusal: ApiError | undefined, secondsLeft: number | null): string | null {
  if (refusal?.status === 429) {
    // TOO_MANY_AUTH_CHECKS: too many keys being checked at once from this address, none of them failed.
    const what = refusal.code === 'TOO_MANY_AUTH_CHECKS' ? 'Too many sign-ins under way' : 'Too many failed sign-ins';
    return secondsLeft === null ? `${what} from this address: try again later.`
      : secondsLeft > 0 ? `${what} from this address: try again in ${secondsLeft} s.`
        : `${what} from this address: you may try again now.`;
  }
  if (reason === 'expired') return 'Your session expired. Sign in again.';
  if (reason !== 'refused') return null;
  // Baton says why only to the holder of a genuine key (`API key ab12 is revoked`); a typo gets its generic refusal.
  const why = refusal?.message ? `Baton refused those credentials: ${refusal.message.replace(/^Authentication required: /, '')}.` : 'Those credentials were refused.';
  return `${why} Check the key, or sign in again; an admin can issue a new key.`;
}
