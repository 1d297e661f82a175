import { Injectable, Logger, OnModuleInit } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { createHash } from 'node:crypto';
import { AppError } from '../../common/errors/app-error';
import { errorMessage } from '../../common/errors/error-message';
import { ErrorCode } from '../../common/errors/error-code';
import type { ApiKeyQueryDto } from '../dto/api-key.dto';
import { AppConfig } from '../../config/app-config';
import { ConfigError } from '../../config/load-config';
import { SecurityAuditRepository } from '../audit/security-audit.repository';
import type { Principal } from '../principal';
import { echoedText, generateApiKey, parseApiKey } from './api-key-format';
import { type ApiKeyRequest, keyRequestRefusal } from './api-key-request';
import { hashSecret, verifyNothing, verifySecret } from './api-key-hash';
import type { ApiKeyEntity } from './api-key.entity';
import { ApiKeyRepository } from './api-key.repository';
import { serviceRulesOf } from '../service-topic';

/** A verified key is remembered this long, so a busy caller pays for scrypt once, not per request. */
const CACHE_MS = 30_000;
const CACHE_MAX = 10_000;
/** last_used_at is written at most this often per key. */
const TOUCH_MS = 60_000;

export interface IssuedApiKey {
  /** The only time the whole key is shown. */
  key: string;
  entity: ApiKeyEntity;
}

interface Verified {
  /** Its `keyId` names the key's row; the bootstrap key has none. */
  principal: Principal;
  /** How long it may be remembered: CACHE_MS, or less when the key expires sooner. */
  ttlMs: number;
}

/** The longest delay a Node timer keeps (2³¹ − 1 ms). */
const MAX_TIMER_MS = 2 ** 31 - 1;

const fingerprint = (key: string) => createHash('sha256').update(key).digest('base64url');

/**
 * Who issues or revokes a key: over HTTP a principal, from its address, in a request with its
 * correlation id; `cli` for `npm run keys` on the host. The security audit records which.
 */
export interface KeyChange {
  by: Principal | 'cli';
  ip?: string;
  correlationId?: string;
}

const changerId = ({ by }: KeyChange) => (by === 'cli' ? 'cli' : by.id);
const auditedChanger = ({ by, ip }: KeyChange) => (by === 'cli' ? { claimedId: 'cli' } : { principal: by, ip });

/**
 * What a presented key proves: a principal; a genuine key that no longer authenticates (its secret
 * matched, so this is no guess); or nothing (an unknown key, or a wrong secret).
 */
export type KeyVerdict = { principal: Principal } | { retired: 'revoked' | 'expired'; prefix: string } | undefined;

/** Issues, verifies and revokes API keys, including the bootstrap admin key from ADMIN_API_KEY. */
@Injectable()
export class ApiKeyService implements OnModuleInit {
  private readonly logger = new Logger(ApiKeyService.name);
  private readonly verified = new LRUCache<string, Verified>({ max: CACHE_MAX, ttl: CACHE_MS });
  /** Genuine keys found revoked or expired, remembered as verified ones are: a worker still sending one pays for scrypt once. */
  private readonly retired = new LRUCache<string, 'revoked' | 'expired'>({ max: CACHE_MAX, ttl: CACHE_MS });
  private readonly touched = new Map<string, number>();
  /** What waits on a key staying valid (a worker's long poll), by key id: told once when it is revoked. */
  private readonly revocationListeners = new Map<string, Set<() => void>>();
  /**
   * Key ids revoked here lately: a request whose key was verified just before its revocation may
   * start listening just after it, and must be told at once (for as long as a verification lasts).
   */
  private readonly revokedIds = new LRUCache<string, true>({ max: CACHE_MAX, ttl: CACHE_MS });
  private bootstrap?: { prefix: string; hash: string };

  constructor(
    private readonly keys: ApiKeyRepository,
    private readonly audit: SecurityAuditRepository,
    private readonly config: AppConfig,
  ) {}

