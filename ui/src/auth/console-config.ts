import { onSignOut, request, signOut } from '../api/client';

export interface OidcConfig { issuer: string; clientId: string; scopes: string; resource: string | null }
export interface ConsoleConfig { authRequired: boolean; oidc: OidcConfig | null }

/** Where the identity provider sends the browser back to (the client's redirect URI). */
export const CALLBACK_PATH = '/ui/auth/callback';

/** How this Baton signs people in; public, so it can be read before anyone has, and asked without a credential. */
export const loadConsoleConfig = () => request<ConsoleConfig>('/api/auth/console-config', {}, { credential: false });

// The OIDC client code is fetched only when it is needed.
export const startSignIn = async (config: OidcConfig, returnTo: string) => (await import('./oidc')).startSignIn(config, returnTo);
export const completeSignIn = async (config: OidcConfig) => (await import('./oidc')).completeSignIn(config);

/**
 * A provider's token and the provider it is from, kept as JSON in this tab's sessionStorage only
 * (like the access token), and forgotten on sign-out.
 */
function tabToken<K extends string>(storageKey: string, field: K) {
  type Stored = { [F in K]: string } & { config: OidcConfig };
  const store = {
    get: (): Stored | null => {
      try {
        const stored = JSON.parse(sessionStorage.getItem(storageKey) ?? 'null') as Record<string, unknown> | null;
        return typeof stored?.[field] === 'string' && stored.config ? { [field]: stored[field], config: stored.config } as Stored : null;
      } catch {
        return null;
      }
    },
    set: (token: string, config: OidcConfig) => sessionStorage.setItem(storageKey, JSON.stringify({ [field]: token, config })),
    clear: () => sessionStorage.removeItem(storageKey),
  };
  onSignOut(store.clear);
  return store;
}

/** The provider's refresh token, for renewals. */
export const refreshGrant = tabToken('baton.oidcRefresh', 'refreshToken');

/** The ID token of the sign-in: the sign-out hands it back to the provider (`id_token_hint`), which ends its own session too. */
export const providerSession = tabToken('baton.oidcSession', 'idToken');

/** Renews the access token when the provider gave a refresh token (fetching the OIDC code only then); false when it cannot. */
export async function renewSession(): Promise<boolean> {
  const grant = refreshGrant.get();
  return grant ? (await import('./oidc')).renew(grant.config, grant.refreshToken) : false;
}

/**
 * Signs out: every credential is forgotten at once; then the provider is asked to revoke the
 * refresh token, when there is one, and its session is ended where it offers that (the OIDC code
 * is fetched only then). Answers where to send the browser: the provider's end-session page, which
 * returns to the console; null to reload the console signed out. Without the first, the provider
 * would still know the person, and the next "Sign in" would let anyone at this browser in unasked.
 */
export async function signOutAndRevoke(): Promise<string | null> {
  const grant = refreshGrant.get();
  const session = providerSession.get();
  signOut();
  if (!grant && !session) return null;
  // Best effort, as the revocation itself is: the caller reloads the page signed out in any case.
  const oidc = await import('./oidc').catch(() => null);
  if (grant) await oidc?.revoke(grant.config, grant.refreshToken);
  return session && oidc ? oidc.endSessionUrl(session.config, session.idToken) : null;
}
