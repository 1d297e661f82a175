import { Injectable } from '@nestjs/common';
import { parseApiKey } from './api-keys/api-key-format';
import { ApiKeyService } from './api-keys/api-key.service';
import { JwtVerifier } from './jwt/jwt-verifier';
import type { Principal } from './principal';

export type Authentication = { principal: Principal } | { refusal: string };

const UNKNOWN = 'unknown, expired, revoked or invalid credentials';

/** A presented credential → the principal it proves: an API key of ours, or a JWT of the identity provider. */
@Injectable()
export class PrincipalResolver {
  constructor(private readonly apiKeys: ApiKeyService, private readonly jwt: JwtVerifier) {}

  async resolve(credential: string): Promise<Authentication> {
    if (parseApiKey(credential)) {
      const principal = await this.apiKeys.verify(credential);
      return principal ? { principal } : { refusal: UNKNOWN };
    }
    if (!JwtVerifier.looksLikeJwt(credential)) return { refusal: UNKNOWN };
    const check = await this.jwt.check(credential);
    if ('principal' in check) return check;
    // Only a genuine token is told what is wrong with its claims; a forged or expired one learns nothing.
    return { refusal: check.refusal === 'unacceptable' ? check.reason : UNKNOWN };
  }

  /** What may be written about a credential that failed: the key prefix, never the rest. */
  static safeIdOf(credential: string): string | undefined {
    const key = parseApiKey(credential);
    return key ? key.prefix : undefined;
  }
}
