// OIDC sign-in for the console: authorization code with PKCE, as a public client, with
// oauth4webapi doing discovery, the response checks (state, iss), the token request and, when the
// provider gave a refresh token, the renewals.
// Loaded only when someone signs in this way (see console-config.ts), so the first load stays small.
import * as oauth from 'oauth4webapi';
import { accessToken, hasSignedOut } from '../api/client';
import { CALLBACK_PATH, type OidcConfig, providerSession, refreshGrant } from './console-config';

const PENDING = 'baton.oidcPending';
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

interface Pending { verifier: string; state: string; returnTo: string }

const redirectUri = () => `${location.origin}${CALLBACK_PATH}`;

// A provider on loopback (development, the browser test) may speak plain http; any other must use https.
const transport = (issuer: URL) => ({ [oauth.allowInsecureRequests]: issuer.protocol === 'http:' && LOOPBACK.has(issuer.hostname) });

async function discover(config: OidcConfig, signal?: AbortSignal): Promise<oauth.AuthorizationServer> {
  const issuer = new URL(config.issuer);
  return oauth.processDiscoveryResponse(issuer, await oauth.discoveryRequest(issuer, { ...transport(issuer), signal }));
}

/** Leaves for the provider's login page; the verifier and state wait in this tab for the way back. */
export async function startSignIn(config: OidcConfig, returnTo: string): Promise<void> {
  const as = await discover(config);
  if (!as.authorization_endpoint) throw new Error(`${config.issuer} publishes no authorization endpoint`);
  const pending: Pending = { verifier: oauth.generateRandomCodeVerifier(), state: oauth.generateRandomState(), returnTo };
  sessionStorage.setItem(PENDING, JSON.stringify(pending));
  const url = new URL(as.authorization_endpoint);
  const params: Record<string, string> = {
    client_id: config.clientId, redirect_uri: redirectUri(), response_type: 'code', scope: config.scopes, state: pending.state,
    code_challenge: await oauth.calculatePKCECodeChallenge(pending.verifier), code_challenge_method: 'S256',
    ...(config.resource ? { resource: config.resource } : {}),
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  location.assign(url.href);
}

/** On the callback page: trades the code for an access token and answers where the person was. */
export async function completeSignIn(config: OidcConfig): Promise<string> {
  const stored = sessionStorage.getItem(PENDING);
  sessionStorage.removeItem(PENDING);
  if (!stored) throw new Error('This sign-in was not started from this tab. Sign in again.');
  const pending = JSON.parse(stored) as Pending;
  const as = await discover(config);
  const client: oauth.Client = { client_id: config.clientId };
  const params = oauth.validateAuthResponse(as, client, new URL(location.href), pending.state);
  const response = await oauth.authorizationCodeGrantRequest(as, client, oauth.None(), params, redirectUri(), pending.verifier,
    requestOptions(config));
  keep(await oauth.processAuthorizationCodeResponse(as, client, response), config, null);
  return pending.returnTo.startsWith('/ui') ? pending.returnTo : '/ui';
}

/**
 * Trades the refresh token for a new access token before the current one expires. A failure
 * forgets the refresh token: the console then sends the person through the sign-in when the
 * access token expires.
 */
export async function renew(config: OidcConfig, refreshToken: string): Promise<boolean> {
  try {
    const as = await discover(config);
    const client: oauth.Client = { client_id: config.clientId };
    const response = await oauth.refreshTokenGrantRequest(as, client, oauth.None(), refreshToken, requestOptions(config));
    keep(await oauth.processRefreshTokenResponse(as, client, response), config, refreshToken);
    return true;
  } catch {
    refreshGrant.clear();
    return false;
  }
}

/** How long a sign-out waits on the provider before it reloads the page anyway. */
const REVOKE_TIMEOUT_MS = 3000;

/**
 * Asks the provider to revoke a refresh token the console has forgotten, where its discovery
 * document offers a revocation endpoint (RFC 7009). Best effort: the sign-out does not fail
 * because the provider could not be reached.
 */
export async function revoke(config: OidcConfig, refreshToken: string): Promise<void> {
  try {
    const signal = AbortSignal.timeout(REVOKE_TIMEOUT_MS);
    const as = await discover(config, signal);
    if (!as.revocation_endpoint) return;
    const response = await oauth.revocationRequest(as, { client_id: config.clientId }, oauth.None(), refreshToken,
      { ...transport(new URL(config.issuer)), signal, additionalParameters: { token_type_hint: 'refresh_token' } });
    await oauth.processRevocationResponse(response);
  } catch {
    // Unreachable, slow or refusing: the token is forgotten here all the same, and expires at the provider.
  }
}

/**
 * The provider's end-session page for this sign-in (OpenID Connect RP-Initiated Logout), which
 * returns to the console at /ui; null when the provider offers none or cannot be reached.
 */
export async function endSessionUrl(config: OidcConfig, idToken: string): Promise<string | null> {
  try {
    const as = await discover(config, AbortSignal.timeout(REVOKE_TIMEOUT_MS));
    if (!as.end_session_endpoint) return null;
    const url = new URL(as.end_session_endpoint);
    url.searchParams.set('client_id', config.clientId);
    url.searchParams.set('id_token_hint', idToken);
    url.searchParams.set('post_logout_redirect_uri', `${location.origin}/ui`);
    return url.href;
  } catch {
    return null;
  }
}

const requestOptions = (config: OidcConfig) => ({
  ...transport(new URL(config.issuer)), ...(config.resource ? { additionalParameters: { resource: config.resource } } : {}),
});

/** A provider that rotates refresh tokens sends a new one; one that does not keeps the old one valid. */
function keep(tokens: oauth.TokenEndpointResponse, config: OidcConfig, previousRefreshToken: string | null): void {
  // A renewal that was in flight when the person signed out: what it got is dropped.
  if (hasSignedOut()) return;
  // Without expires_in, assume a short life: the API's 401 brings the login back anyway.
  accessToken.set(tokens.access_token, tokens.expires_in ?? 300);
  const refreshToken = tokens.refresh_token ?? previousRefreshToken;
  if (refreshToken) refreshGrant.set(refreshToken, config);
  else refreshGrant.clear();
  // A renewal may bring a new ID token; without one, the sign-in's stays the hint.
  if (tokens.id_token) providerSession.set(tokens.id_token, config);
}
