import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface TestIdentityProvider {
  issuer: string;
  /** Whether sign-ins from now on get a refresh token (off at first: the console must then sign in again on expiry). */
  refreshTokens: { issued: boolean };
  /** Configures the client once the console's address is known, then answers requests. */
  serve(client: { clientId: string; redirectUri: string; audience: string; roles: string[]; accessTokenTtl: number }): Promise<void>;
  close(): Promise<void>;
}

/**
 * panva's certified oidc-provider on loopback, with its development login page (any login and
 * password): a public client that must use PKCE, and JWT access tokens for one resource (the
 * audience Baton checks) carrying the account's roles. The port is bound first, so Baton can be
 * configured with the issuer before the client's redirect URI is known.
 */
export async function startIdentityProvider(): Promise<TestIdentityProvider> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const refreshTokens = { issued: false };
  return {
    issuer, refreshTokens,
    serve: async ({ clientId, redirectUri, audience, roles, accessTokenTtl }) => {
      const { default: Provider } = await import('oidc-provider');
      const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
      const provider = new Provider(issuer, {
        clients: [{
          client_id: clientId, token_endpoint_auth_method: 'none', redirect_uris: [redirectUri],
          post_logout_redirect_uris: [`${new URL(redirectUri).origin}/ui`],
          grant_types: ['authorization_code', 'refresh_token'], response_types: ['code'],
        }],
        issueRefreshToken: () => refreshTokens.issued,
        jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'test-key', alg: 'RS256', use: 'sig' }] },
        cookies: { keys: [randomBytes(32).toString('hex')] },
        findAccount: (_ctx: unknown, sub: string) => ({ accountId: sub, claims: () => ({ sub }) }),
        extraTokenClaims: () => ({ roles }),
        // Set, not defaulted: the provider warns about every default it is left with.
        ttl: { Interaction: 600, Session: 3600, Grant: 3600, IdToken: 300, AccessToken: accessTokenTtl },
        clientBasedCORS: (_ctx: unknown, origin: string) => origin === new URL(redirectUri).origin,
        features: {
          // The sign-out's confirmation page, as plain as the provider's own but for the warning a default gives.
          rpInitiatedLogout: {
            enabled: true,
            logoutSource: (ctx: { body: string }, form: string) => {
              ctx.body = `<!DOCTYPE html><html><head><title>Sign out</title></head><body>${form}`
                + '<button autofocus type="submit" form="op.logoutForm" value="yes" name="logout">Yes, sign me out</button></body></html>';
            },
          },
          resourceIndicators: {
            enabled: true,
            defaultResource: () => audience,
            useGrantedResource: () => true,
            getResourceServerInfo: () => ({ scope: 'openid', audience, accessTokenFormat: 'jwt', accessTokenTTL: accessTokenTtl }),
          },
        },
      });
      server.on('request', provider.callback());
    },
    close: () => new Promise((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
