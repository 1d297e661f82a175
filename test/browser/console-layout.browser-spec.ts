// Where the console's run and template pages put things: what greys with a stale page and what
// does not, a template's steps on a phone and a laptop, and why a finished run's actions are
// disabled, checked in headless Chromium against the embedded default.
import type { Locator, Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { waitForRun } from '../helpers/runs';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { alerts, CLOCK, cutOff, FLOW, json, pausedRun, UNREACHABLE } from './console-fixtures';

/** An AWX launch of the paused run's step `ship`, as GET /job-executions/request/{flowId} lists it. */
const awxJob = {
  id: '00000000-0000-4000-8000-0000000000a1', flowId: FLOW, stepName: 'ship', action: 'DO', attempt: 2, targetType: 'AWX', resourceType: 'job_template',
  resourceId: '42', connection: 'awx-prod', externalJobId: '9001', externalJobType: 'job', externalStatus: 'running', externalResult: null,
  status: 'POLLING', launchAttempts: 1, pollingAttempts: 3, completedAt: null, error: null,
};

/** Whether the element is drawn greyed: itself or a box around it faded or grey (`.stale`, styles.css). */
const greyed = (l: Locator) => l.evaluate((el) => {
  const view = el.ownerDocument.defaultView!;
  for (let e = el; e; e = e.parentElement) {
    const s = view.getComputedStyle(e);
    if (Number(s.opacity) < 1 || s.filter !== 'none') return true;
  }
  return false;
});

/** How many lines the browser drew an inline element's text on. */
const lineCount = (l: Locator) => l.evaluate((el) => new Set([...el.getClientRects()].map((r) => Math.round(r.top))).size);

describe('operator console: what greys, where steps go, why actions wait (headless Chromium)', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  }, 120_000);
  afterAll(() => h?.close());

  /** The paused run's page, its jobs answered with what `jobs()` gives at each read. */
  async function openRunWithJobs(p: Page, jobs: () => ReturnType<typeof json>): Promise<Locator> {
    // The run is read every 2 s and its jobs every 5 s: the browser's clock is moved on instead of waited for.
    await p.clock.install();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(pausedRun(false))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(jobs()));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const table = p.locator('table', { has: p.locator('th', { hasText: 'External id' }) });
    await table.waitFor();
    return table;
  }

  it("keeps what Baton said about a run's AWX / OO jobs out of the greyed page, and greys the jobs it last listed", async () => {
    // A refusal that asking again will not change (a service's key may read the run, not its jobs)
    // stays said in full colour while Baton is unreachable: it is what Baton answered, not stale data.
    const forbidden = 'Forbidden: needs role viewer or operator; the caller has service';
    let jobs = json([awxJob]);
    const p = await h.page();
    const table = await openRunWithJobs(p, () => jobs);
    jobs = json({ code: 'FORBIDDEN', message: forbidden }, 403);
    await p.clock.runFor(5_000);
    const notice = p.getByRole('alert').filter({ hasText: forbidden });
    await notice.waitFor();
    await cutOff(p);
    await p.clock.runFor(2_000);
    await expectEventually(async () => expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE), expect.stringContaining(forbidden)]));
    expect({ notice: await greyed(notice), jobs: await greyed(table), attempts: await greyed(p.getByTestId('attempts')) })
      .toEqual({ notice: false, jobs: true, attempts: true });
    await shots(p, 'layout-run-jobs-unreachable');

    // The jobs' read alone fails: the run is current, the jobs shown are not, and the notice says since when.
    const q = await h.page();
    let answer = json([awxJob]);
    const jobsTable = await openRunWithJobs(q, () => answer);
    answer = json({ code: 'SERVICE_UNAVAILABLE', message: 'A dependency (database or broker) is unavailable; retry later' }, 503);
    await q.clock.runFor(5_000);
    await q.getByRole('alert').waitFor();
    expect(await alerts(q)).toEqual([
      expect.stringMatching(new RegExp(`^A dependency \\(database or broker\\) is unavailable; retry later\\. What is shown is from the last answer, at ${CLOCK}\\.$`)),
    ]);
    expect({ jobs: await greyed(jobsTable), facts: await greyed(q.locator('.facts')) }).toEqual({ jobs: true, facts: false });
  });

  const LONG = 'provisionTenantDatabaseAndApplyBaselineMigrations1';
  let registered = false;
  /** A template whose two steps have no worker: each row carries the registration hint, the widest cell. */
  async function openStepsTemplate(p: Page, width: number) {
    if (!registered) {
      await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'layout-initiator').send({
        orchName: 'layoutSteps', as: 'initiator', type: 'sequential', steps: [
          { seq: 1, name: LONG, objectType: 'String', timeoutSeconds: 90, heartbeatSeconds: 15 },
          { seq: 2, name: 'createRealm', objectType: 'String', retry: { maxAttempts: 3, backoff: 'fixed', initialDelaySeconds: 1 } },
        ],
      }).expect(201);
      registered = true;
    }
    await p.setViewportSize({ width, height: 900 });
    await p.goto(`${h.base}/ui/templates/layoutSteps`);
    await p.locator('[data-missing]').first().waitFor();
  }
  const pageWidth = (p: Page) => p.evaluate<number>('document.documentElement.scrollWidth');

  it("keeps a template's steps readable on a 390 px phone: each step's settings and workers hint in view, none squeezed into a sliver", async () => {
    const p = await h.page();
    await openStepsTemplate(p, 390);
    const table = p.getByTestId('steps');
    const hints = await p.locator('[data-missing]').evaluateAll((els) => els.map((e) => {
      const r = e.getBoundingClientRect();
      return { step: e.getAttribute('data-missing'), width: Math.round(r.width), right: Math.round(r.right) };
    }));
    expect({
      page: await pageWidth(p),
      scrollsSideways: await table.evaluate((t) => t.scrollWidth > t.clientWidth),
      // Each hint takes most of the phone's width, not a sliver beside seven columns.
      narrowHints: hints.filter((hint) => hint.width < 200 || hint.right > 390),
    }).toEqual({ page: 390, scrollsSideways: false, narrowHints: [] });
    await shot(p, 'layout-steps-390');
    // Between a phone and a laptop the table scrolls sideways in its box, its workers column still wide enough to read.
    await openStepsTemplate(p, 760);
    expect(await pageWidth(p)).toBe(760);
    expect((await p.locator(`[data-missing="${LONG}"]`).boundingBox())!.width).toBeGreaterThanOrEqual(200);
  });

  it("gives a step's name room beside its workers hint at 1280 px: a long name on two lines at most, a short one on one", async () => {
    const p = await h.page();
    await openStepsTemplate(p, 1280);
    const row = (step: string) => p.locator(`[data-step-row="${step}"]`);
    expect(await lineCount(row(LONG).locator('strong'))).toBeLessThanOrEqual(2);
    // A short name and its type side by side: the type starts above where the name ends.
    const [name, type] = await Promise.all(['strong', '.muted'].map(async (part) => (await row('createRealm').locator(`td:nth-child(2) ${part}`).boundingBox())!));
    expect(type.y).toBeLessThan(name.y + name.height);
    expect(await pageWidth(p)).toBe(1280);
    await shot(p, 'layout-steps-1280');
  });

  it("says beside a finished run's actions why they are disabled, each keeping its tooltip", async () => {
    const flowId = (await h.app.http.post('/api/orchestration/execute/demoOrder').send({ orderId: 1280 }).expect(202)).body.flowId as string;
    await waitForRun(h.app, flowId, 'COMPLETED');
    const p = await h.page();
    for (const [size, width, height] of [['390', 390, 844], ['1280', 1280, 800]] as const) {
      await p.setViewportSize({ width, height });
      await p.goto(`${h.base}/ui/runs/${flowId}`);
      await p.locator('button[data-action="undo"]').waitFor();
      const ended = p.getByRole('region', { name: 'Actions' }).getByTestId('actions-ended');
      expect(await ended.allTextContents()).toEqual(['This run has ended: only “Undo” applies.']);
      expect(await ended.isVisible()).toBe(true);
      const buttons = await p.locator('button[data-action]').evaluateAll((els) => els.map((b) => [b.getAttribute('data-action'), b.hasAttribute('disabled'), b.getAttribute('title')]));
      expect(buttons.filter(([, disabled]) => disabled)).toEqual(['retry', 'skip', 'pause', 'resume', 'compensate', 'terminate']
        .map((action) => [action, true, expect.stringContaining('COMPLETED')]));
      await shot(p, `layout-run-ended-${size}`);
    }
  });

  /** The page as it is now, on a phone and on a laptop. */
  async function shots(p: Page, name: string) {
    for (const [size, width, height] of [['390', 390, 844], ['1280', 1280, 800]] as const) {
      await p.setViewportSize({ width, height });
      await shot(p, `${name}-${size}`);
    }
  }
});
