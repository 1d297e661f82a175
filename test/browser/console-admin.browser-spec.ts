// The console's workers, API keys and security audit pages in headless Chromium, against the
// embedded default with authentication on: an admin, an operator and a viewer each sign in with a
// key of their own, and a worker on the SDK (over HTTP, with a service key) reports presence.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { createWorker, type Worker } from '@baton/worker';
import type { Page } from 'playwright-core';
import { DataSource } from 'typeorm';
import { authOn, bearer, issueKey, newAdminKey } from '../helpers/auth';
import { expectEventually } from '../helpers/expect-eventually';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { json } from './console-fixtures';

const ORCH = 'realmProvisioning';
const SERVICE = 'realm-service';
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('operator console: workers, API keys and the security audit (headless Chromium, AUTH_MODE=on)', () => {
  const admin = newAdminKey();
  let h: ConsoleHarness;
  let viewer: string;
  let operator: string;
  let worker: Worker;

  beforeAll(async () => {
    h = await startConsole(authOn(admin));
    viewer = await issueKey(h.app, admin, 'viewer');
    operator = await issueKey(h.app, admin, 'operator');
    // Owned by tenant-service, worked by realm-service (WORKER_ACCESS is pinned with authentication on).
    await h.app.http.post('/api/orchestration/register').set(bearer(admin)).set('X-Service-Name', 'tenant-service').send({
      orchName: ORCH, as: 'initiator', type: 'sequential', workers: [SERVICE],
      steps: [{ seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }],
    }).expect(201);
    const serviceKey = await issueKey(h.app, admin, 'service', SERVICE);
    worker = createWorker({ service: SERVICE, baton: { url: h.base, apiKey: serviceKey }, transport: 'http', handleSignals: false, presenceMs: 500, logger: quiet });
    worker.step(ORCH, 'createRealm', { objectType: 'String', do: async () => ({ realm: 'acme' }) });
    worker.step(ORCH, 'createClient', { objectType: 'String', do: async () => ({ client: 'acme-web' }) });
    await worker.start();
  }, 120_000);
  afterAll(async () => {
    await worker?.stop();
    await h?.close();
  });

  /** A new tab signed in with `key` through the console's own form, on `path`. */
  async function signedIn(key: string, path: string): Promise<Page> {
    const p = await h.page();
    await p.goto(`${h.base}${path}`);
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await p.getByLabel('API key').fill(key);
    await p.getByRole('button', { name: 'Sign in', exact: true }).click();
    await p.locator('main h1').waitFor();
    return p;
  }
  const navEntries = (p: Page) => p.locator('header nav a').allTextContents();
  const prefixOf = (key: string) => /^bk_([A-Za-z0-9]+)_/.exec(key)![1];
  /** The part of a key that must never be shown again: what follows `bk_<prefix>_`. */
  const secretOf = (key: string) => key.slice(key.indexOf('_', 3) + 1);

  it('lists a registered worker service with the steps it handles and its live instance', async () => {
    const p = await signedIn(viewer, '/ui/workers');
    await p.getByRole('heading', { name: 'Workers' }).waitFor();
    const row = p.locator(`tr[data-service="${SERVICE}"]`);
    await row.waitFor();
    expect(await row.locator(`[data-template="${ORCH}"] [data-step]`).evaluateAll((els) => els.map((e) => e.getAttribute('data-step'))))
      .toEqual(['createClient', 'createRealm']);
    expect(await row.locator(`[data-template="${ORCH}"] a`).getAttribute('href')).toBe(`/ui/templates/${ORCH}`);
    // The worker's first beat may land after the page's first read of presence: it is read again every 5 s.
    const instance = row.locator('[data-instance]');
    await instance.waitFor({ timeout: 10_000 });
    expect(await row.locator('[data-live]').getAttribute('data-live')).toBe('1');
    expect(await instance.textContent()).toContain(hostname());
    expect(await instance.textContent()).toMatch(/SDK \S+, last seen/);
    // The in-process demo worker is registered too, for the demo template's three steps.
    const demo = p.locator('tr[data-service="demo-worker"]');
    expect(await demo.locator('[data-template="demoOrder"] [data-step]').count()).toBe(3);
    // The list pages by service, each service's steps whole on its row.
    expect(await p.getByTestId('page-summary').textContent()).toBe('Page 1 of 1 (2 services)');
    expect(await p.getByRole('alert').count()).toBe(0);
    await shot(p, 'workers');
  });

  it("says how many of a service's step registrations lie beyond the 200 a row shows", async () => {
    const p = await h.page();
    // The API's own answer, told that realm-service has 248 more registrations than it sends (a
    // service registered for 250 steps, of which a row gets the first 200).
    await p.route('**/api/orchestration/worker-services?*', async (r) => {
      const res = await r.fetch();
      const body = await res.json() as { items: Array<{ serviceName: string; registrationCount: number }> };
      for (const service of body.items) if (service.serviceName === SERVICE) service.registrationCount += 248;
      await r.fulfill({ response: res, json: body });
    });
    await p.addInitScript(`sessionStorage.setItem('baton.apiKey', ${JSON.stringify(viewer)})`);
    await p.goto(`${h.base}/ui/workers`);
    const row = p.locator(`tr[data-service="${SERVICE}"]`);
    await row.getByText('and 248 more step registrations: filter by template to see them').waitFor();
    // Every step it was sent is still listed, and a service with none beyond says nothing more.
    expect(await row.locator('[data-step]').count()).toBe(2);
    expect(await p.locator('tr[data-service="demo-worker"]').getByText(/more step registration/).count()).toBe(0);
  });

  it('filters the workers by service name, in the URL, and says when nothing matches', async () => {
    const p = await signedIn(viewer, '/ui/workers');
    await p.locator('tr[data-service="demo-worker"]').waitFor();
    await p.getByLabel('Service').fill(SERVICE);
    await p.waitForURL(`**/ui/workers?serviceName=${SERVICE}`);
    await expectEventually(async () => expect(await p.locator('tr[data-service]').evaluateAll((els) => els.map((e) => e.getAttribute('data-service'))))
      .toEqual([SERVICE]));
    // Exact, as the API matches: a part of the name matches nothing.
    await p.getByLabel('Service').fill('realm');
    await p.waitForURL('**/ui/workers?serviceName=realm');
    await p.getByText('No worker registration matches these filters.').waitFor();
    expect(await p.locator('tr[data-service]').count()).toBe(0);
    // The filtered list is a link.
    const q = await h.page();
    await q.addInitScript(`sessionStorage.setItem('baton.apiKey', ${JSON.stringify(viewer)})`);
    await q.goto(`${h.base}/ui/workers?serviceName=demo-worker`);
    await q.locator('tr[data-service="demo-worker"]').waitFor();
    expect(await q.locator('tr[data-service]').count()).toBe(1);
  });

  it('says, rather than fails, when the signed-in role may not read live instances', async () => {
    const p = await h.page();
    await p.addInitScript(`sessionStorage.setItem('baton.apiKey', ${JSON.stringify(viewer)})`);
    await p.route('**/api/workers/*/instances', (r) => r.fulfill(json({ code: 'FORBIDDEN', message: 'Forbidden: needs role viewer or operator or service' }, 403)));
    await p.goto(`${h.base}/ui/workers?serviceName=${SERVICE}`);
    const note = p.locator(`tr[data-service="${SERVICE}"]`).getByTestId('presence-note');
    await note.waitFor();
    expect(await note.textContent()).toBe(`Live instances need the viewer, operator or admin role (or a service key of that service); you are signed in as ${prefixOf(viewer)} (viewer).`);
    expect(await p.getByRole('alert').count()).toBe(0);
    expect(await p.locator(`tr[data-service="${SERVICE}"] [data-step]`).count()).toBe(2);
  });

  let issued: string;

  it('issues a key whose secret is shown once, works against the API, and is kept nowhere', async () => {
    const p = await signedIn(admin, '/ui/admin/api-keys');
    expect(await navEntries(p)).toEqual(['Overview', 'Templates', 'Runs', 'Audit', 'Workers', 'API keys', 'Security audit']);
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base });
    const requested: string[] = [];
    p.on('request', (r) => requested.push(r.url()));
    await p.getByRole('heading', { name: 'Issue a key' }).waitFor();
    // A key pasted as the name is refused by Baton (it would be listed to every admin): its problem is shown by path.
    const pasted = `bk_abcd1234_${randomBytes(32).toString('base64url')}`;
    await p.getByLabel('Name (what the key is for)').fill(pasted);
    await p.getByRole('button', { name: 'Issue key' }).click();
    const refusal = p.getByRole('alert');
    await refusal.waitFor();
    expect(await refusal.textContent()).toContain('INVALID_REQUEST: The key name holds an API key');
    expect(await refusal.locator('.problems li').allTextContents()).toEqual(['body.name: must not hold an API key: say what the key is for']);
    expect(await p.getByTestId('new-key').count()).toBe(0);
    await p.getByLabel('Name (what the key is for)').fill('billing deploys');
    // The issue form's role, not the list's filter of the same name.
    await p.getByRole('region', { name: 'Issue a key' }).getByLabel('Role').selectOption('service');
    await p.getByLabel('Service (the name it proves)').fill('billing-service');
    await p.getByRole('button', { name: 'Issue key' }).click();

    const panel = p.getByTestId('new-key');
    await panel.waitFor();
    expect(await p.getByRole('alert').count()).toBe(0);
    expect(await panel.textContent()).toContain('Copy this key now: it will not be shown again.');
    issued = await p.getByTestId('new-key-secret').inputValue();
    expect(issued).toMatch(/^bk_[A-Za-z0-9]+_[A-Za-z0-9_-]{32,}$/);
    const prefix = prefixOf(issued);
    expect(await panel.getAttribute('data-prefix')).toBe(prefix);
    await panel.getByRole('button', { name: 'Copy' }).click();
    expect(await p.evaluate<string>('navigator.clipboard.readText()')).toBe(issued);
    // Listed, by its prefix only.
    const row = p.locator(`tr[data-key-prefix="${prefix}"]`);
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('ACTIVE');
    expect(await row.textContent()).not.toContain(issued);
    await shot(p, 'api-key-issued');

    // The secret is the key: Baton knows who it is.
    const me = await h.app.http.get('/api/auth/me').set(bearer(issued)).expect(200);
    expect([me.body.id, me.body.roles, me.body.service]).toEqual([prefix, ['service'], 'billing-service']);

    // Kept in no storage, no address, no request the page made.
    const stored = await p.evaluate<string>('JSON.stringify([Object.entries(localStorage), Object.entries(sessionStorage)])');
    expect(stored).not.toContain(secretOf(issued));
    expect(p.url()).not.toContain(issued);
    expect(requested.filter((u) => u.includes(secretOf(issued)))).toEqual([]);
    // Gone after a reload: Baton keeps only its hash.
    await p.reload();
    await row.waitFor();
    expect(await p.getByTestId('new-key').count()).toBe(0);
    expect(await p.content()).not.toContain(secretOf(issued));
  });

  it('revokes a key through the confirmation, which names its prefix, and the API refuses it from then on', async () => {
    const prefix = prefixOf(issued);
    const p = await signedIn(admin, '/ui/admin/api-keys');
    const row = p.locator(`tr[data-key-prefix="${prefix}"]`);
    await row.getByRole('button', { name: `Revoke key ${prefix}` }).click();
    const dialog = p.getByRole('dialog');
    await dialog.getByRole('heading', { name: `Revoke key ${prefix}?` }).waitFor();
    expect(await dialog.getByTestId('revoke-effect').textContent()).toContain(`Key ${prefix} (“billing deploys”, service for billing-service) stops working`);
    await shot(p, 'api-key-revoke');
    await h.app.http.get('/api/auth/me').set(bearer(issued)).expect(200);
    await dialog.getByRole('button', { name: 'Revoke', exact: true }).click();
    await p.getByTestId('revoke-outcome').waitFor();
    expect(await p.getByTestId('revoke-outcome').textContent()).toContain(`Key ${prefix} is revoked`);
    expect(await dialog.count()).toBe(0);
    await expectEventually(async () => expect(await row.locator('.badge').textContent()).toBe('REVOKED'));
    expect(await row.getByRole('button', { name: `Revoke key ${prefix}` }).count()).toBe(0);
    const refused = await h.app.http.get('/api/auth/me').set(bearer(issued)).expect(401);
    expect(refused.body.message).toBe(`Authentication required: API key ${prefix} is revoked`);
  });

  it("shows a key name's right-to-left override as a mark, in the list and in the audit's reason, not obeyed", async () => {
    const name = 'phone \u202Egnp.exe';
    // Baton refuses such a name now; a key named so before that is still listed, and its audit kept.
    await h.app.http.post('/api/admin/api-keys').set(bearer(admin)).send({ name, role: 'viewer' }).expect(400);
    const made = await h.app.http.post('/api/admin/api-keys').set(bearer(admin)).send({ name: 'phone gnp.exe', role: 'viewer' }).expect(201);
    const prefix = made.body.prefix as string;
    const db = h.app.get(DataSource);
    await db.query('UPDATE api_key SET name = $1 WHERE prefix = $2', [name, prefix]);
    await db.query(`UPDATE security_audit SET reason = replace(reason, 'phone gnp.exe', $1) WHERE event = 'KEY_CREATED'`, [name]);
    const p = await signedIn(admin, '/ui/admin/api-keys');
    const cell = p.locator(`tr[data-key-prefix="${prefix}"] td`).nth(1);
    await cell.waitFor();
    expect(await cell.textContent()).toBe('phone [U+202E]gnp.exe');
    await p.goto(`${h.base}/ui/admin/security-audit?event=KEY_CREATED`);
    const reason = p.locator('tr[data-event="KEY_CREATED"]').first().locator('td').last();
    await reason.waitFor();
    expect(await reason.textContent()).toBe(`viewer key "phone [U+202E]gnp.exe" created by ${prefixOf(admin)}`);
  });

  it.each([['viewer', () => viewer], ['operator', () => operator]])('shows the %s no admin entries, and the admins-only notice on the admin pages', async (role, key) => {
    const p = await signedIn(key(), '/ui/admin/api-keys');
    const adminCalls: string[] = [];
    p.on('request', (r) => { if (r.url().includes('/api/admin/')) adminCalls.push(r.url()); });
    await p.getByRole('heading', { name: 'API keys' }).waitFor();
    expect(await navEntries(p)).toEqual(['Overview', 'Templates', 'Runs', 'Audit', 'Workers']);
    expect(await p.getByTestId('role-notice').textContent()).toBe(`API keys are for admins only; you are signed in as ${prefixOf(key())} (${role}).`);
    expect(await p.getByRole('heading', { name: 'Issue a key' }).count()).toBe(0);
    await p.goto(`${h.base}/ui/admin/security-audit`);
    await p.getByRole('heading', { name: 'Security audit' }).waitFor();
    expect(await p.getByTestId('role-notice').textContent()).toBe(`The security audit is for admins only; you are signed in as ${prefixOf(key())} (${role}).`);
    expect(await p.getByRole('alert').count()).toBe(0);
    expect(await navEntries(p)).not.toContain('Security audit');
    expect(adminCalls).toEqual([]);
  });

  it('lists a request denied for a bad key in the security audit, found by the key pasted whole, whose secret stays out of the address', async () => {
    const bad = `bk_zz${randomBytes(3).toString('hex')}_${randomBytes(32).toString('base64url')}`;
    const refused = await h.app.http.get('/api/orchestration/templates').set(bearer(bad)).expect(401);
    expect(refused.body.code).toBe('UNAUTHENTICATED');
    const p = await signedIn(admin, '/ui/admin/security-audit?event=DENIED');
    await p.getByRole('heading', { name: 'Security audit' }).waitFor();
    await p.locator('tr[data-event="DENIED"]').first().waitFor();
    await p.getByLabel('Key prefix or jwt:subject').fill(bad);
    await p.getByLabel('Key prefix or jwt:subject').press('Enter');
    await p.waitForURL(`**/ui/admin/security-audit?event=DENIED&principalId=${prefixOf(bad)}`);
    expect(p.url()).not.toContain(secretOf(bad));
    const row = p.locator('tr[data-event="DENIED"]');
    await expectEventually(async () => expect(await row.count()).toBe(1));
    const cells = await row.locator('td').allTextContents();
    expect(cells.slice(1, 3)).toEqual(['DENIED', `${prefixOf(bad)} claimed, not proven`]);
    expect(cells.slice(5)).toEqual(['GET /api/orchestration/templates', 'UNAUTHENTICATED', 'unknown, expired, revoked or invalid credentials']);
    // The field shows the prefix it filtered by, not the key typed.
    expect(await p.getByLabel('Key prefix or jwt:subject').inputValue()).toBe(prefixOf(bad));
    await shot(p, 'security-audit');

    // The key revoked above, by the admin's key: the event filter alone.
    await p.goto(`${h.base}/ui/admin/security-audit?event=KEY_REVOKED`);
    const revoked = p.locator('tr[data-event="KEY_REVOKED"]');
    await revoked.first().waitFor();
    expect(await revoked.first().locator('td').nth(5).textContent()).toBe(`api-key ${prefixOf(issued)}`);
    expect(await p.locator('tr[data-event]:not([data-event="KEY_REVOKED"])').count()).toBe(0);
  });

  it('filters the keys by role, service and state, each kept in the URL, back to page 1 on a change, and says when no key matches', async () => {
    const issue = async (name: string, role: string, service?: string) => (await h.app.http.post('/api/admin/api-keys').set(bearer(admin))
      .send({ name, role, ...(service ? { service } : {}) }).expect(201)).body.prefix as string;
    const active = await issue('ledger reads', 'service', 'ledger-service');
    const revoked = await issue('ledger old', 'service', 'ledger-service');
    await h.app.http.delete(`/api/admin/api-keys/${revoked}`).set(bearer(admin)).expect(200);
    // Baton issues no key that has expired already: this one's expiry is moved into the past.
    const expired = await issue('audit week', 'operator');
    await h.app.get(DataSource).query(`UPDATE api_key SET expires_at = now() - interval '1 hour' WHERE prefix = $1`, [expired]);

    const p = await signedIn(admin, '/ui/admin/api-keys?page=2');
    const filters = p.getByRole('search', { name: 'Filter keys' });
    const listed = (prefixes: string[]) => expectEventually(async () => expect(await p.locator('tr[data-key-prefix]')
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-key-prefix')))).toEqual(prefixes));
    await p.getByText('Nothing on page 2').waitFor();
    await filters.getByLabel('Role').selectOption('service');
    await p.waitForURL('**/ui/admin/api-keys?role=service');
    // The URL changes first, then the filtered page loads: read the rows once it has.
    let serviceKeys: Array<Array<string | null>> = [];
    await expectEventually(async () => {
      serviceKeys = await p.locator('tr[data-key-prefix]').evaluateAll((trs) => trs.map((tr) => [tr.getAttribute('data-key-prefix'), tr.querySelectorAll('td')[2].textContent]));
      expect(serviceKeys.map(([prefix]) => prefix)).toEqual(expect.arrayContaining([active, revoked]));
    });
    expect(serviceKeys.filter(([, role]) => !role!.startsWith('service'))).toEqual([]);
    expect(serviceKeys.map(([prefix]) => prefix)).not.toContain(expired);

    await filters.getByLabel('Service', { exact: true }).fill('ledger-service');
    await p.waitForURL('**/ui/admin/api-keys?role=service&service=ledger-service');
    await listed([revoked, active]);
    await filters.getByLabel('State').selectOption('revoked');
    await p.waitForURL('**/ui/admin/api-keys?role=service&service=ledger-service&state=revoked');
    await listed([revoked]);
    await filters.getByLabel('State').selectOption('active');
    await listed([active]);
    await shot(p, 'api-keys-filtered');
    // The filtered list is a link: a reload keeps it, its fields showing what it is filtered by.
    await p.reload();
    await listed([active]);
    expect([await filters.getByLabel('Role').inputValue(), await filters.getByLabel('Service', { exact: true }).inputValue(), await filters.getByLabel('State').inputValue()])
      .toEqual(['service', 'ledger-service', 'active']);

    await p.goto(`${h.base}/ui/admin/api-keys?state=expired`);
    await listed([expired]);
    await p.goto(`${h.base}/ui/admin/api-keys?role=viewer&service=ledger-service`);
    await p.getByText('No key matches these filters.').waitFor();
    expect(await p.locator('tr[data-key-prefix]').count()).toBe(0);
    await p.getByRole('button', { name: 'Clear the filters' }).click();
    await p.waitForURL('**/ui/admin/api-keys');
    await p.locator(`tr[data-key-prefix="${expired}"]`).waitFor();
    expect(await p.locator('tr[data-key-prefix]').count()).toBeGreaterThan(3);
  });

  it('narrows the security audit to a time range typed in local time, "to" not included, and says when the range can match nothing', async () => {
    const db = h.app.get(DataSource);
    // Three key issues, each audited at a time of its own, an hour apart.
    const at = ['2020-03-01T10:00:00.000Z', '2020-03-01T11:00:00.000Z', '2020-03-01T12:00:00.000Z'];
    const prefixes: string[] = [];
    for (const [i, when] of at.entries()) {
      const prefix = (await h.app.http.post('/api/admin/api-keys').set(bearer(admin)).send({ name: `range ${i}`, role: 'viewer' }).expect(201)).body.prefix as string;
      await db.query(`UPDATE security_audit SET created_at = $1 WHERE event = 'KEY_CREATED' AND target = $2`, [when, `api-key ${prefix}`]);
      prefixes.push(prefix);
    }
    // In India (UTC+05:30): 16:00 there is 10:30 UTC, 17:30 is 12:00 UTC.
    const context = await h.browser.newContext({ locale: 'en-US', timezoneId: 'Asia/Kolkata', viewport: { width: 1280, height: 800 } });
    try {
      const p = await context.newPage();
      p.setDefaultTimeout(15_000);
      await p.addInitScript(`sessionStorage.setItem('baton.apiKey', ${JSON.stringify(admin)})`);
      await p.goto(`${h.base}/ui/admin/security-audit?event=KEY_CREATED&page=2`);
      const filters = p.getByRole('search');
      const listed = (targets: string[]) => expectEventually(async () => expect(await p.locator('tr[data-event]')
        .evaluateAll((trs) => trs.map((tr) => tr.querySelectorAll('td')[5].textContent))).toEqual(targets));
      await p.getByText('Nothing on page 2').waitFor();

      await filters.getByLabel('From', { exact: true }).fill('2020-03-01T16:00');
      await p.waitForURL(`**/ui/admin/security-audit?event=KEY_CREATED&from=${encodeURIComponent('2020-03-01T10:30:00.000Z')}`);
      await filters.getByLabel('to', { exact: true }).fill('2020-03-01T17:30');
      await p.waitForURL(`**/ui/admin/security-audit?event=KEY_CREATED&from=${encodeURIComponent('2020-03-01T10:30:00.000Z')}&to=${encodeURIComponent('2020-03-01T12:00:00.000Z')}`);
      // 11:00 UTC only: 10:00 is before "from", and 12:00 is "to", which is not included.
      await listed([`api-key ${prefixes[1]}`]);
      expect(await p.getByTestId('range-problem').count()).toBe(0);
      await shot(p, 'security-audit-range');
      // The fields show the range in the browser's zone, after a reload too.
      await p.reload();
      await listed([`api-key ${prefixes[1]}`]);
      expect([await filters.getByLabel('From', { exact: true }).inputValue(), await filters.getByLabel('to', { exact: true }).inputValue()]).toEqual(['2020-03-01T16:00', '2020-03-01T17:30']);

      await filters.getByLabel('to', { exact: true }).fill('2020-03-01T16:00');
      await p.getByTestId('range-problem').waitFor();
      expect(await p.getByTestId('range-problem').textContent())
        .toBe('“to” is “from”, and events are listed up to “to”, not at it: no event can match. Swap them or clear one.');
      await filters.getByLabel('to', { exact: true }).fill('2020-03-01T15:00');
      await p.getByTestId('range-problem').filter({ hasText: '“to” is before “from”: no event can match. Swap them or clear one.' }).waitFor();
      await p.getByText('Nothing in the security audit matches these filters.').waitFor();
      // Clearing the range keeps nothing of it.
      await p.getByRole('button', { name: 'clear filters' }).click();
      await p.waitForURL('**/ui/admin/security-audit');
      await p.locator(`tr[data-event="KEY_CREATED"]`).first().waitFor();
      expect(await p.getByTestId('range-problem').count()).toBe(0);
    } finally {
      await context.close();
    }
  });
});
