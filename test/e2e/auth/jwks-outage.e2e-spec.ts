import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { MessageConsumer } from '../../../src/messaging/message-consumer';
import { MessagePublisher } from '../../../src/messaging/message-publisher';
import { bearer, newAdminKey } from '../../helpers/auth';
import { initiatorYaml } from '../../helpers/documents';
import { expectEventually } from '../../helpers/expect-eventually';
import { AUDIENCE, ISSUER, rsaKey, signJwt } from '../../helpers/jwt';
import { messageJwt } from '../../helpers/message-jwt';
import { startTestApp, TestApp } from '../../helpers/test-app';

/**
 * The identity provider's key set is down (its URL answers 500): a JWT is then neither valid nor
 * invalid. Callers get 503 with Retry-After, not 401, so an outage neither blocks addresses as
 * failed logins nor fills the audit with denials; JWT-signed messages wait for the keys instead
 * of being dead-lettered.
 */
describe('JWT verification while the JWKS is unavailable', () => {
  const admin = newAdminKey();
  const idp = rsaKey();
  const dead: string[] = [];
  let keySetUp = false;
  /** Requests the key set's URL has had: each verification during the outage tries to fetch it. */
  let jwksRequests = 0;
  let jwks: Server;
  let t: TestApp;

  beforeAll(async () => {
    jwks = createServer((_req, res) => {
      jwksRequests++;
      if (!keySetUp) return void res.writeHead(500).end('identity provider down');
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ keys: [idp.jwk] }));
    });
    await new Promise<void>((resolve) => jwks.listen(0, '127.0.0.1', resolve));
    t = await startTestApp({
      AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_JWKS_URL: `http://127.0.0.1:${(jwks.address() as AddressInfo).port}/certs`,
      AUTH_JWT_ISSUER: ISSUER, AUTH_JWT_AUDIENCE: AUDIENCE, AUTH_FAILURE_LIMIT: '2', MESSAGE_SIGNING: 'required',
      // Few deliveries before a failing message is dead-lettered: the wait below outlasts them sooner.
      MESSAGING_MAX_DELIVERIES: '2',
    });
    await t.get(MessageConsumer).subscribe({ topic: `${t.config.TOPIC_REGISTRATION}.DLQ`, group: 'observer', handler: async (m) => {
      dead.push(m.headers['x-dead-letter-reason']);
    } });
  });
  afterAll(async () => {
    await t?.close();
    await new Promise((resolve) => jwks.close(resolve));
  });

  const audit = async (event: string) =>
    (await t.http.get('/api/admin/security-audit').query({ event }).set(bearer(admin)).expect(200)).body.items as unknown[];

  it('answers 503 with Retry-After, counts no failed login and audits no denial', async () => {
    const token = signJwt(idp, { roles: ['viewer'] });
    for (let i = 0; i < 4; i++) {
      const res = await t.http.get('/api/auth/me').set(bearer(token)).expect(503);
      expect(res.body.code).toBe('SERVICE_UNAVAILABLE');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
    }
    // Past AUTH_FAILURE_LIMIT=2 from this address, and yet a valid key is not blocked.
    await t.http.get('/api/auth/me').set(bearer(admin)).expect(200);
    expect(await audit('DENIED')).toEqual([]);
  });

  it('keeps a JWT-signed registration waiting for the keys, then applies it', async () => {
    const body = initiatorYaml('outageFlow', 'sequential', ['one']);
    const token = messageJwt(idp, body, { azp: 'realm-service', roles: ['service'] });
    const fetchesBefore = jwksRequests;
    await t.get(MessagePublisher).publish([{ topic: t.config.TOPIC_REGISTRATION, body: Buffer.from(body),
      headers: { 'content-type': 'application/yaml', authorization: `Bearer ${token}` } }]);
    // Each attempt to verify the message fetches the key set: more attempts than a failing message
    // gets before it is dead-lettered show that the outage is waited out, not counted against it.
    const attempts = t.config.MESSAGING_MAX_DELIVERIES + 1;
    await expectEventually(() => expect(jwksRequests - fetchesBefore).toBeGreaterThanOrEqual(attempts), { timeoutMs: 10_000 });
    expect(dead).toEqual([]);
    expect(await audit('MESSAGE_REJECTED')).toEqual([]);
    await t.http.get('/api/orchestration/templates/outageFlow').set(bearer(admin)).expect(404);

    keySetUp = true;
    await expectEventually(async () => {
      const res = await t.http.get('/api/orchestration/templates/outageFlow').set(bearer(admin)).expect(200);
      expect(res.body.ownerService).toBe('realm-service');
    }, { timeoutMs: 10_000 });
    expect(dead).toEqual([]);
  });
});
