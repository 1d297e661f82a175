import { Injectable } from '@nestjs/common';
import { parseApiKey } from './api-keys/api-key-format';
import { ApiKeyService } from './api-keys/api-key.service';
import { JwtVerifier } from './jwt/jwt-verifier';
import type { Principal } from './principal';

/** A presented credential → the principal it proves: an API key of ours, or a JWT of the identity provider. */
@Injectable()
export class PrincipalResolver {
  constructor(private readonly apiKeys: ApiKeyService, private readonly jwt: JwtVerifier) {}

  resolve(credential: string): Promise<Principal | undefined> {
    if (parseApiKey(credential)) return this.apiKeys.verify(credential);
    if (JwtVerifier.looksLikeJwt(credential)) return this.jwt.verify(credential);
    return Promise.resolve(undefined);
  }

  /** What may be written about a credential that failed: the key prefix, never the rest. */
  static safeIdOf(credential: string): string | undefined {
    const key = parseApiKey(credential);
    return key ? key.prefix : undefined;
  }
}
