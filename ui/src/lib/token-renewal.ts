/** An access token as the console keeps it: when it was received and when it expires (ms since the epoch). */
export interface HeldToken { receivedAt: number; expiresAt: number }

/** The least time left at which a token is still sent without renewing it first (a call takes time). */
const MIN_MARGIN_MS = 5_000;

/**
 * Whether to renew the token before the next call: once four fifths of its life have passed, and
 * in any case once less than 5 s are left, so no call carries a token that expires on the way.
 */
export function renewalDue(token: HeldToken, now: number): boolean {
  const life = token.expiresAt - token.receivedAt;
  return now >= token.receivedAt + life * 0.8 || token.expiresAt - now <= MIN_MARGIN_MS;
}

/** Where the page is, to come back to after signing in again: path, query (the filters) and fragment. */
export function hereOf(loc: Pick<Location, 'pathname' | 'search' | 'hash'>): string {
  return `${loc.pathname}${loc.search}${loc.hash}`;
}
