// The registration audit greyed when Baton is gone, a copy's outcome said to a screen reader, and
// relative times counted by Baton's clock in a browser whose own clock is minutes off: each in
// headless Chromium against the embedded default.
import { expectEventually } from '../helpers/expect-eventually';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { alerts, cutOff, UNREACHABLE } from './console-fixtures';

describe('operator console: the audit page when Baton is gone, copy outcomes, a skewed browser clock (headless Chromium)', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  }, 120_000);
  afterAll(() => h?.close());

  it('greys the registration audit and says Baton is unreachable, with the time of the last answer, until Baton answers again', async () => {
    const p = await h.page();
    // The audit is read every 10 s: the browser's clock is moved on instead of waited for.
    await p.clock.install();
    await p.goto(`${h.base}/ui/audit`);
    const table = p.locator('table.grid', { has: p.locator('th', { hasText: 'Outcome' }) });
    await table.waitFor();
    expect(await p.locator('.stale').count()).toBe(0);
    await cutOff(p);
    await p.clock.runFor(10_000);
    await p.getByRole('alert').waitFor();
    expect(await alerts(p)).toEqual([expect.stringMatching(UNREACHABLE)]);
    expect(await p.locator('.stale table.grid').count()).toBe(1);
    await shot(p, 'fix-unreachable-audit');
    await p.unroute('**/api/**');
    await p.clock.runFor(10_000);
    await expectEventually(async () => expect(await alerts(p)).toEqual([]), { timeoutMs: 15_000 });
    expect(await p.locator('.stale').count()).toBe(0);
  });

  it('says in a polite live region that a copy succeeded, and that a refused clipboard failed', async () => {
    const p = await h.page();
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base });
    await p.goto(`${h.base}/ui/templates/demoOrder`);
    const button = p.getByRole('button', { name: 'Copy Template as JSON' });
    await button.waitFor();
    // Present, and empty, before anything is said: a region added with its text in it is not announced by every screen reader.
    const status = p.getByRole('status').and(p.getByTestId('copy-status'));
    expect(await status.count()).toBe(1);
    expect(await status.textContent()).toBe('');
    await button.click();
    await expectEventually(async () => expect(await status.textContent()).toBe('Copied Template as JSON to the clipboard.'), { timeoutMs: 5000 });
    expect(await button.textContent()).toBe('copied');
    expect(JSON.parse(await p.evaluate<string>('navigator.clipboard.readText()'))).toMatchObject({ orchName: 'demoOrder' });
    // Said for a while, then the region empties and the label is the button's own again.
    await expectEventually(async () => expect(await status.textContent()).toBe(''), { timeoutMs: 5000 });
    expect(await button.textContent()).toBe('copy');

    // No clipboard API, as on plain http: the copy failed, and says so rather than claim it worked.
    const q = await h.page();
    await q.addInitScript("Object.defineProperty(Navigator.prototype, 'clipboard', { get: () => undefined })");
    await q.goto(`${h.base}/ui/templates/demoOrder`);
    const refused = q.getByRole('button', { name: 'Copy Template as JSON' });
    await refused.click();
    const said = q.getByRole('status').and(q.getByTestId('copy-status'));
    await expectEventually(async () => expect(await said.textContent())
      .toBe('Could not copy Template as JSON: the browser refused the clipboard. Select the text and copy it by hand.'), { timeoutMs: 5000 });
    expect(await refused.textContent()).toBe('copy failed — select the text');
    expect(await said.getAttribute('class')).toBe('sr-only');
    await shot(q, 'fix-copy-refused');
  });

  it("counts a run's time so far by Baton's clock in a browser whose clock is 5 minutes ahead, not 5 min more", async () => {
    // A template no worker handles: its run waits, unfinished, for as long as the test looks at it.
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'clock-skew').send({
      orchName: 'clockSkewed', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'noWorkerHere', objectType: 'String' }],
    }).expect(201);
    const flowId = (await h.app.http.post('/api/orchestration/execute/clockSkewed').send({}).expect(202)).body.flowId as string;
    const p = await h.page();
    await p.clock.install({ time: Date.now() + 5 * 60_000 });
    await p.goto(`${h.base}/ui/runs?orchName=clockSkewed`);
    const duration = p.locator(`[data-flow-id="${flowId}"] td[data-label="Duration"]`);
    await duration.waitFor();
    // The list is read every 2 s; each answer's Date header is a sample of Baton's clock.
    await expectEventually(async () => {
      await p.clock.runFor(2000);
      expect(await duration.textContent()).toMatch(/^\d+\.\d s so far$/);
    }, { timeoutMs: 15_000, intervalMs: 200 });
    await shot(p, 'fix-clock-skew-runs');
  });
});
