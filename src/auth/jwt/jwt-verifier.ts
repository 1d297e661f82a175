import { Injectable, Logger } from '@nestjs/common';
import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import { createPublicKey, JsonWebKey, KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import type { Principal } from '../principal';
import { CLOCK_SKEW_SECONDS } from '../message-signing/message-freshness';
import { claimPathsOf, principalFromClaims } from './jwt-claims';

/** `unacceptable`: a genuine token whose claims Baton cannot act on; its reason may be told to the caller. */
export type JwtCheck = { principal: Principal } | { refusal: 'expired' | 'invalid' | 'unacceptable'; reason: string };

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type KeySource = KeyObject | JWTVerifyGetKey;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;

/**
 * Verifies bearer JWTs from the team's identity provider: signature (JWKS fetched and cached by
 * jose, refetched when a token names an unknown key id, so rotation needs no restart; or a static
 * key), issuer, audience, expiry, and only the configured algorithms (never `none`).
 */
@Injectable()
export class JwtVerifier {
  private readonly logger = new Logger(JwtVerifier.name);
  private ready?: Promise<{ jose: Jose; key: KeySource }>;

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return this.config.jwtConfigured;
  }

  static looksLikeJwt(value: string): boolean {
    return JWT_SHAPE.test(value);
  }

  /**
   * The token's principal, or why it was refused (the claim, never the token). With `maxAgeSeconds`
   * the token must also carry `iat`, no older than that and not in the future: a message stays in
   * the broker's log, so its token must bound how long a copy of it can be replayed.
   */
  async check(token: string, maxAgeSeconds?: number): Promise<JwtCheck> {
    if (!this.enabled) return { refusal: 'invalid', reason: 'no JWT verifier is configured' };
    const { jose, key } = await (this.ready ??= this.load());
    try {
      const { payload } = await jose.jwtVerify(token, key as JWTVerifyGetKey, {
        issuer: this.config.AUTH_JWT_ISSUER,
        audience: this.config.AUTH_JWT_AUDIENCE,
        algorithms: claimPathsOf(this.config.AUTH_JWT_ALGORITHMS),
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        ...(maxAgeSeconds === undefined ? {} : { maxTokenAge: maxAgeSeconds }),
      });
      const claims = principalFromClaims(payload, {
        service: claimPathsOf(this.config.AUTH_JWT_SERVICE_CLAIMS), roles: claimPathsOf(this.config.AUTH_JWT_ROLES_CLAIMS),
      });
      return 'principal' in claims ? claims : { refusal: 'unacceptable', reason: claims.refusal };
    } catch (e) {
      // The reason (expired, wrong audience ...) is useful to an operator; the token itself never is.
      const { code, claim, reason } = e as { code?: string; claim?: string; reason?: string };
      this.logger.debug({ reason: code ?? (e as Error).name, claim }, 'JWT refused');
      if (code === 'ERR_JWT_EXPIRED' || (claim === 'iat' && reason === 'check_failed')) return { refusal: 'expired', reason: (e as Error).message };
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') return { refusal: 'invalid', reason: (e as Error).message };
      return { refusal: 'invalid', reason: 'the bearer token is not a valid JWT for Baton' };
    }
  }

  private async load(): Promise<{ jose: Jose; key: KeySource }> {
    // jose 6 ships only ES modules; a dynamic import loads it from our CommonJS build.
    const jose = await import('jose');
    if (this.config.AUTH_JWKS_URL) {
      return { jose, key: jose.createRemoteJWKSet(new URL(this.config.AUTH_JWKS_URL), { cooldownDuration: this.config.AUTH_JWKS_COOLDOWN_MS, cacheMaxAge: 600_000 }) };
    }
    const text = this.config.AUTH_JWT_PUBLIC_KEY!.trim();
    const key = text.startsWith('{')
      ? createPublicKey({ key: JSON.parse(text) as JsonWebKey, format: 'jwk' })
      : createPublicKey(text);
    this.logger.log({ type: key.asymmetricKeyType }, 'JWT verification with a static public key');
    return { jose, key };
  }
}
