import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { createHash } from 'node:crypto';
import { isInfrastructureError } from '../../common/errors/infrastructure-error';
import { loadConfig } from '../../config/load-config';
import { IncomingMessage, PoisonMessageError } from '../../messaging/message';
import type { SecurityAuditEntry, SecurityAuditRepository } from '../audit/security-audit.repository';
import type { JwtCheck, JwtVerifier } from '../jwt/jwt-verifier';
import { KeySetUnavailableError } from '../jwt/key-set-unavailable-error';
import { MessageAuthenticator } from './message-authenticator';
import { signatureOf } from './message-signature';

const SECRET = 'tenant-secret-'.repeat(3);
const GOOD_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln';
const OPERATOR_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvcCJ9.c2ln';
const OLD_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvbGQifQ.c2ln';
const UNBOUND_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1bmJvdW5kIn0.c2ln';
const OUTAGE_JWT = 'eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJvdXRhZ2UifQ.c2ln';
const MAX_AGE = 300;
const NOW = Date.UTC(2026, 11, 2, 12, 0, 0);

const body = Buffer.from('{"orchName":"tenantCreation","payload":{}}');
const bodySha256 = createHash('sha256').update(body).digest('hex');

/**
 * The identity provider is external: this verifier knows these tokens and refuses the rest. The
 * good ones claim the hash of `body`, UNBOUND_JWT none; it calls OLD_JWT expired, as jose does for
 * an `iat` older than the age it is given, and cannot fetch the keys for OUTAGE_JWT.
 */
const jwt = {
  enabled: true,
  check: (token: string, maxAge?: number): Promise<JwtCheck> => token === OUTAGE_JWT
    ? Promise.reject(new KeySetUnavailableError(new TypeError('fetch failed')))
    : Promise.resolve(
      maxAge !== MAX_AGE ? { refusal: 'invalid', reason: `asked for max age ${maxAge}` }
        : token === GOOD_JWT ? { principal: { id: 'jwt:x', kind: 'jwt', roles: ['service'], service: 'realm-service' }, claims: { body_sha256: bodySha256 } }
          : token === OPERATOR_JWT ? { principal: { id: 'jwt:op', kind: 'jwt', roles: ['viewer'] }, claims: { body_sha256: bodySha256 } }
            : token === UNBOUND_JWT ? { principal: { id: 'jwt:unbound', kind: 'jwt', roles: ['service'], service: 'realm-service' }, claims: {} }
              : token === OLD_JWT ? { refusal: 'expired', reason: '"iat" claim timestamp check failed (too far in the past)', principalId: 'jwt:old' }
                : { refusal: 'invalid', reason: 'the bearer token is not a valid JWT for Baton' }),
} as unknown as JwtVerifier;

function setup(signing: 'off' | 'required', failAudit?: Error) {
  const rows: SecurityAuditEntry[] = [];
  const audit = { record: (e: SecurityAuditEntry) => (failAudit ? Promise.reject(failAudit) : (rows.push(e), Promise.resolve())) };
  const config = loadConfig({ MESSAGE_SIGNING: signing, SIGNING_SECRETS: `tenant-service:${SECRET}` });
  return { rows, auth: new MessageAuthenticator(config, jwt, audit as unknown as SecurityAuditRepository) };
}

const message = (headers: Record<string, string>, content = body): IncomingMessage =>
  ({ id: 'm1', topic: 'orchestrator.execution.start', headers, body: content, deliveryAttempt: 1 });
const signedAt = (offsetSeconds: number, content = body) => {
  const ts = String(NOW / 1000 + offsetSeconds);
  return { 'x-baton-service': 'tenant-service', 'x-baton-signature-timestamp': ts, 'x-baton-signature': signatureOf(SECRET, ts, content) };
};
const signed = signedAt(0);

