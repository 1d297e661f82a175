import { CanActivate, ExecutionContext, Injectable, Logger } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { LRUCache } from 'lru-cache';
import type { FastifyRequest as Request } from 'fastify';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { correlationIdOf } from '../common/logging/correlation';
import { hasBodyToRead } from '../common/http/body-parsers';
import { SingleFlight } from '../common/single-flight';
import { AppConfig } from '../config/app-config';
import { decideAccess } from './access-decision';
import { Access, ACCESS_METADATA } from './access.decorator';
import { withoutKeySecrets } from './api-keys/api-key-format';
import { SecurityAuditRepository } from './audit/security-audit.repository';
import { AuthFailureLimiter } from './auth-failure-limiter';
import { credentialOf } from './credentials';
import { checkOrigin } from './http/origin-policy';
import { ANONYMOUS, WithPrincipal } from './current-principal';
import type { Principal } from './principal';
import { Authentication, PrincipalResolver } from './principal-resolver';
import { provenServiceName } from './proven-service';
import { PUBLIC_WHEN_METADATA, PublicWhen } from './public-when.decorator';

const NO_CREDENTIALS = 'no credentials (send Authorization: Bearer <key or token>, or X-API-Key)';

/**
 * The one place that decides who may call a controller route: it reads `@Roles(...)` /
 * `@Public()`, proves the caller from its credential, and puts the principal on the request.
 * Every denial is audited (a known caller's repeated one once a minute); failed authentications are counted per address.
 */
@Injectable()
export class AccessGuard implements CanActivate {
  private readonly logger = new Logger(AccessGuard.name);
  /**
   * Refusals audited within the last minute, not audited again until it is over: a retired
   * credential's and one without any (refuseUnauthenticated), and, apart, so that a flood of one
   * kind cannot push out the other, a known caller's refused by role or service (auditOncePerMinute).
   * A caller may repeat those many times over (a worker's revoked key, a scraper without a key, a
   * viewer's script on an admin route): one row a minute says as much, and must not fill the table.
   */
  private readonly retiredAudited = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
  private readonly deniedAudited = new LRUCache<string, true>({ max: 10_000, ttl: 60_000 });
  /** One check per address and credential at a time: a client's concurrent requests with one key share it. */
  private readonly checks = new SingleFlight<Authentication | undefined>();

  constructor(
    private readonly reflector: Reflector,
    private readonly config: AppConfig,
    private readonly resolver: PrincipalResolver,
    private readonly limiter: AuthFailureLimiter,
    private readonly audit: SecurityAuditRepository,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const req = context.switchToHttp().getRequest<Request & WithPrincipal>();
    const targets = [context.getHandler(), context.getClass()];
    let access = this.reflector.getAllAndOverride<Access | undefined>(ACCESS_METADATA, targets);
    const publicWhen = this.reflector.getAllAndOverride<PublicWhen | undefined>(PUBLIC_WHEN_METADATA, targets);
    if (access && publicWhen?.(this.config)) access = 'public';

    if (!this.config.authEnabled) this.refuseForeignPages(req);
    // Proven already when its body was to be read (authenticateBeforeBody): a JWT is not verified twice.
    const principal = this.config.authEnabled ? req.principal ?? await this.authenticate(req, access) : ANONYMOUS;
    if (principal) req.principal = principal;
    const decision = decideAccess(access, principal);
    if (decision === 'allow') {
      await this.refuseOtherServices(req, principal);
      return true;
    }
    if (decision === 'unauthenticated') {
      // No credential is no guess: a scraper set up without a key must not lock out the clients behind its address.
      await this.refuseUnauthenticated(req, undefined, NO_CREDENTIALS, false);
    }
    const why = decision === 'undeclared'
      ? 'the route declares no role (a bug: every route needs @Roles or @Public)'
      : `needs role ${(access as string[]).join(' or ')}; the caller has ${principal!.roles.join(', ') || 'no Baton role'}`;
    if (decision === 'undeclared') this.logger.error({ target: this.targetOf(req), correlationId: correlationIdOf(req) }, 'route without @Roles or @Public refused');
    await this.auditOncePerMinute(req, principal, ErrorCode.FORBIDDEN, why);
    throw new AppError(ErrorCode.FORBIDDEN, `Forbidden: ${why}`);
  }

  /**
   * Run before a request's body is read (a Fastify preParsing hook): a request whose body Fastify
   * would read is authenticated first, so a caller without a valid credential cannot have Baton
   * buffer up to BODY_LIMIT_BYTES, or hold the request while the body trickles in. No route that
   * can be public takes a body (route-table spec), so one without any credential is refused here
   * too. The principal stays on the request for the route's own check (canActivate).
   */
  async authenticateBeforeBody(req: Request & WithPrincipal): Promise<void> {
    if (!this.config.authEnabled || !hasBodyToRead(req)) return;
    const principal = await this.authenticate(req, undefined);
    if (!principal) await this.refuseUnauthenticated(req, undefined, NO_CREDENTIALS, false);
    req.principal = principal;
  }

