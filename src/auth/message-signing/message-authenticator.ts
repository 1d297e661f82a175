import { Injectable, Logger } from '@nestjs/common';
import { ErrorCode } from '../../common/errors/error-code';
import { AppConfig } from '../../config/app-config';
import { IncomingMessage, PoisonMessageError } from '../../messaging/message';
import { decideAccess } from '../access-decision';
import { echoedText, withoutKeySecrets } from '../api-keys/api-key-format';
import { SecurityAuditRepository } from '../audit/security-audit.repository';
import { credentialOf } from '../credentials';
import { bodyHashProblem } from '../jwt/body-hash-claim';
import { JwtVerifier } from '../jwt/jwt-verifier';
import type { Principal } from '../principal';
import type { Role } from '../role';
import { stalenessOf } from './message-freshness';
import {
  checkSignature, headerOf, MESSAGE_AUTHORIZATION_HEADER, SIGNATURE_HEADER, SIGNATURE_TIMESTAMP_HEADER, SIGNING_SERVICE_HEADER,
} from './message-signature';
import { parseSigningSecrets } from './signing-secrets';

interface Refusal { code: ErrorCode; reason: string; principal?: Principal; claimedId?: string }
type Verdict = { principal: Principal } | Refusal;

/**
 * With MESSAGE_SIGNING=required, proves who sent a message on the registration, execution-start
 * or Orca request topic, and that it was signed lately: an HMAC-SHA256 signature with the service's secret over a
 * timestamp and the body, or a JWT verified as over HTTP that also carries a recent `iat` and
 * the body's hash. A refused message is written to the security audit and dead-lettered with its
 * reason; it is never redelivered, since no retry can sign it. A failing audit write (the database
 * is down) or an identity provider whose keys cannot be fetched escapes as itself, so the message
 * waits for them instead of being lost unaudited or refused for an outage.
 */
@Injectable()
export class MessageAuthenticator {
  private readonly logger = new Logger(MessageAuthenticator.name);
  private readonly secrets: ReadonlyMap<string, Buffer>;

  constructor(private readonly config: AppConfig, private readonly jwt: JwtVerifier, private readonly audit: SecurityAuditRepository) {
    this.secrets = parseSigningSecrets(config.SIGNING_SECRETS);
  }

  /** The message's proven sender, who must hold one of `roles`; undefined while signing is off. */
  async authenticate(message: IncomingMessage, roles: Role[]): Promise<Principal | undefined> {
    if (this.config.MESSAGE_SIGNING === 'off') return undefined;
    const verdict = await this.verify(message);
    if ('code' in verdict) return this.refuse(message, verdict);
    if (decideAccess(roles, verdict.principal) !== 'allow') {
      return this.refuse(message, { code: ErrorCode.FORBIDDEN, principal: verdict.principal,
        reason: `${verdict.principal.id} has none of the roles ${roles.join(', ')}` });
    }
    return verdict.principal;
  }

  private async verify(message: IncomingMessage): Promise<Verdict> {
    const maxAge = this.config.MESSAGE_SIGNATURE_MAX_AGE_SECONDS;
    const signature = headerOf(message.headers, SIGNATURE_HEADER);
    if (signature !== undefined) {
      const service = headerOf(message.headers, SIGNING_SERVICE_HEADER);
      const check = checkSignature(service, signature, headerOf(message.headers, SIGNATURE_TIMESTAMP_HEADER), message.body, this.secrets);
      if (!check.ok) return { code: ErrorCode.MESSAGE_SIGNATURE_INVALID, reason: check.reason, claimedId: service && `hmac:${this.named(service)}` };
      const principal: Principal = { id: `hmac:${check.service}`, kind: 'message-signature', roles: ['service'], service: check.service };
      // Checked after the MAC, so only a genuine message, replayed or held back, is called stale.
      const stale = stalenessOf(check.signedAt, Date.now(), maxAge);
      return stale ? { code: ErrorCode.MESSAGE_EXPIRED, reason: stale, principal } : { principal };
    }
    const authorization = headerOf(message.headers, MESSAGE_AUTHORIZATION_HEADER);
    if (authorization === undefined) {
      return { code: ErrorCode.MESSAGE_UNSIGNED, reason: `MESSAGE_SIGNING=required: sign with ${SIGNATURE_HEADER} or send an ${MESSAGE_AUTHORIZATION_HEADER}: Bearer <JWT> header` };
    }
    // Parsed and bounded as over HTTP; only a JWT counts here, since an API key would sit in the broker's log for good.
    const credential = credentialOf({ authorization });
    if (credential.kind !== 'given' || !JwtVerifier.looksLikeJwt(credential.value)) {
      return { code: ErrorCode.MESSAGE_SIGNATURE_INVALID, reason: 'the bearer token is not a valid JWT for Baton' };
    }
    const check = await this.jwt.check(credential.value, maxAge);
    if ('principal' in check) {
      const unbound = bodyHashProblem(check.claims, message.body);
      return unbound ? { code: ErrorCode.MESSAGE_SIGNATURE_INVALID, reason: unbound, claimedId: check.principal.id } : { principal: check.principal };
    }
    return { code: check.refusal === 'expired' ? ErrorCode.MESSAGE_EXPIRED : ErrorCode.MESSAGE_SIGNATURE_INVALID, reason: check.reason };
  }

  /** Refuses a proven sender that may not do what its message asks: audited and dead-lettered, as a refused signature is. */
  forbid(message: IncomingMessage, principal: Principal, reason: string): Promise<never> {
    return this.refuse(message, { code: ErrorCode.FORBIDDEN, principal, reason });
  }

  /** A configured service's name whole; any other claimed name is the sender's text, maybe a credential, so echoed cut. */
  private named(service: string): string {
    return this.secrets.has(service) ? service : echoedText(service, 64);
  }

  private async refuse(message: IncomingMessage, refusal: Refusal): Promise<never> {
    const target = `topic ${message.topic}`;
    // The reason may quote the sender's headers or claims; it is logged, audited and put on the dead letter.
    const reason = withoutKeySecrets(refusal.reason);
    this.logger.warn({ topic: message.topic, messageId: message.id, code: refusal.code, reason }, 'message refused');
    await this.audit.record({ event: 'MESSAGE_REJECTED', principal: refusal.principal, claimedId: refusal.claimedId,
      target, code: refusal.code, reason });
    throw new PoisonMessageError(`${refusal.code}: ${reason}`);
  }
}