describe('MessageAuthenticator', () => {
  beforeAll(() => Logger.overrideLogger(false));
  beforeEach(() => jest.useFakeTimers({ now: NOW }));
  afterEach(() => jest.useRealTimers());

  it('lets every message through, unproven, while signing is off', async () => {
    const { auth, rows } = setup('off');
    await expect(auth.authenticate(message({}), ['service'])).resolves.toBeUndefined();
    expect(rows).toEqual([]);
  });

  it('proves the service of an HMAC-signed message', async () => {
    const { auth, rows } = setup('required');
    await expect(auth.authenticate(message(signed), ['service'])).resolves
      .toEqual({ id: 'hmac:tenant-service', kind: 'message-signature', roles: ['service'], service: 'tenant-service' });
    await expect(auth.authenticate(message(signedAt(-MAX_AGE - 30)), ['service'])).resolves.toMatchObject({ service: 'tenant-service' });
    await expect(auth.authenticate(message(signedAt(30)), ['service'])).resolves.toMatchObject({ service: 'tenant-service' });
    expect(rows).toEqual([]);
  });

  it('proves the sender of a message with a JWT, verified as over HTTP, that claims the hash of its body', async () => {
    const { auth } = setup('required');
    await expect(auth.authenticate(message({ Authorization: `Bearer ${GOOD_JWT}` }), ['service'])).resolves
      .toEqual({ id: 'jwt:x', kind: 'jwt', roles: ['service'], service: 'realm-service' });
  });

  it.each([
    ['without a body_sha256 claim', UNBOUND_JWT, body, 'jwt:unbound', /^MESSAGE_SIGNATURE_INVALID: the token has no body_sha256 claim/],
    ['copied onto another body', GOOD_JWT, Buffer.from('{"orchName":"dropAllTenants","payload":{}}'), 'jwt:x',
      /^MESSAGE_SIGNATURE_INVALID: the token's body_sha256 claim does not match the message body/],
  ])('dead-letters and audits a message whose genuine JWT is %s', async (_name, token, content, claimedId, reason) => {
    const { auth, rows } = setup('required');
    const refusal = auth.authenticate(message({ authorization: `Bearer ${token}` }, content), ['service']);
    await expect(refusal).rejects.toThrow(PoisonMessageError);
    await expect(refusal).rejects.toThrow(reason);
    expect(rows).toEqual([expect.objectContaining({ event: 'MESSAGE_REJECTED', code: 'MESSAGE_SIGNATURE_INVALID', claimedId })]);
  });

  it('lets an identity provider outage escape as an infrastructure error, unaudited, so the message waits instead of being dead-lettered', async () => {
    const { auth, rows } = setup('required');
    const outcome = await auth.authenticate(message({ authorization: `Bearer ${OUTAGE_JWT}` }), ['service']).catch((e: unknown) => e);
    expect(outcome).toBeInstanceOf(KeySetUnavailableError);
    expect(outcome).not.toBeInstanceOf(PoisonMessageError);
    expect(isInfrastructureError(outcome)).toBe(true);
    expect(rows).toEqual([]);
  });

  it.each([
    ['unsigned', {}, 'MESSAGE_UNSIGNED', undefined],
    ['signed over another body', signedAt(0, Buffer.from('{}')), 'MESSAGE_SIGNATURE_INVALID', 'hmac:tenant-service'],
    ['signed with the wrong secret', { ...signed, 'x-baton-signature': signatureOf('x'.repeat(40), signed['x-baton-signature-timestamp'], body) }, 'MESSAGE_SIGNATURE_INVALID', 'hmac:tenant-service'],
    ['signed without a timestamp (the scheme before replay protection)', { ...signed, 'x-baton-signature-timestamp': '' }, 'MESSAGE_SIGNATURE_INVALID', 'hmac:tenant-service'],
    ['signed longer ago than the window and the clock skew (a replay)', signedAt(-MAX_AGE - 31), 'MESSAGE_EXPIRED', undefined],
    ['signed further ahead than the clock skew', signedAt(31), 'MESSAGE_EXPIRED', undefined],
    ['with a token issued longer ago than the window', { authorization: `Bearer ${OLD_JWT}` }, 'MESSAGE_EXPIRED', undefined],
    ['claiming a service without a secret', { ...signed, 'x-baton-service': 'attacker' }, 'MESSAGE_SIGNATURE_INVALID', 'hmac:attacker'],
    ['with a bad token', { authorization: `Bearer ${GOOD_JWT}x` }, 'MESSAGE_SIGNATURE_INVALID', undefined],
    ['with an API key instead of a JWT', { authorization: `Bearer bk_abcd_${'k'.repeat(43)}` }, 'MESSAGE_SIGNATURE_INVALID', undefined],
    ['with a token lacking the role', { authorization: `Bearer ${OPERATOR_JWT}` }, 'FORBIDDEN', undefined],
  ])('dead-letters and audits a message %s', async (_name, headers, code, claimedId) => {
    const { auth, rows } = setup('required');
    const refusal = auth.authenticate(message(headers), ['service']);
    await expect(refusal).rejects.toThrow(PoisonMessageError);
    await expect(refusal).rejects.toThrow(new RegExp(`^${code}: `));
    expect(rows).toEqual([expect.objectContaining({ event: 'MESSAGE_REJECTED', code, target: 'topic orchestrator.execution.start' })]);
    if (claimedId) expect(rows[0].claimedId).toBe(claimedId);
    expect(JSON.stringify(rows)).not.toContain(SECRET);
  });

  /** A producer that put its whole admin key in x-baton-service had it written to the audit, the log and the dead letter. */
  it('audits, logs and dead-letters a claimed service without a secret cut: no whole key, no more than 64 characters', async () => {
    const key = `bk_abcd1234_${'K'.repeat(43)}`;
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    try {
      for (const [claimed, shown] of [[key, 'bk_abcd1234_…'], ['n'.repeat(300), 'n'.repeat(64)]]) {
        const { auth, rows } = setup('required');
        const refusal = auth.authenticate(message({ ...signed, 'x-baton-service': claimed }), ['service']);
        await expect(refusal).rejects.toThrow(`MESSAGE_SIGNATURE_INVALID: no signing secret for service ${shown}`);
        expect(rows[0]).toMatchObject({ claimedId: `hmac:${shown}`, reason: `no signing secret for service ${shown}` });
      }
      expect(JSON.stringify(warn.mock.calls)).toContain('no signing secret for service bk_abcd1234_…');
      expect(JSON.stringify(warn.mock.calls)).not.toContain('K'.repeat(43));
    } finally {
      warn.mockRestore();
    }
  });

  it('lets a failed audit write escape as itself, so the message waits instead of being dead-lettered unaudited', async () => {
    const outage = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
    const { auth } = setup('required', outage);
    await expect(auth.authenticate(message({}), ['service'])).rejects.toBe(outage);
  });
});
