import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { startTestApp, type TestApp } from '../../helpers/test-app';

/*
 * A service key's claim to another service was proven only for a valid document: an invalid one
 * was refused 400 and audited as that other service's bad document, with no security denial, so
 * the registration audit blamed a service that sent nothing.
 */
describe('a service key claiming another service with an invalid document', () => {
  const admin = newAdminKey();
  let t: TestApp;
  const key: Record<string, string> = {};

  beforeAll(async () => {
    t = await startTestApp(authOn(admin));
    for (const service of ['owner', 'attacker']) key[service] = await issueKey(t, admin, 'service', service);
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  const register = (as: string, headers: Record<string, string>) => t.http.post('/api/orchestration/register')
    .set(bearer(key[as])).set(headers).set('Content-Type', 'application/yaml').send('orchName: claimed\nas: initiator\nsteps: nope\n');
  const rejected = async () => (await t.http.get('/api/orchestration/registrations/audit').query({ outcome: 'REJECTED', orchName: 'claimed' })
    .set(bearer(admin)).expect(200)).body.items as Array<{ serviceName: string; reason: string }>;
  const denials = async () => ((await t.http.get('/api/admin/security-audit').query({ event: 'DENIED', pageSize: 200 }).set(bearer(admin)).expect(200))
    .body.items as Array<{ service: string; code: string; target: string }>).filter((r) => r.code === 'SERVICE_NAME_MISMATCH');

  it('is denied 403 and audited as a denial, as with a valid document', async () => {
    const res = await register('attacker', { 'X-Service-Name': 'owner' }).expect(403);
    expect(res.body.code).toBe('SERVICE_NAME_MISMATCH');
    expect(await denials()).toEqual([expect.objectContaining({ service: 'attacker', target: 'POST /api/orchestration/register' })]);
    expect(await rejected()).toEqual([expect.objectContaining({ reason: expect.stringContaining('SERVICE_NAME_MISMATCH') })]);
  });

  it("is refused as an invalid document of the key's own service when it claims that one, or none", async () => {
    const denied = (await denials()).length;
    for (const headers of [{ 'X-Service-Name': 'owner' }, {}] as Array<Record<string, string>>) {
      expect((await register('owner', headers).expect(400)).body.code).toBe('INVALID_DOCUMENT');
    }
    expect((await rejected()).slice(0, 2)).toEqual([0, 1].map(() => expect.objectContaining({ serviceName: 'owner', reason: expect.stringContaining('INVALID_DOCUMENT') })));
    expect(await denials()).toHaveLength(denied);
  });
});
