import { request } from '../api/client';

export interface OidcConfig { issuer: string; clientId: string; scopes: string; resource: string | null }
export interface ConsoleConfig { authRequired: boolean; oidc: OidcConfig | null }

/** Where the identity provider sends the browser back to (the client's redirect URI). */
export const CALLBACK_PATH = '/ui/auth/callback';

/** How this Baton signs people in; public, so it can be read before anyone has. */
export const loadConsoleConfig = () => request<ConsoleConfig>('/api/auth/console-config');

// The OIDC client code is fetched only when it is needed.
export const startSignIn = async (config: OidcConfig, returnTo: string) => (await import('./oidc')).startSignIn(config, returnTo);
export const completeSignIn = async (config: OidcConfig) => (await import('./oidc')).completeSignIn(config);