  /**
   * Loads the bootstrap key. With authentication on and neither it nor an identity provider, the
   * keys made with `npm run keys` are the only way in: Baton does not start without one, as no
   * request could ever be authenticated (checked here, once the database is up, not with the
   * other settings: the keys are in it).
   */
  async onModuleInit(): Promise<void> {
    const parsed = this.config.ADMIN_API_KEY ? parseApiKey(this.config.ADMIN_API_KEY) : undefined;
    if (!parsed) {
      if (!this.config.authEnabled || this.config.jwtConfigured) return;
      if (!(await this.keys.hasUsableKey())) {
        throw new ConfigError('AUTH_MODE=on needs a way to authenticate: set ADMIN_API_KEY (bootstrap admin key) or AUTH_JWKS_URL / '
          + 'AUTH_JWT_PUBLIC_KEY, or make a key first with `npm run keys -- create --role admin` (with Baton stopped)');
      }
      // Baton works, but nobody can issue or revoke a key over HTTP: a leaked key would stay valid until a restart.
      if (!(await this.keys.hasUsableKey('admin'))) {
        this.logger.warn('No admin credential: no ADMIN_API_KEY, no JWT verifier, and no usable admin key. Keys can be issued and revoked '
          + 'only with `npm run keys` (with Baton stopped) until an admin key exists');
      }
      return;
    }
    this.bootstrap = { prefix: parsed.prefix, hash: await hashSecret(parsed.secret) };
    this.logger.log({ prefix: parsed.prefix }, 'bootstrap admin key loaded from ADMIN_API_KEY');
  }

  /** What the key proves (KeyVerdict). */
  async verify(key: string): Promise<KeyVerdict> {
    const parsed = parseApiKey(key);
    if (!parsed) return undefined;
    const known = this.recall(key);
    if (known) return known;
    const lookedUp = await this.lookUp(parsed.prefix, parsed.secret);
    if (!lookedUp) return undefined;
    // Revoked here while the secret was being checked against a row read before: not to be cached as valid.
    const found = 'principal' in lookedUp && lookedUp.principal.keyId && this.revokedIds.has(lookedUp.principal.keyId)
      ? { retired: 'revoked' as const } : lookedUp;
    const print = fingerprint(key);
    if ('retired' in found) {
      this.retired.set(print, found.retired);
      return { retired: found.retired, prefix: parsed.prefix };
    }
    this.verified.set(print, found, { ttl: found.ttlMs });
    this.touch(found.principal.keyId);
    return { principal: found.principal };
  }

  /**
   * What a key this instance verified lately proves, without a derivation or the database;
   * undefined when it must be verified (unknown here, or not a key).
   */
  recall(key: string): Exclude<KeyVerdict, undefined> | undefined {
    const print = fingerprint(key);
    const cached = this.verified.get(print);
    if (cached) {
      this.touch(cached.principal.keyId);
      return { principal: cached.principal };
    }
    const retired = this.retired.get(print);
    const parsed = retired && parseApiKey(key);
    return parsed ? { retired, prefix: parsed.prefix } : undefined;
  }

  async issue(request: ApiKeyRequest, change: KeyChange): Promise<IssuedApiKey> {
    const by = changerId(change);
    const refusal = keyRequestRefusal(request, serviceRulesOf(this.config));
    if (refusal) throw refusal;
    const { key, prefix } = generateApiKey();
    const secretHash = await hashSecret(parseApiKey(key)!.secret);
    const entity = await this.keys.inTransaction(async (m) => {
      const row = await this.keys.insertKey({
        prefix, secretHash, name: request.name, role: request.role, service: request.service ?? null, expiresAt: request.expiresAt ?? null, createdBy: by,
      }, m);
      await this.audit.record({ event: 'KEY_CREATED', ...auditedChanger(change), target: `api-key ${prefix}`, code: 'KEY_CREATED',
        reason: `${request.role} key "${request.name}"${request.service ? ` for ${request.service}` : ''} created by ${by}` }, m);
      return row;
    });
    this.logger.log({ prefix, role: request.role, service: request.service, by, correlationId: change.correlationId }, 'API key created');
    return { key, entity };
  }

  list(query: ApiKeyQueryDto): Promise<[ApiKeyEntity[], number]> {
    return this.keys.listKeys(query);
  }

  /**
   * Revokes a key, with its audit row in the same transaction; revoking it again changes nothing
   * and answers the same key, so a retried revocation is safe and audited once. A whole key given
   * instead of its id or prefix (pasted by mistake, or found leaked) revokes that key, and only
   * its prefix is ever echoed. `changed`: false when the key was revoked already.
   */
  async revoke(idOrKey: string, change: KeyChange): Promise<{ key: ApiKeyEntity; changed: boolean }> {
    const by = changerId(change);
    const idOrPrefix = parseApiKey(idOrKey)?.prefix ?? echoedText(idOrKey, 64);
    const revoked = await this.keys.inTransaction(async (m) => {
      const found = await this.keys.revokeKey(idOrPrefix, m);
      if (found?.revokedNow) {
        await this.audit.record({ event: 'KEY_REVOKED', ...auditedChanger(change), target: `api-key ${found.key.prefix}`, code: 'KEY_REVOKED',
          reason: `key "${found.key.name}" revoked by ${by}` }, m);
      }
      return found;
    });
    if (!revoked) throw new AppError(ErrorCode.API_KEY_NOT_FOUND, `No API key ${idOrPrefix}`);
    this.forgetRevoked([revoked.key.id]);
    if (revoked.revokedNow) this.logger.log({ prefix: revoked.key.prefix, by, correlationId: change.correlationId }, 'API key revoked');
    return { key: revoked.key, changed: revoked.revokedNow };
  }

