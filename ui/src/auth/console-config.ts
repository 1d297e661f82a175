import { onSignOut, request, signOut } from '../api/client';

export interface OidcConfig { issuer: string; clientId: string; scopes: string; resource: string | null }
export interface ConsoleConfig { authRequired: boolean; oidc: OidcConfig | null }

/** Where the identity provider sends the browser back to (the client's redirect URI). */
export const CALLBACK_PATH = '/ui/auth/callback';

/** How this Baton signs people in; public, so it can be read before anyone has. */
export const loadConsoleConfig = () => request<ConsoleConfig>('/api/auth/console-config');

// The OIDC client code is fetched only when it is needed.
export const startSignIn = async (config: OidcConfig, returnTo: string) => (await import('./oidc')).startSignIn(config, returnTo);
export const completeSignIn = async (config: OidcConfig) => (await import('./oidc')).completeSignIn(config);

const REFRESH = 'baton.oidcRefresh';

/** The provider's refresh token and the provider it is for, kept in this tab only, like the access token. */
export const refreshGrant = {
  get: (): { refreshToken: string; config: OidcConfig } | null => {
    try {
      const stored = JSON.parse(sessionStorage.getItem(REFRESH) ?? 'null') as { refreshToken?: unknown; config?: OidcConfig } | null;
      return typeof stored?.refreshToken === 'string' && stored.config ? { refreshToken: stored.refreshToken, config: stored.config } : null;
    } catch {
      return null;
    }
  },
  set: (refreshToken: string, config: OidcConfig) => sessionStorage.setItem(REFRESH, JSON.stringify({ refreshToken, config })),
  clear: () => sessionStorage.removeItem(REFRESH),
};
onSignOut(refreshGrant.clear);

/** Renews the access token when the provider gave a refresh token (fetching the OIDC code only then); false when it cannot. */
export async function renewSession(): Promise<boolean> {
  const grant = refreshGrant.get();
  return grant ? (await import('./oidc')).renew(grant.config, grant.refreshToken) : false;
}

/**
 * Signs out: every credential is forgotten at once; then the provider is asked to revoke the
 * refresh token, when there is one (the OIDC code is fetched only then).
 */
export async function signOutAndRevoke(): Promise<void> {
  const grant = refreshGrant.get();
  signOut();
  // Best effort, as the revocation itself is: the caller reloads the page signed out in any case.
  if (grant) await import('./oidc').then((oidc) => oidc.revoke(grant.config, grant.refreshToken), () => undefined);
}