  /**
   * A route with a `:service` path parameter (the HTTP worker transport) acts for that service: a
   * `service` principal may name only its own, or it could poll and answer another service's commands.
   */
  private async refuseOtherServices(req: Request, principal: Principal | undefined): Promise<void> {
    const named = (req.params as Record<string, string | undefined>).service;
    if (named === undefined) return;
    const proven = provenServiceName(principal, named, null);
    if (proven.ok) return;
    await this.auditOncePerMinute(req, principal, ErrorCode.SERVICE_NAME_MISMATCH, proven.reason);
    throw new AppError(ErrorCode.SERVICE_NAME_MISMATCH, `Forbidden: ${proven.reason}`);
  }

  /**
   * A known caller's refusal, audited once a minute per caller, address, route, code and reason
   * (deniedAudited). The route is its pattern, not its path: a script varying a path parameter
   * must not get a row, and a cache entry, per request.
   */
  private async auditOncePerMinute(req: Request, principal: Principal | undefined, code: ErrorCode, reason: string): Promise<void> {
    const target = this.targetOf(req);
    const once = JSON.stringify([principal?.id, req.ip, req.method, req.routeOptions.url ?? target, code, reason]);
    if (this.deniedAudited.has(once)) return;
    this.deniedAudited.set(once, true);
    await this.audit.recordQuietly({ event: 'DENIED', principal, ip: req.ip, target, code, reason });
  }

  private refuseForeignPages(req: Request): void {
    const fetchSite = req.headers['sec-fetch-site'];
    const verdict = checkOrigin(req.headers.origin, req.headers.host, this.config.corsOrigins, typeof fetchSite === 'string' ? fetchSite : undefined);
    if (verdict === 'allow') return;
    this.logger.warn({ origin: req.headers.origin, host: req.headers.host, target: this.targetOf(req), correlationId: correlationIdOf(req) },
      `refused: ${verdict}`);
    throw new AppError(ErrorCode.ORIGIN_NOT_ALLOWED, verdict === 'foreign-host'
      ? 'With AUTH_MODE=off Baton answers only requests addressed to a loopback host'
      : 'With AUTH_MODE=off Baton refuses requests from other origins; list trusted ones in CORS_ORIGINS');
  }

  /** Undefined when no credential was sent (fine on a public route); throws on a bad one. */
  private async authenticate(req: Request, access: Access | undefined): Promise<Principal | undefined> {
    const credential = credentialOf(req.headers);
    const address = req.ip ?? 'unknown';
    if (credential.kind === 'none' && access === 'public') return undefined;
    // A key this instance verified lately proves itself at no cost and tells a guesser nothing: the
    // block earned by guesses from its address (a NAT shared with a pod sending a foreign key) must
    // not shut out every valid key behind it.
    const recalled = credential.kind === 'given' ? this.resolver.recall(credential.value) : undefined;
    if (recalled && 'principal' in recalled) return recalled.principal;
    if (this.limiter.isBlocked(address)) this.refuseWithWait(address);
    if (credential.kind === 'none') return undefined;
    if (credential.kind === 'malformed') return this.refuseUnauthenticated(req, undefined, 'malformed credentials');
    const resolved = recalled ?? await this.checks.run(`${address}\n${credential.value}`,
      () => this.limiter.admit(address, () => this.resolver.resolve(credential.value)));
    if (!resolved) this.refuseWithWait(address, ErrorCode.TOO_MANY_AUTH_CHECKS, 'Too many credential checks under way from this address; try again shortly');
    if ('refusal' in resolved) return this.refuseUnauthenticated(req, resolved.claimedId, resolved.refusal, resolved.guess);
    return resolved.principal;
  }

  /**
   * `guess` (the default): the credential proved nothing, and counts against the address's failure
   * limit. A genuine but retired one does not (a revoked key, an expired token), nor does a request
   * without any, and each is audited once a minute per credential (`claimedId`: a key's prefix, a
   * token's verified subject) and reason: its holder may send it many times over (a worker's
   * replies, a scraper without a key), which is no attack to record each time.
   */
  private async refuseUnauthenticated(req: Request, claimedId: string | undefined, why: string, guess = true): Promise<never> {
    const address = req.ip ?? 'unknown';
    const blocked = guess && await this.limiter.recordFailure(address);
    const once = `${claimedId}:${why}`;
    if (guess || !this.retiredAudited.has(once)) {
      if (!guess) this.retiredAudited.set(once, true);
      await this.audit.recordQuietly({ event: 'DENIED', claimedId, ip: address, target: this.targetOf(req),
        code: blocked ? ErrorCode.TOO_MANY_AUTH_FAILURES : ErrorCode.UNAUTHENTICATED, reason: why });
    }
    this.logger.warn({ ip: address, claimedId, target: this.targetOf(req), correlationId: correlationIdOf(req) }, `unauthenticated: ${why}`);
    if (blocked) this.refuseWithWait(address);
    throw new AppError(ErrorCode.UNAUTHENTICATED, `Authentication required: ${why}`);
  }

  /** 429 with the wait (Retry-After): blocked after failures, or too many checks under way; a client that backs off by it is not refused again. */
  private refuseWithWait(address: string, code = ErrorCode.TOO_MANY_AUTH_FAILURES,
    why = 'Too many failed authentications from this address; try again later'): never {
    throw new AppError(code, why, [],
      { retryAfterSeconds: this.limiter.blockedForSeconds(address) });
  }

  private targetOf(req: Request): string {
    return `${req.method} ${withoutKeySecrets(req.originalUrl.split('?')[0])}`;
  }
}
