// Where the console's run and template pages put things: what greys with a stale page and what
// does not, a template's steps and a run's attempts, events and jobs on a phone and a laptop, why
// a run's actions are disabled, and the spacing above a run's JSON, checked in headless Chromium
// against the embedded default.
import type { Locator, Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { waitForRun } from '../helpers/runs';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { alerts, CLOCK, cutOff, detailedRun, FLOW, json, LONG_ERROR, pausedRun, UNREACHABLE } from './console-fixtures';

/** An AWX launch of the paused run's step `ship`, as GET /job-executions/request/{flowId} lists it. */
const awxJob = {
  id: '00000000-0000-4000-8000-0000000000a1', flowId: FLOW, stepName: 'ship', action: 'DO', attempt: 2, targetType: 'AWX', resourceType: 'job_template',
  resourceId: '42', connection: 'awx-prod', externalJobId: '9001', externalJobType: 'job', externalStatus: 'running', externalResult: null,
  status: 'POLLING', launchAttempts: 1, pollingAttempts: 3, completedAt: null, error: null,
};

/** A launch that failed, with AWX's long error. */
const failedJob = {
  ...awxJob, id: '00000000-0000-4000-8000-0000000000a2', attempt: 1, externalJobId: '9000', externalStatus: 'failed', externalResult: 'failed',
  status: 'FAILED', pollingAttempts: 7, completedAt: '2026-12-01T10:00:01.500Z', error: LONG_ERROR,
};

/**
 * A table as the browser drew it: whether it scrolls sideways, the label each cell of its first
 * row shows (its ::before, as on a phone: `none` where the table is not stacked), and the cells
 * whose parts sit side by side (a duration beside its last heartbeat, an error beside the output)
 * rather than one under another, or whose text runs past the page's edge, each as `row column`.
 */
const tableLayout = (table: Locator) => table.evaluate((t) => {
  const view = t.ownerDocument.defaultView!;
  const edge = t.ownerDocument.documentElement.clientWidth;
  /** Where a node (an element, or a text beside one) is drawn. */
  const rectOf = (n: (typeof t.childNodes)[number], what: 'node' | 'contents' = 'node') => {
    const range = t.ownerDocument.createRange();
    if (what === 'node') range.selectNode(n);
    else range.selectNodeContents(n);
    return range.getBoundingClientRect();
  };
  const cells = [...t.querySelectorAll('tbody tr')].flatMap((tr, row) => [...tr.querySelectorAll('td')].map((td, column) => ({
    td, name: `${row + 1} ${t.querySelectorAll('th')[column].textContent}`,
    parts: [...td.childNodes].filter((n) => n.nodeType === n.ELEMENT_NODE || n.textContent!.trim()),
  })));
  return {
    scrolls: t.scrollWidth > t.clientWidth,
    labels: [...t.querySelectorAll('tbody tr:first-child td')].map((td) => view.getComputedStyle(td, '::before').content.replace(/^"|"$/g, '')),
    sideBySide: cells.filter((c) => new Set(c.parts.map((n) => Math.round(rectOf(n).left))).size > 1)
      .map((c) => c.name),
    pastPage: cells.filter((c) => rectOf(c.td, 'contents').right > edge).map((c) => c.name),
  };
});
const headers = (table: Locator) => table.locator('th').allTextContents();
/** The run page's table that has a column headed `header`. */
const tableWith = (p: Page, header: string) => p.locator('table', { has: p.locator('th', { hasText: header }) });

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
    const table = tableWith(p, 'External id');
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

  it("stacks a run's attempts, events and AWX / OO jobs as labelled lines on a 390 px phone, each cell's parts one under another", async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(detailedRun())));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([failedJob, awxJob])));
    await p.setViewportSize({ width: 390, height: 844 });
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const attempts = p.getByTestId('attempts');
    const events = tableWith(p, 'Why');
    const jobs = tableWith(p, 'External id');
    await jobs.waitFor();
    // The output opened: a JSON block in its cell, which must fit its line too.
    await attempts.locator('summary').first().click();
    const stacked = async (table: Locator) => ({ scrolls: false, labels: await headers(table), sideBySide: [], pastPage: [] });
    expect({ attempts: await tableLayout(attempts), events: await tableLayout(events), jobs: await tableLayout(jobs), page: await pageWidth(p) })
      .toEqual({ attempts: await stacked(attempts), events: await stacked(events), jobs: await stacked(jobs), page: 390 });
    await shot(p, 'layout-run-tables-390');
    // On a laptop they are tables again, a row per attempt, event and launch.
    await p.setViewportSize({ width: 1280, height: 800 });
    for (const table of [attempts, events, jobs]) {
      expect(await tableLayout(table)).toMatchObject({ scrolls: false, labels: (await headers(table)).map(() => 'none') });
      expect(await table.locator('thead').isVisible()).toBe(true);
    }
    expect(await pageWidth(p)).toBe(1280);
    await shot(p, 'layout-run-tables-1280');
  });

  it("says beside an unfinished run's actions why each disabled one waits, and describes the button with it", async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(pausedRun(false))));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    for (const [size, width, height] of [['390', 390, 844], ['1280', 1280, 800]] as const) {
      await p.setViewportSize({ width, height });
      await p.goto(`${h.base}/ui/runs/${FLOW}`);
      await p.locator('button[data-action="retry"]').waitFor();
      const region = p.getByRole('region', { name: 'Actions' });
      const why = region.getByTestId('actions-why-not');
      expect(await why.isVisible()).toBe(true);
      expect(await why.locator('li').allTextContents()).toEqual([
        '“Undo”: the run is PAUSED: cannot undo it because it is still running.', '“Pause”: the run is already PAUSED.', '“Resume”: step ship failed: retry or skip it first.',
      ]);
      // Each disabled button is described by its visible line, which a screen reader reads with it; the tooltip stays.
      const described = await region.locator('button[data-action]').evaluateAll((els) => els.map((b) => {
        const by = b.getAttribute('aria-describedby');
        const line = by ? b.ownerDocument.getElementById(by) : null;
        return { action: b.getAttribute('data-action'), disabled: b.hasAttribute('disabled'), by: line?.textContent ?? null, visible: line?.checkVisibility() ?? null };
      }));
      expect(described.filter((b) => b.disabled)).toEqual([
        { action: 'undo', disabled: true, by: '“Undo”: the run is PAUSED: cannot undo it because it is still running.', visible: true },
        { action: 'pause', disabled: true, by: '“Pause”: the run is already PAUSED.', visible: true },
        { action: 'resume', disabled: true, by: '“Resume”: step ship failed: retry or skip it first.', visible: true },
      ]);
      expect(described.filter((b) => !b.disabled).map((b) => b.by)).toEqual([null, null, null, null]);
      expect(await region.locator('button[data-action="resume"]').getAttribute('title')).toBe('step ship failed: retry or skip it first');
      expect(await region.getByTestId('actions-ended').count()).toBe(0);
      await shot(p, `layout-run-why-not-${size}`);
    }
  });

  it("sets a run's JSON apart from the table above it, as far as the page sets a JSON block below a table", async () => {
    const p = await h.page();
    let jobs = json([]);
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(detailedRun())));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(jobs));
    /** From the bottom of the last table above the run's JSON to its summary line, in CSS pixels. */
    const gapAbove = async (above: Locator) => {
      const summary = p.locator('summary', { hasText: 'Run as JSON' });
      await summary.waitFor();
      const [table, block] = await Promise.all([above.boundingBox(), summary.boundingBox()]);
      return Math.round(block!.y - (table!.y + table!.height));
    };
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const belowEvents = await gapAbove(tableWith(p, 'Why'));
    jobs = json([awxJob]);
    await p.reload();
    const belowJobs = await gapAbove(tableWith(p, 'External id'));
    expect({ belowEvents, belowJobs }).toEqual({ belowEvents: 12, belowJobs: 12 });
    await shot(p, 'layout-run-json-1280');
  });

  /** The page as it is now, on a phone and on a laptop. */
  async function shots(p: Page, name: string) {
    for (const [size, width, height] of [['390', 390, 844], ['1280', 1280, 800]] as const) {
      await p.setViewportSize({ width, height });
      await shot(p, `${name}-${size}`);
    }
  }
});