  /**
   * Calls `listener` once, when the key that proved `principal` stops working: revoked (here, or
   * found revoked by RevocationWatch, within about a second) or expired. Nothing for a principal
   * no key with a lifetime proved. Returns what stops listening.
   */
  onRetired(principal: Principal | undefined, listener: (why: 'revoked' | 'expired') => void): () => void {
    const keyId = principal?.keyId;
    if (!keyId) return () => undefined;
    let told = false;
    const tell = (why: 'revoked' | 'expired') => {
      if (told) return;
      told = true;
      stop();
      listener(why);
    };
    const onRevoked = () => tell('revoked');
    let listeners = this.revocationListeners.get(keyId);
    if (!listeners) this.revocationListeners.set(keyId, (listeners = new Set()));
    listeners.add(onRevoked);
    // Unref'd, and cleared by stop(): a poll never outlives its 30 s wait, a key may live for years.
    // A key expiring past a timer's range (24.8 days) is left untimed: Node fires a longer delay at once.
    const untilExpiry = principal?.keyExpiresAt === undefined ? Infinity : Math.max(0, principal.keyExpiresAt - Date.now());
    const expiry = untilExpiry > MAX_TIMER_MS ? undefined : setTimeout(() => tell('expired'), untilExpiry).unref();
    const stop = () => {
      clearTimeout(expiry);
      listeners.delete(onRevoked);
      if (listeners.size === 0 && this.revocationListeners.get(keyId) === listeners) this.revocationListeners.delete(keyId);
    };
    if (this.revokedIds.has(keyId)) tell('revoked');
    return stop;
  }

  /** Stops honouring these keys here at once, rather than when their verifications expire (RevocationWatch). */
  forgetRevoked(keyIds: string[]): void {
    if (keyIds.length === 0) return;
    const revoked = new Set(keyIds);
    for (const [print, entry] of this.verified.entries()) {
      if (!entry.principal.keyId || !revoked.has(entry.principal.keyId)) continue;
      this.verified.delete(print);
      this.retired.set(print, 'revoked');
    }
    // Told once the key is refused here, each on its own: one that throws must not keep the others waiting.
    for (const keyId of keyIds) {
      this.revokedIds.set(keyId, true);
      const listeners = this.revocationListeners.get(keyId);
      this.revocationListeners.delete(keyId);
      listeners?.forEach((listener) => {
        try {
          listener();
        } catch (error) {
          this.logger.warn({ err: errorMessage(error) }, 'a revocation listener failed');
        }
      });
    }
  }

  private async lookUp(prefix: string, secret: string): Promise<Verified | { retired: 'revoked' | 'expired' } | undefined> {
    if (this.bootstrap?.prefix === prefix) {
      if (!await verifySecret(secret, this.bootstrap.hash)) return undefined;
      return { principal: { id: prefix, kind: 'api-key', roles: ['admin'] }, ttlMs: CACHE_MS };
    }
    const row = await this.keys.findByPrefix(prefix);
    if (!row) return verifyNothing(secret).then(() => undefined);
    if (!await verifySecret(secret, row.secretHash)) return undefined;
    if (row.revokedAt) return { retired: 'revoked' };
    if (row.expiresAt && row.expiresAt.getTime() <= Date.now()) return { retired: 'expired' };
    const principal: Principal = {
      id: prefix, kind: 'api-key', roles: [row.role], ...(row.service ? { service: row.service } : {}), keyId: row.id,
      ...(row.expiresAt ? { keyExpiresAt: row.expiresAt.getTime() } : {}),
    };
    // Remembered until the key expires, if sooner; at least 1 ms, since a ttl of 0 means "forever".
    const ttlMs = Math.max(1, Math.min(CACHE_MS, (row.expiresAt?.getTime() ?? Infinity) - Date.now()));
    return { principal, ttlMs };
  }

  private touch(keyId: string | undefined): void {
    if (!keyId) return;
    const now = Date.now();
    if (now - (this.touched.get(keyId) ?? 0) < TOUCH_MS) return;
    this.touched.set(keyId, now);
    this.keys.markUsed(keyId, new Date(now)).catch((err: Error) =>
      this.logger.warn({ err: err.message }, 'last_used_at not updated'));
  }
}
