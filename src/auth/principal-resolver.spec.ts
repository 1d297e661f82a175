import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { AUDIENCE, ISSUER, rsaKey, signJwt } from '../../test/helpers/jwt';
import { loadConfig } from '../config/load-config';
import type { ApiKeyService } from './api-keys/api-key.service';
import { JwtVerifier } from './jwt/jwt-verifier';
import { PrincipalResolver } from './principal-resolver';

describe('PrincipalResolver with JWTs', () => {
  const idp = rsaKey();
  const resolver = new PrincipalResolver({} as ApiKeyService, new JwtVerifier(loadConfig({
    AUTH_MODE: 'on', AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_JWT_PUBLIC_KEY: idp.publicPem, MESSAGE_SIGNING: 'required',
  })));
  beforeAll(() => Logger.overrideLogger(false));

  it("proves a token's service", async () => {
    const token = signJwt(idp, { roles: ['service'], service: 'shop' });
    await expect(resolver.resolve(token)).resolves.toEqual({ principal: expect.objectContaining({ roles: ['service'], service: 'shop' }) });
  });

  /**
   * A token that signs a message on the start or registration topic stays readable there, and in
   * the dead-letter topic, which keeps the message's headers: copied onto an HTTP request, it made
   * its reader that service until it expired, however old its `iat` (the message check's bound).
   */
  it('refuses a token made to sign one message, whatever its age', async () => {
    const now = Math.floor(Date.now() / 1000);
    const bodySha256 = createHash('sha256').update('{"orchName":"shopOrder","payload":{}}').digest('hex');
    for (const iat of [now, now - 3600]) {
      const token = signJwt(idp, { roles: ['service'], service: 'shop', iat, exp: now + 3600, body_sha256: bodySha256 });
      await expect(resolver.resolve(token)).resolves.toEqual({ refusal: expect.stringContaining('body_sha256'), guess: false, claimedId: 'jwt:user-1' });
    }
  });

  /** One client whose token expired (a console left open, a worker's cached token) locked out its whole address. */
  it('takes a genuine token that expired for no guess, named by its subject; a forged one, or one expired and forged, is a guess', async () => {
    const exp = Math.floor(Date.now() / 1000) - 120;
    await expect(resolver.resolve(signJwt(idp, { sub: 'w1', roles: ['service'], service: 'shop', exp })))
      .resolves.toEqual({ refusal: 'the token has expired', guess: false, claimedId: 'jwt:w1' });
    const forged = signJwt(rsaKey(), { sub: 'w1', roles: ['admin'], exp });
    await expect(resolver.resolve(forged)).resolves.toEqual({ refusal: expect.stringContaining('invalid'), guess: true });
  });

  /** One client set up with the wrong audience, or a clock ahead of ours, locked out its whole address. */
  it.each([
    ['for another audience', { aud: 'other-app' }, '"aud"'],
    ['from another issuer', { iss: 'https://other.example' }, '"iss"'],
    ['not yet valid', { nbf: Math.floor(Date.now() / 1000) + 3600 }, '"nbf"'],
    ['without expiry', { exp: undefined }, '"exp"'],
  ])('takes a genuine token %s for no guess, named by its subject; forged, it is a guess', async (_case, claims, claim) => {
    await expect(resolver.resolve(signJwt(idp, { sub: 'w3', roles: ['admin'], ...claims })))
      .resolves.toEqual({ refusal: expect.stringContaining(claim), guess: false, claimedId: 'jwt:w3' });
    await expect(resolver.resolve(signJwt(rsaKey(), { sub: 'w3', roles: ['admin'], ...claims })))
      .resolves.toEqual({ refusal: expect.stringContaining('invalid'), guess: true });
  });

  it("names a genuine token refused for its claims by its subject, for the audit's once a minute per caller", async () => {
    await expect(resolver.resolve(signJwt(idp, { sub: 'w2', roles: ['service'], service: 'a b' })))
      .resolves.toEqual({ refusal: expect.stringContaining('service claim'), guess: false, claimedId: 'jwt:w2' });
  });
});
