import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { expectEventually } from '../../helpers/expect-eventually';
import { serverSuite } from '../../helpers/server-env';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/**
 * Two instances on one PostgreSQL: a key revoked on one stops working on the other within seconds,
 * though the other verified it moments before and would remember it for 30 s.
 */
describe('an API key revoked on another instance (PostgreSQL 15)', () => {
  const suite = serverSuite('memory');
  const admin = newAdminKey();
  let a: TestApp;
  let b: TestApp;

  beforeAll(async () => {
    const env = { ...(await suite.env()), ...authOn(admin) };
    [a, b] = [await startTestApp({ ...env, INSTANCE_ID: 'engine-a' }), await startTestApp({ ...env, INSTANCE_ID: 'engine-b' })];
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await suite.cleanup();
  });

  it('is refused by the other instance within seconds of the revocation', async () => {
    const key = await issueKey(a, admin, 'viewer');
    const prefix = key.split('_')[1];
    await a.http.get('/api/auth/me').set(bearer(key)).expect(200);
    await b.http.get('/api/auth/me').set(bearer(key)).expect(200);

    await a.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin)).expect(200);

    await a.http.get('/api/auth/me').set(bearer(key)).expect(401);
    // The watch looks every second: well inside the 30 s B would otherwise have honoured the key.
    await expectEventually(async () => {
      const res = await b.http.get('/api/auth/me').set(bearer(key));
      expect(`${res.status} ${res.body.message}`).toBe(`401 Authentication required: API key ${prefix} is revoked`);
    }, { timeoutMs: 10_000, intervalMs: 100 });
  });

  it('revokes once when both instances are asked at the same moment: both answer the key as revoked, one audit row', async () => {
    const key = await issueKey(a, admin, 'viewer');
    const prefix = key.split('_')[1];
    const answers = await Promise.all([a, b, a, b].map((t) => t.http.delete(`/api/admin/api-keys/${prefix}`).set(bearer(admin))));
    expect(answers.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((r) => r.body.revokedAt)).size).toBe(1);
    const audit = await a.http.get('/api/admin/security-audit?event=KEY_REVOKED&pageSize=100').set(bearer(admin)).expect(200);
    expect(audit.body.items.filter((e: { target: string }) => e.target === `api-key ${prefix}`)).toHaveLength(1);
  });
});

