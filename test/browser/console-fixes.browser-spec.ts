// What an operator found wrong in the console, each checked in headless Chromium against the
// embedded default. Where Baton cannot easily be brought into the state (a locked-out address, a
// revoked key, a run another operator retried meanwhile, Baton gone), the browser's answers are
// stood in for with page.route.
import { createWorker } from '@baton/worker';
import type { Locator, Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { waitForRun } from '../helpers/runs';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { alerts, CLOCK, cutOff, FLOW, json, pausedRun, UNREACHABLE } from './console-fixtures';
import { brokenInsideWords, lines } from './drawn-lines';

describe('operator console: the fixes to what an operator found (headless Chromium)', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  }, 120_000);
  afterAll(() => h?.close());

  const badges = (p: Page) => p.locator('.card .badge').allTextContents();

  it('shows a locked-out address the sign-in form with how long to wait, not a fake outage, and sends public routes no key', async () => {
    const p = await h.page();
    const configAuth: (string | undefined)[] = [];
    await p.route('**/api/auth/me', (r) => r.fulfill(json(
      { code: 'TOO_MANY_AUTH_FAILURES', message: 'Too many failed authentications from this address; try again later' }, 429, { 'Retry-After': '37' })));
    await p.route('**/api/auth/console-config', (r) => {
      configAuth.push(r.request().headers().authorization);
      return r.fallback();
    });
    await p.goto(`${h.base}/ui`);
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    expect(await p.getByTestId('sign-in-message').textContent()).toMatch(/^Too many failed sign-ins from this address: try again in 3[5-7] s\.$/);
    expect(await p.getByText(/down/).count()).toBe(0);
    await shot(p, 'fix-locked-out');
    await p.getByLabel('API key').fill('bk_typo.secret');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await expectEventually(() => expect(configAuth.length).toBeGreaterThanOrEqual(2));
    expect(configAuth).toEqual(configAuth.map(() => undefined));
  });

  it('says only the overall status when the health answer has no details (a caller without a role)', async () => {
    const p = await h.page();
    await p.route('**/api/orchestration/health', (r) => r.fulfill(json({ status: 'ok' })));
    await p.goto(`${h.base}/ui`);
    await p.locator('section.card', { hasText: 'Baton' }).waitFor();
    expect(await badges(p)).toEqual(['up']);
  });

  it("shows Baton's own reason for a revoked key", async () => {
    const p = await h.page();
    await p.addInitScript("sessionStorage.setItem('baton.apiKey', 'bk_ab12.secret')");
    await p.route('**/api/auth/me', (r) => r.fulfill(json({ code: 'UNAUTHENTICATED', message: 'Authentication required: API key bk_ab12 is revoked' }, 401)));
    await p.goto(`${h.base}/ui`);
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    expect(await p.getByTestId('sign-in-message').textContent())
      .toBe('Baton refused those credentials: API key bk_ab12 is revoked. Check the key, or sign in again; an admin can issue a new key.');
  });

  it('greys the last answer and says Baton is unreachable, with the time of that answer, when polling fails', async () => {
    const p = await h.page();
    await p.goto(`${h.base}/ui`);
    await p.locator('section.card.up', { hasText: 'Database' }).waitFor();
    await p.route('**/api/**', (r) => r.abort('connectionrefused'));
    const notice = p.getByText(new RegExp(`^Baton is unreachable \\(last answer at ${CLOCK}\\)\\.$`)).first();
    await notice.waitFor({ timeout: 15_000 });
    expect(await p.locator('.stale .card.up').count()).toBeGreaterThan(0);
    // Written the way the browser's locale writes a time, as every other time on the console is (12-hour here).
    const shape = (time: string) => time.replace(/\d+/g, '9');
    const answeredAt = (await notice.textContent())!.match(/at (.+)\)\.$/)![1];
    expect(shape(answeredAt)).toBe(shape(await p.evaluate<string>('new Date().toLocaleTimeString()')));
    await shot(p, 'fix-baton-down');
  });

  it('retries the attempt seen when the dialog opened, says the run changed meanwhile, and keeps the reason through a re-sign-in', async () => {
    const p = await h.page();
    let changed = false;
    let refuse = true;
    const sent: unknown[] = [];
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(pausedRun(changed))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    await p.route(`**/api/orchestration/runs/${FLOW}/retry`, (r) => {
      sent.push(r.request().postDataJSON());
      if (refuse) {
        refuse = false;
        return r.fulfill(json({ code: 'UNAUTHENTICATED', message: 'Authentication required: API key bk_ab12 is expired' }, 401));
      }
      return r.fulfill(json({ flowId: FLOW, action: 'retry', status: 'RUNNING', changed: true }));
    });
    await p.addInitScript("if (!sessionStorage.getItem('baton.apiKey')) sessionStorage.setItem('baton.apiKey', 'bk_ab12.secret')");
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const resume = p.locator('button[data-action="resume"]');
    await resume.waitFor();
    expect(await resume.getAttribute('title')).toBe('step ship failed: retry or skip it first');

    await p.locator('button[data-action="retry"]').click();
    const dialog = p.getByRole('dialog');
    await dialog.getByLabel('Reason (recorded on the run)').fill('card re-issued');
    changed = true;
    await dialog.getByTestId('action-changed').waitFor({ timeout: 10_000 });
    expect(await dialog.getByTestId('action-changed').textContent()).toContain('ship has had attempt 3 since the 2 you saw');
    await shot(p, 'fix-retry-changed');
    await dialog.getByRole('button', { name: 'Retry' }).click();

    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    expect(await p.getByTestId('sign-in-message').textContent()).toContain('API key bk_ab12 is expired');
    await p.getByLabel('API key').fill('bk_cd34.secret');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('action-resumed').waitFor();
    expect(await p.getByRole('dialog').getByLabel('Reason (recorded on the run)').inputValue()).toBe('card re-issued');
    await p.getByRole('dialog').getByRole('button', { name: 'Retry' }).click();
    await p.getByTestId('action-outcome').waitFor();
    expect(await p.getByTestId('action-outcome').textContent()).toMatch(new RegExp(`^Retry accepted: at ${CLOCK} the run was RUNNING\\.$`));
    expect(sent).toEqual([
      { stepName: 'ship', attempt: 2, reason: 'card re-issued' }, { stepName: 'ship', attempt: 2, reason: 'card re-issued' },
    ]);
  });

  it("keeps what an open dialog holds when the page's own poll meets an expired key, and opens it again after the sign-in", async () => {
    const p = await h.page();
    let expired = false;
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => (expired
      ? r.fulfill(json({ code: 'UNAUTHENTICATED', message: 'Authentication required: API key bk_ab12 is expired' }, 401))
      : r.fulfill(json(pausedRun(false)))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    await p.addInitScript("if (!sessionStorage.getItem('baton.apiKey')) sessionStorage.setItem('baton.apiKey', 'bk_ab12.secret')");
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    await p.locator('button[data-action="skip"]').click();
    await p.getByRole('dialog').getByLabel('Reason (recorded on the run)').fill('shipped by hand');

    expired = true;
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor({ timeout: 15_000 });
    expired = false;
    await p.getByLabel('API key').fill('bk_cd34.secret');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByTestId('action-resumed').waitFor();
    expect(await p.getByRole('dialog').getByLabel('Reason (recorded on the run)').inputValue()).toBe('shipped by hand');
  });

  it("draws a DAG template's own edges and lists what each step waits for; an unknown ?version= says so", async () => {
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'fixes').send({
      orchName: 'fixesDag', as: 'initiator', type: 'dag',
      steps: [
        { name: 'a', objectType: 'String' }, { name: 'b', objectType: 'String', dependsOn: ['a'] }, { name: 'c', objectType: 'String', dependsOn: ['a'] },
        { name: 'd', objectType: 'String', dependsOn: ['b'], onFailure: 'pause' }, { name: 'e', objectType: 'String', dependsOn: ['c'], retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 0 } },
      ],
    }).expect(201);
    const p = await h.page();
    await p.goto(`${h.base}/ui/templates/fixesDag?version=7`);
    await p.locator('svg [data-edge]').first().waitFor();
    const edges = await p.locator('svg [data-edge]').evaluateAll((els) => els.map((e) => e.getAttribute('data-edge')));
    expect(edges.sort()).toEqual(['a>b', 'a>c', 'b>d', 'c>e']);
    expect(await p.locator('[data-step-row="e"] [data-depends-on]').textContent()).toBe('c');
    expect(await p.locator('[data-step-row="e"]').textContent()).toContain('2 attempts, fixed 0 s');
    expect(await p.locator('[data-step-row="d"]').textContent()).toContain('pause the run');
    expect(await p.getByTestId('no-such-version').textContent()).toContain('fixesDag has no version 7 (it has 1 version)');
    await shot(p, 'fix-dag-template');
  });

  it('keeps status, time and error of each attempt in view on a 390 px phone, and tells a viewer actions need the operator role', async () => {
    const started = await h.app.http.post('/api/orchestration/execute/demoOrder').send({ orderId: 390 }).expect(202);
    const flowId = started.body.flowId as string;
    const p = await h.page();
    await p.route('**/api/auth/me', (r) => r.fulfill(json({ id: 'v', kind: 'apiKey', roles: ['viewer'], service: null })));
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(`${h.base}/ui/runs/${flowId}`);
    await expectEventually(async () => expect(await p.locator('h1 .badge').getAttribute('data-status')).toBe('COMPLETED'), { timeoutMs: 10_000 });
    await p.getByTestId('actions-need-role').waitFor();
    const status = p.locator('[data-attempt-row] .badge').first();
    const box = await status.boundingBox();
    expect(box!.x + box!.width).toBeLessThanOrEqual(390);
    expect(await p.evaluate<boolean>("(() => { const t = document.querySelector('[data-testid=attempts]'); return t.scrollWidth <= t.clientWidth; })()")).toBe(true);
    await shot(p, 'fix-run-390');
  });

  /** The timeline's axis labels left to right, and the track they label, in CSS pixels. */
  const axis = async (p: Page) => ({
    track: (await p.locator('.tl-axis .tl-track').boundingBox())!,
    labels: await p.locator('.tl-axis .tick').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent, left: r.left, right: r.right };
    }).sort((a, b) => a.left - b.left)),
  });
  async function expectAxisReadable(p: Page) {
    const { track, labels } = await axis(p);
    expect(labels.length).toBeGreaterThanOrEqual(2);
    const overlapping = labels.slice(1).flatMap((label, i) => (labels[i].right > label.left ? [`${labels[i].text} | ${label.text}`] : []));
    expect(overlapping).toEqual([]);
    // Half a pixel for layout rounding: a label flush with an end lies on a fractional edge.
    expect(labels[0].left).toBeGreaterThanOrEqual(track.x - 0.5);
    expect(labels[labels.length - 1].right).toBeLessThanOrEqual(track.x + track.width + 0.5);
  }
  const SIZES = [['390', 390, 844], ['1280', 1280, 800], ['1920', 1920, 1080]] as const;

  it('spaces the timeline axis by the width there is: no two labels overlap on a phone, a laptop or a wide screen', async () => {
    const flowId = (await h.app.http.post('/api/orchestration/execute/demoOrder').send({ orderId: 391 }).expect(202)).body.flowId as string;
    await waitForRun(h.app, flowId, 'COMPLETED');
    const p = await h.page();
    for (const [name, width, height] of SIZES) {
      await p.setViewportSize({ width, height });
      await p.goto(`${h.base}/ui/runs/${flowId}`);
      await p.locator('[data-lane="DO:shipOrder"]').waitFor();
      await expectAxisReadable(p);
      await shot(p, `fix-timeline-${name}`);
    }
  });

  it('compresses a long idle wait (a retry backoff) into a marked break with its length, so the quick steps keep their width', async () => {
    const orchName = 'backoffOrder';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'backoff-initiator').send({
      orchName, as: 'initiator', type: 'sequential', steps: [
        { seq: 1, name: 'reserveRoom', objectType: 'String' },
        // Seconds of waiting against milliseconds of work: without the break every bar is a sliver.
        { seq: 2, name: 'chargeCard', objectType: 'String', retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 5 } },
        { seq: 3, name: 'sendReceipt', objectType: 'String' },
      ],
    }).expect(201);
    const worker = createWorker({ service: 'backoff-service', baton: { url: h.base }, transport: 'http', handleSignals: false });
    let charges = 0;
    worker.step(orchName, 'reserveRoom', { objectType: 'String', do: async () => ({ room: 101 }) });
    worker.step(orchName, 'chargeCard', { objectType: 'String', do: async () => {
      if (++charges === 1) throw new Error('card network busy');
      return { charged: true };
    } });
    worker.step(orchName, 'sendReceipt', { objectType: 'String', do: async () => ({ sent: true }) });
    await worker.start();
    try {
      const flowId = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      const run = await waitForRun(h.app, flowId, 'COMPLETED', 20_000);
      const at = (iso: Date | null) => new Date(iso!).getTime();
      const attempt = (stepName: string, n = 1) => run.steps.find((s) => s.stepName === stepName && s.attempt === n)!;
      const idleMs = at(attempt('chargeCard', 2).dispatchedAt) - at(attempt('chargeCard').completedAt);
      const spanMs = at(attempt('sendReceipt').completedAt) - at(attempt('reserveRoom').dispatchedAt);
      // The wait is most of the run (the retry is picked up a moment after it is due, which is work, not waiting).
      expect(idleMs / spanMs).toBeGreaterThan(0.5);
      const p = await h.page();
      for (const [name, width, height] of SIZES) {
        await p.setViewportSize({ width, height });
        await p.goto(`${h.base}/ui/runs/${flowId}`);
        await p.locator('[data-lane="DO:sendReceipt"]').waitFor();
        const { track } = await axis(p);
        const gap = p.locator('.tl-axis [data-gap]');
        expect(await gap.count()).toBe(1);
        const [, seconds] = (await gap.textContent())!.match(/^… (\d+\.\d) s …$/)!;
        expect(Math.abs(Number(seconds) - idleMs / 1000)).toBeLessThan(0.1);
        expect(await gap.getAttribute('title')).toContain('nothing ran');
        // The break is drawn once, through the axis and every lane, narrow, and the retry starts where it ends.
        const bands = await p.locator('.tl-gaps .gap-band').evaluateAll((els) => els.map((e) => {
          const r = e.getBoundingClientRect();
          return { width: r.width, left: r.left, right: r.right, top: r.top, bottom: r.bottom };
        }));
        expect(bands).toHaveLength(1);
        expect(bands[0].width).toBeLessThanOrEqual(track.width * 0.3 + 1);
        expect(bands[0].left).toBeGreaterThanOrEqual(track.x - 0.5);
        const lastLane = (await p.locator('[data-lane="DO:sendReceipt"] .tl-track').boundingBox())!;
        expect(bands[0].top).toBeLessThanOrEqual(track.y + 0.5);
        expect(bands[0].bottom).toBeGreaterThanOrEqual(lastLane.y + lastLane.height - 0.5);
        const bar = async (attemptName: string) => (await p.locator(`[data-attempt="${attemptName}"]`).boundingBox())!;
        expect(Math.abs((await bar('DO chargeCard 2')).x - bands[0].right)).toBeLessThan(2);
        // The work around the wait gets the width the wait gave up: a bar is far wider than drawn to scale.
        const reserveMs = at(attempt('reserveRoom').completedAt) - at(attempt('reserveRoom').dispatchedAt);
        expect((await bar('DO reserveRoom 1')).width).toBeGreaterThan(2 * (reserveMs / spanMs) * track.width);
        // Durations stay true: the tooltip says how long the attempt took.
        expect(await p.locator('[data-attempt="DO reserveRoom 1"]').getAttribute('title')).toContain(`completed after ${reserveMs} ms`);
        await expectAxisReadable(p);
        await shot(p, `fix-timeline-idle-${name}`);
      }
    } finally {
      await worker.stop();
    }
  });

  it('cuts a step name too long for its box with an ellipsis, and shows it whole on hover and on keyboard focus', async () => {
    const long = 'reconcileCustomerLedgerWithExternalBillingProvider';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'fixes-long').send({
      orchName: 'fixesLongNames', as: 'initiator', type: 'dag',
      steps: [{ name: 'open', objectType: 'String' }, { name: long, objectType: 'String', dependsOn: ['open'] }],
    }).expect(201);
    const p = await h.page();
    await p.setViewportSize({ width: 1280, height: 800 });
    await p.goto(`${h.base}/ui/templates/fixesLongNames`);
    const node = p.locator(`svg [data-step="${long}"]`);
    await node.waitFor();
    const name = node.locator('.name');
    expect(await name.textContent()).toMatch(/^reconcile\w+…$/);
    const [nameBox, boxBox] = [(await name.boundingBox())!, (await node.locator('rect').boundingBox())!];
    expect(nameBox.x + nameBox.width).toBeLessThanOrEqual(boxBox.x + boxBox.width);
    expect(await node.getAttribute('aria-label')).toContain(long);
    expect(await p.locator(`svg [data-step="open"]`).getAttribute('tabindex')).toBeNull();
    await shot(p, 'fix-graph-long-name-cut');

    await node.focus();
    const tip = p.getByRole('tooltip');
    expect(await tip.textContent()).toBe(long);
    expect(await node.getAttribute('aria-describedby')).toBe(await tip.getAttribute('id'));
    // Grown where there is room for it, not into a sideways scroll of the graph.
    expect(await p.locator('figure.graph').evaluate((f) => f.scrollWidth <= f.clientWidth)).toBe(true);
    await shot(p, 'fix-graph-long-name');
    await node.blur();
    expect(await tip.count()).toBe(0);
    await node.hover();
    expect(await tip.textContent()).toBe(long);
  });

  const PHONE_AND_LAPTOP = SIZES.filter(([name]) => name !== '1920');
  /** The page as it is now, on a phone and on a laptop. */
  async function shots(p: Page, name: string) {
    for (const [size, width, height] of PHONE_AND_LAPTOP) {
      await p.setViewportSize({ width, height });
      await shot(p, `${name}-${size}`);
    }
  }

  it('says once per page that Baton is unreachable, and offers no run to start meanwhile: the overview and the runs list', async () => {
    const p = await h.page();
    // No run in the last hour, and none at all: where a newcomer is offered the demo, and how to start a run.
    const now = new Date().toISOString();
    await p.route('**/api/orchestration/stats/runs*', (r) => r.fulfill(json({ from: now, to: now, bucketSeconds: 120, buckets: [], totals: {} })));
    await p.route('**/api/orchestration/runs?*', (r) => r.fulfill(json({ items: [], page: 1, pageSize: 25, total: 0 })));
    await p.goto(`${h.base}/ui`);
    await p.locator('section.card.up', { hasText: 'Database' }).waitFor();
    const offers = p.getByText(/Try the demo|Start one with/);
    expect(await offers.count()).toBe(2);
    await cutOff(p);
    // Each of the three reads (health, runs per status, unfinished runs) has failed once its panel is greyed.
    await expectEventually(async () => expect(await p.locator('.stale').count()).toBe(3), { timeoutMs: 15_000 });
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await offers.count()).toBe(0);
    for (const [size, width, height] of PHONE_AND_LAPTOP) {
      await p.setViewportSize({ width, height });
      await shot(p, `fix-unreachable-overview-${size}`);
    }

    await p.unrouteAll();
    await p.route('**/api/orchestration/runs?*', (r) => r.fulfill(json({ items: [], page: 1, pageSize: 25, total: 0 })));
    await p.goto(`${h.base}/ui/runs`);
    await offers.waitFor();
    await cutOff(p);
    await p.getByRole('alert').waitFor();
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await offers.count()).toBe(0);
    await shot(p, 'fix-unreachable-runs');
  });

  it("says once on an unfinished run's page that Baton is unreachable, not again for its AWX / OO jobs", async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(pausedRun(false))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    await p.locator('[data-attempt-row="DO ship"]').first().waitFor();
    const refused = await cutOff(p);
    // The jobs are read every 5 s, the run every 2 s: a refused run read after the jobs' means the page has drawn both.
    await expectEventually(() => {
      const jobs = refused.indexOf(`/api/job-executions/request/${FLOW}`);
      expect(jobs).toBeGreaterThanOrEqual(0);
      expect(refused.slice(jobs + 1)).toContain(`/api/orchestration/runs/${FLOW}`);
    }, { timeoutMs: 15_000 });
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await p.getByRole('heading', { name: 'AWX / OO jobs' }).count()).toBe(0);
    await shot(p, 'fix-unreachable-run');
  });

  it("says on a template's page that Baton is unreachable and greys what it last answered, until Baton answers again", async () => {
    const p = await h.page();
    await p.clock.install();
    await p.goto(`${h.base}/ui/templates/demoOrder`);
    const steps = p.locator('[data-step-row]');
    await steps.first().waitFor();
    await cutOff(p);
    // The template is read every 10 s and its workers' presence every 5 s: either finds Baton gone.
    await p.clock.runFor(10_000);
    await p.getByRole('alert').waitFor();
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await p.locator('.stale [data-step-row]').count()).toBe(await steps.count());
    expect(await p.locator('h1 .stale [data-status]').count()).toBe(1);
    await shot(p, 'fix-unreachable-template');
    await p.unroute('**/api/**');
    await p.clock.runFor(10_000);
    await expectEventually(async () => expect(await alerts(p)).toEqual([]), { timeoutMs: 15_000 });
    expect(await p.locator('.stale').count()).toBe(0);
  });

  /** A run paused on a failed step (answered by the page's own routes), with its Retry button shown. */
  async function openPausedRun(p: Page): Promise<Locator> {
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(pausedRun(false))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const retry = p.locator('button[data-action="retry"]');
    await retry.waitFor();
    return retry;
  }

  it("greys a run's page while Baton is unreachable and disables its actions, saying why, until Baton answers again", async () => {
    const p = await h.page();
    const retry = await openPausedRun(p);
    const buttons = () => p.locator('button[data-action]').evaluateAll((els) => els.map((b) => ({
      action: b.getAttribute('data-action'), disabled: b.hasAttribute('disabled'), title: b.getAttribute('title'),
    })));
    // Once the run's template is read: until then the compensate button's title says it is not known yet.
    await expectEventually(async () => expect((await buttons()).find((b) => b.action === 'compensate')?.title).not.toContain('not known yet'),
      { timeoutMs: 10_000 });
    const answering = await buttons();
    expect(answering.find((b) => b.action === 'retry')).toEqual({ action: 'retry', disabled: false, title: expect.stringContaining('dispatched again') });
    const why = 'Baton is unreachable: nothing can be sent until it answers again';

    await cutOff(p);
    await p.getByRole('alert').waitFor();
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect({
      greyedAttempts: await p.locator('.stale [data-attempt-row]').count(),
      greyedStatus: await p.locator('h1 .stale [data-status="PAUSED"]').count(),
      buttons: await buttons(),
    }).toEqual({ greyedAttempts: 3, greyedStatus: 1, buttons: answering.map(({ action }) => ({ action, disabled: true, title: why })) });
    await shot(p, 'fix-unreachable-run-actions');

    await p.unroute('**/api/**');
    await expectEventually(async () => expect(await alerts(p)).toEqual([]), { timeoutMs: 10_000 });
    expect(await buttons()).toEqual(answering);
    expect(await p.locator('.stale').count()).toBe(0);

    // A dialog opened before Baton went: its confirm button waits too, and says why.
    await retry.click();
    const dialog = p.getByRole('dialog');
    const confirm = dialog.getByRole('button', { name: 'Retry' });
    expect(await confirm.isEnabled()).toBe(true);
    await cutOff(p);
    await dialog.getByTestId('action-gone').waitFor();
    expect(await dialog.getByTestId('action-gone').textContent()).toBe(`${why}.`);
    expect(await confirm.isDisabled()).toBe(true);
    await shot(p, 'fix-unreachable-run-dialog');
    await p.unroute('**/api/**');
    await expectEventually(async () => expect(await confirm.isEnabled()).toBe(true), { timeoutMs: 10_000 });
  });

  it('offers no way to register a template while Baton is unreachable: the templates list', async () => {
    const p = await h.page();
    await p.clock.install();
    await p.route('**/api/orchestration/templates?*', (r) => r.fulfill(json({ items: [], page: 1, pageSize: 25, total: 0 })));
    await p.goto(`${h.base}/ui/templates`);
    const offer = p.getByText(/Register one with/);
    await offer.waitFor();
    await cutOff(p);
    // Read every 10 s.
    await p.clock.runFor(10_000);
    await p.getByRole('alert').waitFor();
    expect(await offer.count()).toBe(0);
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    await shot(p, 'fix-unreachable-templates');
  });

  it('greys the runs and the templates lists while Baton is unreachable, until it answers again', async () => {
    await h.app.http.post('/api/orchestration/execute/demoOrder').send({ orderId: 392 }).expect(202);
    const p = await h.page();
    // The templates are read every 10 s, the runs every 2 s: the browser's clock is moved on instead of waited for.
    await p.clock.install();
    for (const list of ['runs', 'templates']) {
      await p.setViewportSize({ width: 1440, height: 900 });
      await p.goto(`${h.base}/ui/${list}`);
      await p.locator('table.grid tbody tr').first().waitFor();
      expect(await p.locator('.stale').count()).toBe(0);
      await cutOff(p);
      await p.clock.runFor(10_000);
      await p.getByRole('alert').waitFor();
      expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
      expect(await p.locator('.stale table.grid').count()).toBe(1);
      // The runs list's badge no longer says "live" in green beside the notice.
      if (list === 'runs') expect(await p.locator('h1 .live').textContent()).toBe('retrying');
      await shots(p, `fix-unreachable-${list}-greyed`);
      await p.unroute('**/api/**');
      await p.clock.runFor(10_000);
      await expectEventually(async () => expect(await alerts(p)).toEqual([]), { timeoutMs: 15_000 });
      if (list === 'runs') expect(await p.locator('h1 .live').textContent()).toBe('live');
      expect(await p.locator('.stale').count()).toBe(0);
    }
  }, 90_000);

  it("says Baton is unreachable with 'no answer yet' on a template's and a run's page, as on the lists, when it never answered", async () => {
    const p = await h.page();
    const refuse = (glob: string) => p.route(glob, (r) => r.abort('connectionrefused'));
    await refuse('**/api/orchestration/runs?*');
    await refuse('**/api/orchestration/templates/demoOrder*');
    await refuse('**/api/orchestration/registrations/audit*');
    await refuse(`**/api/orchestration/runs/${FLOW}`);
    const said: Record<string, string[]> = {};
    for (const [path, name] of [['/runs', 'runs'], ['/templates/demoOrder', 'template'], [`/runs/${FLOW}`, 'run']]) {
      await p.goto(`${h.base}/ui${path}`);
      await p.getByRole('alert').waitFor();
      said[path] = await alerts(p);
      await shots(p, `fix-never-answered-${name}`);
    }
    const never = ['Baton is unreachable (no answer yet).'];
    expect(said).toEqual({ '/runs': never, '/templates/demoOrder': never, [`/runs/${FLOW}`]: never });
  });

  /** The registration audit on a template's page: its table is the one with an Outcome column. */
  const auditTable = (p: Page, within = '') => p.locator(`${within} table.grid`.trim(), { has: p.locator('th', { hasText: 'Outcome' }) });

  it("greys a template's registration audit with the rest of its page, and says Baton is unreachable once when the audit's read found it first", async () => {
    // The page reads every 10 s: the browser's clock is moved on instead of waited for.
    const p = await h.page();
    await p.clock.install();
    await p.goto(`${h.base}/ui/templates/demoOrder`);
    await auditTable(p).waitFor();
    await cutOff(p);
    await p.clock.runFor(10_000);
    await p.getByRole('alert').waitFor();
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await auditTable(p, '.stale').count()).toBe(1);
    await shots(p, 'fix-unreachable-template-audit');
    await p.unroute('**/api/**');
    await p.clock.runFor(10_000);
    await expectEventually(async () => expect(await alerts(p)).toEqual([]), { timeoutMs: 15_000 });
    expect(await p.locator('.stale').count()).toBe(0);

    // Baton went between the template's read and the audit's: the page says it once, and shows the audit once Baton answers.
    const q = await h.page();
    await q.clock.install();
    await q.route('**/api/orchestration/registrations/audit*', (r) => r.abort('connectionrefused'));
    await q.goto(`${h.base}/ui/templates/demoOrder`);
    await q.locator('[data-step-row]').first().waitFor();
    await cutOff(q);
    await q.clock.runFor(10_000);
    await expectEventually(async () => expect(await alerts(q)).toEqual([expect.stringMatching(UNREACHABLE)]), { timeoutMs: 15_000 });
    await shots(q, 'fix-unreachable-template-audit-first');
    await q.unrouteAll();
    await q.clock.runFor(10_000);
    await expectEventually(async () => expect(await alerts(q)).toEqual([]), { timeoutMs: 15_000 });
    await auditTable(q).waitFor();
  }, 90_000);

  it('breaks a long template or step name between its words, not inside one, and never past the page, in the template, runs and run pages, on a phone and a laptop', async () => {
    const orchName = 'reconcileTenantLedgerWithExternalBillingProviderNightly';
    const step = 'provisionTenantDatabaseAndApplyBaselineMigrations1';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'fixes-long-name').send({
      orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: step, objectType: 'String' }],
    }).expect(201);
    const p = await h.page();
    const found: string[] = [];
    const check = async (path: string, ready: string, names: string[], name: string) => {
      for (const [size, width, height] of PHONE_AND_LAPTOP) {
        await p.setViewportSize({ width, height });
        await p.goto(`${h.base}/ui${path}`);
        await p.locator(ready).waitFor();
        const scrollWidth = await p.evaluate<number>('document.documentElement.scrollWidth');
        if (scrollWidth > width) found.push(`${path} at ${width} px: ${scrollWidth} px wide`);
        for (const selector of names) {
          const element = p.locator(selector).first();
          const box = (await element.boundingBox())!;
          if (box.x + box.width > width) found.push(`${selector} at ${width} px: ends at ${box.x + box.width} px`);
          found.push(...brokenInsideWords(await lines(element)).map((b) => `${selector} at ${width} px: ${b}`));
        }
        await shot(p, `${name}-${size}`);
      }
    };
    await check(`/templates/${orchName}`, `[data-missing="${step}"]`,
      ['h1', '.crumbs', '[data-testid="missing-steps"]', `[data-step-row="${step}"] strong`], 'fix-long-name-template');
    const worker = createWorker({ service: 'fixes-long-name-service', baton: { url: h.base }, transport: 'http', handleSignals: false });
    worker.step(orchName, step, { objectType: 'String', do: async () => {
      throw new Error('baseline migration failed');
    } });
    await worker.start();
    try {
      const flowId = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      expect((await waitForRun(h.app, flowId)).failedStep).toBe(step);
      // The list's table scrolls sideways on a phone: only the page must not widen.
      await check(`/runs?orchName=${orchName}`, `[data-flow-id="${flowId}"]`, [], 'fix-long-name-runs');
      await check(`/runs/${flowId}`, `[data-attempt-row="DO ${step}"]`,
        ['h1', '.facts dt:text-is("Failed step") + dd', '.tl-label:has-text("provision")', `[data-attempt-row="DO ${step}"] td[data-label="Step"]`], 'fix-long-name-run');
    } finally {
      await worker.stop();
    }
    expect(found).toEqual([]);
  });

  it('makes a disabled button look disabled, not only greyer text: the actions of an unreachable run, its dialog, and the pager', async () => {
    const p = await h.page();
    const retry = await openPausedRun(p);
    const look = (b: Locator) => b.evaluate((e) => {
      const s = e.ownerDocument.defaultView!.getComputedStyle(e);
      return { background: s.backgroundColor, border: `${s.borderTopStyle} ${s.borderTopColor}`, cursor: s.cursor, opacity: s.opacity };
    });
    const enabled = await look(retry);
    await retry.click();
    const confirm = p.getByRole('dialog').getByRole('button', { name: 'Retry' });
    await cutOff(p);
    await p.getByRole('dialog').getByTestId('action-gone').waitFor();
    const confirmLook = await look(confirm);
    await shots(p, 'fix-disabled-dialog');
    await p.getByRole('dialog').getByRole('button', { name: 'Cancel' }).click();
    await p.getByRole('alert').waitFor();
    const disabled = await look(retry);
    expect({ ...disabled, opacity: Number(disabled.opacity) < 1, sameBackground: disabled.background === enabled.background, sameBorder: disabled.border === enabled.border })
      .toEqual({ ...disabled, cursor: 'not-allowed', opacity: true, sameBackground: false, sameBorder: false });
    // Every disabled button in the console looks the same: the actions, the dialog's primary confirm, the pager's.
    expect(confirmLook).toEqual(disabled);
    await shots(p, 'fix-disabled-actions');
    await p.unrouteAll();
    await p.goto(`${h.base}/ui/templates`);
    const previous = p.getByRole('button', { name: '‹ Previous' });
    await previous.waitFor();
    expect(await look(previous)).toEqual(disabled);
  });
});
