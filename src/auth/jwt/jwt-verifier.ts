import { Injectable, Logger } from '@nestjs/common';
import type { JWTVerifyGetKey } from 'jose' with { 'resolution-mode': 'import' };
import type { KeyObject } from 'node:crypto';
import { AppConfig } from '../../config/app-config';
import type { Principal } from '../principal';
import { CLOCK_SKEW_SECONDS } from '../message-signing/message-freshness';
import { serviceRulesOf } from '../service-topic';
import { claimPathsOf, principalFromClaims, principalIdOf } from './jwt-claims';
import { parseJwtPublicKey } from './jwt-public-key';
import { KeySetUnavailableError } from './key-set-unavailable-error';

/**
 * `claims`: the verified payload, for callers that bind the token to more (a message's body).
 * `unacceptable`: a genuine token whose claims Baton cannot act on or refuses (another audience or
 * issuer, not yet valid, no `exp`); its reason may be told to the caller.
 * `expired`: a genuine token past its `exp`.
 * jose checks claims only once the signature verified, so a claim it refuses proves the token genuine.
 * `principalId`: a genuine token's `jwt:<sub>`, for the audit; never given for an `invalid` one,
 * whose subject anyone could have written.
 */
export type JwtCheck =
  | { principal: Principal; claims: Record<string, unknown> }
  | { refusal: 'expired' | 'unacceptable'; reason: string; principalId: string }
  | { refusal: 'invalid'; reason: string };

type Jose = typeof import('jose', { with: { 'resolution-mode': 'import' } });
type KeySource = KeyObject | JWTVerifyGetKey;

const JWT_SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/;
/** What a key set's lookup throws because of the token (no key with its `kid`, an `alg` it cannot serve); anything else is the key set's fault. */
const TOKEN_FAULTS = new Set(['ERR_JWKS_NO_MATCHING_KEY', 'ERR_JWKS_MULTIPLE_MATCHING_KEYS', 'ERR_JOSE_NOT_SUPPORTED']);

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
   * Throws KeySetUnavailableError when the JWKS cannot be fetched: the token is then not refused.
   */
  async check(token: string, maxAgeSeconds?: number): Promise<JwtCheck> {
    if (!this.enabled) return { refusal: 'invalid', reason: 'no JWT verifier is configured' };
    const { jose, key } = await this.keys();
    try {
      const { payload } = await jose.jwtVerify(token, key as JWTVerifyGetKey, {
        issuer: this.config.AUTH_JWT_ISSUER,
        audience: this.config.AUTH_JWT_AUDIENCE,
        algorithms: claimPathsOf(this.config.AUTH_JWT_ALGORITHMS),
        requiredClaims: ['exp'],
        clockTolerance: CLOCK_SKEW_SECONDS,
        ...(maxAgeSeconds === undefined ? {} : { maxTokenAge: maxAgeSeconds }),
      });
      const verdict = principalFromClaims(payload, {
        service: claimPathsOf(this.config.AUTH_JWT_SERVICE_CLAIMS), roles: claimPathsOf(this.config.AUTH_JWT_ROLES_CLAIMS),
      }, serviceRulesOf(this.config));
      return 'principal' in verdict ? { principal: verdict.principal, claims: payload }
        : { refusal: 'unacceptable', reason: verdict.refusal, principalId: principalIdOf(payload) };
    } catch (e) {
      if (e instanceof KeySetUnavailableError) throw e;
      // The reason (expired, wrong audience ...) is useful to an operator; the token itself never is.
      const { code, claim, reason, payload } = e as { code?: string; claim?: string; reason?: string; payload?: Record<string, unknown> };
      this.logger.debug({ reason: code ?? (e as Error).name, claim }, 'JWT refused');
      if (code === 'ERR_JWT_EXPIRED' || (claim === 'iat' && reason === 'check_failed')) {
        return { refusal: 'expired', reason: (e as Error).message, principalId: principalIdOf(payload ?? {}) };
      }
      if (code === 'ERR_JWT_CLAIM_VALIDATION_FAILED') {
        return { refusal: 'unacceptable', reason: (e as Error).message, principalId: principalIdOf(payload ?? {}) };
      }
      return { refusal: 'invalid', reason: 'the bearer token is not a valid JWT for Baton' };
    }
  }

  /** A load that failed is forgotten, so the next token tries again rather than failing for the process's life. */
  private keys(): Promise<{ jose: Jose; key: KeySource }> {
    this.ready ??= this.load().catch((e: unknown) => {
      this.ready = undefined;
      throw e;
    });
    return this.ready;
  }

  private async load(): Promise<{ jose: Jose; key: KeySource }> {
    // jose 6 ships only ES modules; a dynamic import loads it from our CommonJS build.
    const jose = await import('jose');
    if (this.config.AUTH_JWKS_URL) {
      const remote = jose.createRemoteJWKSet(new URL(this.config.AUTH_JWKS_URL), { cooldownDuration: this.config.AUTH_JWKS_COOLDOWN_MS, cacheMaxAge: 600_000 });
      // jose throws the same way for a token it has no key for and for a key set it could not fetch;
      // only the first is the token's fault.
      const key: JWTVerifyGetKey = async (header, token) => {
        try {
          return await remote(header, token);
        } catch (e) {
          throw TOKEN_FAULTS.has((e as { code?: string }).code ?? '') ? e : new KeySetUnavailableError(e);
        }
      };
      return { jose, key };
    }
    const key = parseJwtPublicKey(this.config.AUTH_JWT_PUBLIC_KEY!);
    this.logger.log({ type: key.asymmetricKeyType }, 'JWT verification with a static public key');
    return { jose, key };
  }
}
