import { bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { startTestApp, TestApp } from '../../helpers/test-app';

// Test traffic comes from 127.0.0.1: here the "proxy" is the test itself, naming clients with X-Forwarded-For.
const LIMIT = 20;
const BAD = bearer(`bk_nope_${'y'.repeat(40)}`);
const from = (client: string) => ({ 'X-Forwarded-For': client });

/** AUTH_FAILURE_LIMIT failures answer 401; the next one, 429. */
async function failUntilBlocked(t: TestApp, clients: string[]): Promise<void> {
  for (const client of clients.slice(0, -1)) await t.http.get('/api/orchestration/templates').set(BAD).set(from(client)).expect(401);
  const blocked = await t.http.get('/api/orchestration/templates').set(BAD).set(from(clients.at(-1)!)).expect(429);
  expect(blocked.body.code).toBe('TOO_MANY_AUTH_FAILURES');
}

describe('TRUST_PROXY=loopback: failed logins are counted per forwarded client, not per proxy', () => {
  const admin = newAdminKey();
  let t: TestApp;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_FAILURE_LIMIT: String(LIMIT), TRUST_PROXY: 'loopback' });
    viewer = await issueKey(t, admin, 'viewer');
  });
  afterAll(() => t?.close());

  it('blocks the client that keeps failing, and no other', async () => {
    await failUntilBlocked(t, Array(LIMIT + 1).fill('203.0.113.7'));
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).set(from('203.0.113.7')).expect(429);
    // A forged address in front of the one the proxy appended changes nothing.
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).set(from('10.9.9.9, 203.0.113.7')).expect(429);

    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).set(from('198.51.100.9')).expect(200);
    await t.http.get('/api/orchestration/templates').set(BAD).set(from('198.51.100.9')).expect(401);
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).expect(200);
  });

  it("audits the client's address, not the proxy's", async () => {
    const audit = await t.http.get('/api/admin/security-audit').query({ event: 'DENIED' }).set(bearer(admin)).expect(200);
    const ips = new Set(audit.body.items.map((row: { ip: string }) => row.ip));
    expect(ips).toEqual(new Set(['203.0.113.7', '198.51.100.9']));
  });
});

describe('without TRUST_PROXY: X-Forwarded-For is ignored, the socket address is the client', () => {
  const admin = newAdminKey();
  let t: TestApp;
  let viewer: string;

  beforeAll(async () => {
    t = await startTestApp({ AUTH_MODE: 'on', ADMIN_API_KEY: admin, AUTH_FAILURE_LIMIT: String(LIMIT) });
    viewer = await issueKey(t, admin, 'viewer');
  });
  afterAll(() => t?.close());

  it('counts failures under every forwarded address against the one peer', async () => {
    await failUntilBlocked(t, Array.from({ length: LIMIT + 1 }, (_, i) => `203.0.113.${i + 1}`));
    await t.http.get('/api/orchestration/templates').set(bearer(viewer)).set(from('198.51.100.9')).expect(429);
  });
});
