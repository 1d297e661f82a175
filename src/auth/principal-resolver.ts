import { Injectable } from '@nestjs/common';
import { parseApiKey } from './api-keys/api-key-format';
import { ApiKeyService, type KeyVerdict } from './api-keys/api-key.service';
import { BODY_HASH_CLAIM } from './jwt/body-hash-claim';
import { JwtVerifier } from './jwt/jwt-verifier';
import type { Principal } from './principal';

/**
 * `guess`: the credential proves nothing (unknown, wrong, forged), so the refusal counts against the
 * address's failure limit. A genuine key that was revoked or expired, or a genuine token that
 * expired, is not yet valid, names another audience or issuer, or that Baton cannot act on, is no
 * guess: counting those blocked a whole address (and every valid key behind it) the moment a busy
 * worker's key was revoked, its replies in flight all refused at once, one client's token expired,
 * or one client was set up with the wrong audience.
 * `claimedId`: what the audit may name the credential by: a key's prefix, a genuine token's `jwt:<sub>`.
 */
export type Authentication = { principal: Principal } | { refusal: string; guess: boolean; claimedId?: string };

const UNKNOWN = 'unknown, expired, revoked or invalid credentials';
const EXPIRED_TOKEN = 'the token has expired';
const MESSAGE_TOKEN = `the token carries ${BODY_HASH_CLAIM}: it signs one message, and is not accepted as a bearer token`;

/** A presented credential → the principal it proves: an API key of ours, or a JWT of the identity provider. */
@Injectable()
export class PrincipalResolver {
  constructor(private readonly apiKeys: ApiKeyService, private readonly jwt: JwtVerifier) {}

  async resolve(credential: string): Promise<Authentication> {
    const key = parseApiKey(credential);
    if (key) return authenticationOf(await this.apiKeys.verify(credential), key.prefix);
    if (!JwtVerifier.looksLikeJwt(credential)) return { refusal: UNKNOWN, guess: true };
    const check = await this.jwt.check(credential);
    if ('principal' in check) {
      // A token made to sign one message is read by whoever reads its topic or dead-letter topic:
      // over HTTP it would prove its service for anything until it expires.
      if (check.claims[BODY_HASH_CLAIM] !== undefined) return { refusal: MESSAGE_TOKEN, guess: false, claimedId: check.principal.id };
      return { principal: check.principal };
    }
    if (check.refusal === 'invalid') return { refusal: UNKNOWN, guess: true };
    // Only the holder of a genuine token, who sent it, learns what is wrong with it (as with a retired key).
    return { refusal: check.refusal === 'expired' ? EXPIRED_TOKEN : check.reason, guess: false, claimedId: check.principalId };
  }

  /**
   * What an API key this instance verified lately proves, at no cost; undefined when it must be
   * resolved. Such a key is never held back by the checks under way from its address.
   */
  recall(credential: string): Authentication | undefined {
    const key = parseApiKey(credential);
    const known = key && this.apiKeys.recall(credential);
    return known ? authenticationOf(known, key.prefix) : undefined;
  }
}

/** A key's refusal names it by its prefix, never the rest. */
function authenticationOf(verdict: KeyVerdict, prefix: string): Authentication {
  if (!verdict) return { refusal: UNKNOWN, guess: true, claimedId: prefix };
  // Only the holder of the secret learns that it was revoked or expired.
  return 'principal' in verdict ? verdict : { refusal: `API key ${verdict.prefix} is ${verdict.retired}`, guess: false, claimedId: prefix };
}
