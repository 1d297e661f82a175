// What a realistic and hostile workload found in the console: a 2,000-letter description, a
// failure no retry follows, a 10 KB error, a run's deadline, right-to-left overrides in what
// people write, a refused filter, the audit's buttons, a timed-out bar without an emoji font and
// the history a text filter leaves, each checked in headless Chromium against the embedded default
// (a run in a state that is hard to reach is stood in for with page.route).
import type { Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { FLOW, json, pausedRun } from './console-fixtures';

/** A worker's error as big as Baton keeps one: a message, then a stack trace of 200 lines. */
const HUGE_ERROR = ['PaymentGatewayError: card processor refused the charge', ...Array.from({ length: 200 }, (_, i) => `    at frame${i} (/srv/app/node_modules/gateway/lib/client.js:${i + 1}:17)`)].join('\n');
const RTL_REASON = 'customer sent phone \u202Egnp.exe';

/**
 * The paused run, its step `ship` timed out once and then failed for good (FAILED_FINAL) with a
 * 10 KB error, an operator's reason with a right-to-left override, and a deadline 12 minutes ahead.
 */
function hostileRun() {
  const run = pausedRun(false);
  const [reserve, ship1, ship2] = run.steps;
  return {
    ...run, error: HUGE_ERROR, deadlineAt: '2026-12-01T10:30:00.000Z', onDeadline: 'compensate', deadlineRemainingSeconds: 720,
    steps: [reserve, { ...ship1, status: 'TIMED_OUT', error: 'no reply before the deadline' }, { ...ship2, status: 'FAILED_FINAL', error: HUGE_ERROR }],
    events: [{ at: '2026-12-01T10:00:04.000Z', kind: 'OPERATOR_PAUSE', stepName: null, reason: RTL_REASON, actor: 'apikey:ops-oncall' }],
  };
}

const pageWidth = (p: Page) => p.evaluate<number>('document.documentElement.scrollWidth');
/** The computed background of the first element `selector` finds: its colour and its image (a pattern). */
const background = (p: Page, selector: string) => p.locator(selector).first().evaluate((el) => {
  const s = el.ownerDocument.defaultView!.getComputedStyle(el);
  return { color: s.backgroundColor, image: s.backgroundImage };
});
const TRANSPARENT = { color: 'rgba(0, 0, 0, 0)', image: 'none' };

describe('operator console: a hostile workload (headless Chromium)', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  }, 120_000);
  afterAll(() => h?.close());

  it("keeps a template's 2,000-letter one-word description within the page: clipped in the list, wrapped on its page", async () => {
    const orchName = 'hostileDescription';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'hostile-svc').send({
      orchName, as: 'initiator', type: 'sequential', description: 'x'.repeat(2000), steps: [{ seq: 1, name: 'only', objectType: 'String' }],
    }).expect(201);
    const p = await h.page();
    const width = p.viewportSize()!.width;
    await p.goto(`${h.base}/ui/templates`);
    const desc = p.locator('tr', { hasText: orchName }).locator('.desc');
    await desc.waitFor();
    expect(await pageWidth(p)).toBeLessThanOrEqual(width);
    // At most two lines of 12 px text in the list.
    expect((await desc.boundingBox())!.height).toBeLessThan(40);
    await p.goto(`${h.base}/ui/templates/${orchName}`);
    await p.getByTestId('description').waitFor();
    expect(await pageWidth(p)).toBeLessThanOrEqual(width);
    await shot(p, 'hostile-description');
  });

  it('draws a failure no retry follows in red, on the timeline and in the attempts; a timed-out bar carries a clock drawn without an emoji', async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(hostileRun())));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    await p.locator('.bar.b-failed_final').waitFor();
    expect(await background(p, '.bar.b-failed_final')).not.toEqual(TRANSPARENT);
    expect(await background(p, '.bar-key.b-failed_final')).not.toEqual(TRANSPARENT);
    const badge = await background(p, '[data-testid="attempts"] .badge[data-status="FAILED_FINAL"]');
    expect(badge).not.toEqual(await background(p, '.badge[data-status="SUCCEEDED"]'));
    // The red of a failure: more red than green or blue.
    const [r, g, b] = badge.color.match(/\d+/g)!.map(Number);
    expect(r).toBeGreaterThan(g);
    expect(r).toBeGreaterThan(b);
    const timedOut = p.locator('.bar.b-timed_out');
    expect(await timedOut.getByTestId('timed-out-mark').count()).toBe(1);
    expect(await timedOut.textContent()).not.toContain('⏱');
  });

  it("shows a 10 KB error's first lines, with the rest a click away, and the run's deadline", async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(hostileRun())));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const error = p.locator('.facts dt:text-is("Error") + dd');
    await error.waitFor();
    expect((await error.boundingBox())!.height).toBeLessThan(120);
    expect(await p.evaluate<number>('document.documentElement.scrollHeight')).toBeLessThan(3000);
    expect(await p.getByTestId('deadline').textContent()).toMatch(/\(in 12 min 0 s\), then the run is compensated \(its succeeded steps undone\)$/);
    await shot(p, 'hostile-run');
    await error.getByRole('button', { name: /show all/ }).click();
    // The whole text, its newlines kept on screen.
    expect(await error.locator('bdi').textContent()).toBe(HUGE_ERROR);
    expect(await error.locator('.long-text').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).whiteSpace)).toBe('pre-wrap');
    expect((await error.boundingBox())!.height).toBeGreaterThan(1000);
  });

  it('shows a right-to-left override in a reason as a mark, not obeyed, and isolates the reason from what is around it', async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(hostileRun())));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const why = p.getByTestId('events').locator('td').filter({ hasText: 'customer sent phone' });
    await why.waitFor();
    expect(await why.textContent()).toBe('customer sent phone [U+202E]gnp.exe');
    expect(await why.locator('bdi').evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).unicodeBidi)).toBe('isolate');
  });

  it('takes a reason as long as the API does', async () => {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(hostileRun())));
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    await p.locator('button[data-action="retry"]').click();
    expect(await p.getByLabel('Reason (recorded on the run)').getAttribute('maxlength')).toBe('1000');
  });

  it('says the runs list is not refreshing after Baton refused its filter, not "live"', async () => {
    const p = await h.page();
    await p.goto(`${h.base}/ui/runs?status=BOGUS`);
    await p.getByRole('alert').waitFor();
    expect(await p.locator('h1 .live').textContent()).toBe('not refreshing');
  });

  it("names each audit row's document button for its row, and links no template a refused attempt named", async () => {
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'hostile-svc').send({ orchName: 'hostileBadDoc', as: 'initiator', type: 'sequential', steps: [] });
    const p = await h.page();
    await p.goto(`${h.base}/ui/audit?orchName=hostileBadDoc`);
    const row = p.locator('tr', { hasText: 'hostileBadDoc' }).first();
    await row.waitFor();
    expect(await row.locator('.badge').textContent()).toBe('REJECTED');
    expect(await row.getByRole('link', { name: 'hostileBadDoc' }).count()).toBe(0);
    expect(await row.getByRole('button').getAttribute('aria-label')).toMatch(/^document of hostileBadDoc by hostile-svc at .+/);
  });

  it('keeps one history entry for a text filter typed with pauses: Back goes to the list before it', async () => {
    const p = await h.page();
    await p.goto(`${h.base}/ui/templates`);
    await p.goto(`${h.base}/ui/runs`);
    const filter = p.getByLabel('Template');
    for (const letter of 'dem') {
      await filter.press(letter);
      await expectEventually(async () => expect(new URL(p.url()).searchParams.get('orchName')).toBe(await filter.inputValue()));
    }
    await filter.press('Enter');
    await p.getByLabel('Status').selectOption('FAILED');
    await expectEventually(() => expect(new URL(p.url()).search).toBe('?orchName=dem&status=FAILED'));
    await p.goBack();
    await expectEventually(() => expect(new URL(p.url()).search).toBe('?orchName=dem'));
    await p.goBack();
    await expectEventually(() => expect(new URL(p.url()).pathname + new URL(p.url()).search).toBe('/ui/runs'));
    await p.goBack();
    await expectEventually(() => expect(new URL(p.url()).pathname).toBe('/ui/templates'));
  });
});
