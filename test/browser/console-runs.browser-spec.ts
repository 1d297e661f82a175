// The runs list as a platform team uses it, in headless Chromium against the embedded default:
// its order (in the URL), opening a run by a pasted flowId, the pager over several pages and at
// Baton's last page, a card per run on a phone, and the time zone its times are in.
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { waitForRun } from '../helpers/runs';
import { ARTIFACTS, ConsoleHarness, shot, startConsole } from './console-browser';
import { json } from './console-fixtures';

/** Templates with no worker: their runs wait for one, so making many costs Baton next to nothing. */
const ORDERED = 'runsListOrdered';
const PAGED = 'runsListPaged';
const PAGED_RUNS = 60;
/** The demo template, whose in-process worker finishes its runs (or fails them, given `failAt`). */
const DEMO = 'demoOrder';

describe('operator console: the runs list (order, go to a run, pager, phone, time zone)', () => {
  let h: ConsoleHarness;
  /** The ORDERED runs, oldest first. */
  const ordered: string[] = [];
  const contexts: BrowserContext[] = [];

  const register = (orchName: string) => h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'runs-list-initiator')
    .send({ orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'awaitWorker', objectType: 'String' }] }).expect(201);
  const execute = async (orchName: string) => (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;

  beforeAll(async () => {
    h = await startConsole();
    await register(ORDERED);
    await register(PAGED);
    for (let i = 0; i < 3; i++) {
      ordered.push(await execute(ORDERED));
      // Apart in time, so that oldest first is the order they were made in (ties go by flowId).
      await new Promise((r) => setTimeout(r, 15));
    }
    for (let i = 0; i < PAGED_RUNS; i += 10) await Promise.all(Array.from({ length: 10 }, () => execute(PAGED)));
  }, 120_000);
  afterAll(async () => {
    await Promise.all(contexts.map((c) => c.close().catch(() => undefined)));
    await h?.close();
  });

  /** A page in a browser context of its own: its locale (numbers as `1,000,002`) and time zone fixed. */
  async function pageIn(timezoneId = 'UTC', viewport = { width: 1280, height: 800 }): Promise<Page> {
    const context = await h.browser.newContext({ locale: 'en-US', timezoneId, viewport });
    contexts.push(context);
    const p = await context.newPage();
    p.setDefaultTimeout(15_000);
    return p;
  }
  const rowIds = (p: Page) => p.locator('tr[data-flow-id]').evaluateAll((els) => els.map((e) => e.getAttribute('data-flow-id')));
  const summary = (p: Page) => p.getByTestId('page-summary').textContent();
  const pathAndSearch = (p: Page) => { const u = new URL(p.url()); return `${u.pathname}${u.search}`; };
  const button = (p: Page, name: string) => p.getByRole('navigation', { name: 'Pages' }).getByRole('button', { name, exact: true });

  it('lists the newest run first, the oldest first when asked, keeps the order in the URL across a reload, and says it with aria-sort', async () => {
    const p = await pageIn();
    await p.goto(`${h.base}/ui/runs?orchName=${ORDERED}`);
    await p.locator(`tr[data-flow-id="${ordered[0]}"]`).waitFor();
    const order = p.getByLabel('Order');
    const created = p.getByTestId('runs').locator('th', { hasText: 'Created' });
    expect({ rows: await rowIds(p), order: await order.inputValue(), sort: await created.getAttribute('aria-sort') })
      .toEqual({ rows: [...ordered].reverse(), order: 'newest', sort: 'descending' });

    // From the keyboard: Tab from the last filter reaches the order, and an arrow key changes it.
    await p.getByLabel('unfinished only').focus();
    await p.keyboard.press('Tab');
    expect(await order.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
    await p.keyboard.press('ArrowDown');
    await p.waitForURL(`**/ui/runs?orchName=${ORDERED}&order=oldest`);
    await expectRows(p, ordered);
    expect(await created.getAttribute('aria-sort')).toBe('ascending');
    await shot(p, 'runs-oldest-first');

    await p.reload();
    await p.locator(`tr[data-flow-id="${ordered[0]}"]`).waitFor();
    expect({ rows: await rowIds(p), order: await order.inputValue() }).toEqual({ rows: ordered, order: 'oldest' });

    // Back to the default: the URL drops the order again, and Back returns to the oldest first.
    await order.selectOption('newest');
    await p.waitForURL(`**/ui/runs?orchName=${ORDERED}`);
    await expectRows(p, [...ordered].reverse());
    await p.goBack();
    await p.waitForURL(`**/ui/runs?orchName=${ORDERED}&order=oldest`);
    await expectRows(p, ordered);
  });

  /** Waits until the list shows these rows, in this order. */
  async function expectRows(p: Page, ids: string[]) {
    await expectEventually(async () => expect(await rowIds(p)).toEqual(ids));
  }

  it('opens a run from its flowId pasted with spaces and quotes, or in a link, and says inline, asking Baton nothing, when it is no flowId', async () => {
    const p = await pageIn();
    const asked: string[] = [];
    p.on('request', (r) => { if (r.url().includes('/api/orchestration/runs/')) asked.push(new URL(r.url()).pathname); });
    const field = p.getByLabel('Open a run by its flowId');
    const problem = p.getByTestId('go-to-run-problem');
    const open = async (typed: string) => {
      await p.goto(`${h.base}/ui/runs`);
      await field.fill(typed);
      await field.press('Enter');
    };

    await open(`  "${ordered[1].toUpperCase()}"\n `);
    await p.waitForURL(`**/ui/runs/${ordered[1]}`);
    await p.locator('h1 .badge').waitFor();
    await open(`${h.base}/api/orchestration/runs/${ordered[2]}`);
    await p.waitForURL(`**/ui/runs/${ordered[2]}`);
    await p.locator('h1 .badge').waitFor();

    asked.length = 0;
    for (const [typed, says] of [[ordered[0].slice(0, 8), 'Not a flowId'], [`${h.base}/ui/templates/${ORDERED}`, 'This link names no run']]) {
      await open(typed);
      await problem.waitFor();
      expect(await problem.textContent()).toContain(says);
      expect(await field.getAttribute('aria-invalid')).toBe('true');
      expect(pathAndSearch(p)).toBe('/ui/runs');
    }
    await shot(p, 'runs-go-to-invalid');
    // Typing again clears the message; the "Open" button does what Enter does.
    await field.fill(ordered[0]);
    expect(await problem.count()).toBe(0);
    await p.getByRole('button', { name: 'Open', exact: true }).click();
    await p.waitForURL(`**/ui/runs/${ordered[0]}`);
    expect(asked.filter((a) => !ordered.some((id) => a.endsWith(id)))).toEqual([]);
  });

  it('pages through several pages: which page of how many, first, last, and a page by its number, bounded to the list', async () => {
    const p = await pageIn();
    await p.goto(`${h.base}/ui/runs?orchName=${PAGED}`);
    await p.locator('tr[data-flow-id]').first().waitFor();
    expect(await summary(p)).toBe(`Page 1 of 3 (${PAGED_RUNS} runs)`);
    const firstPage = await rowIds(p);
    expect(firstPage).toHaveLength(25);
    const enabled = async () => Object.fromEntries(await Promise.all(['« First', '‹ Previous', 'Next ›', 'Last »']
      .map(async (name) => [name, await button(p, name).isEnabled()])));
    expect(await enabled()).toEqual({ '« First': false, '‹ Previous': false, 'Next ›': true, 'Last »': true });

    await button(p, 'Last »').click();
    await p.waitForURL(`**/ui/runs?orchName=${PAGED}&page=3`);
    await summarySays(p, 'Page 3 of 3 (60 runs)');
    expect(await p.locator('tr[data-flow-id]').count()).toBe(PAGED_RUNS - 50);
    expect(await enabled()).toEqual({ '« First': true, '‹ Previous': true, 'Next ›': false, 'Last »': false });
    await shot(p, 'runs-last-page');

    await button(p, '« First').click();
    await p.waitForURL(`**/ui/runs?orchName=${PAGED}&page=1`);
    await summarySays(p, 'Page 1 of 3 (60 runs)');

    // A page by its number, from the keyboard; one past the end opens the last page.
    const jump = p.getByLabel('Go to page');
    await jump.fill('2');
    await jump.press('Enter');
    await p.waitForURL(`**/ui/runs?orchName=${PAGED}&page=2`);
    await summarySays(p, 'Page 2 of 3 (60 runs)');
    const secondPage = await rowIds(p);
    expect(secondPage).toHaveLength(25);
    expect(secondPage.filter((id) => firstPage.includes(id))).toEqual([]);
    expect(await enabled()).toEqual({ '« First': true, '‹ Previous': true, 'Next ›': true, 'Last »': true });
    await jump.fill('99');
    await p.getByRole('button', { name: 'Go', exact: true }).click();
    await p.waitForURL(`**/ui/runs?orchName=${PAGED}&page=3`);
    await summarySays(p, 'Page 3 of 3 (60 runs)');
    // What is no page number is said beside the field, and goes nowhere.
    await jump.fill('two');
    await jump.press('Enter');
    expect(await p.getByRole('navigation', { name: 'Pages' }).getByRole('status').textContent()).toBe('A page number from 1 to 3, please.');
    expect(pathAndSearch(p)).toBe(`/ui/runs?orchName=${PAGED}&page=3`);
  });

  async function summarySays(p: Page, text: string) {
    await p.getByTestId('page-summary').filter({ hasText: text }).waitFor();
  }

  it("stops at Baton's last page (MAX_PAGE) and says how many runs lie past it", async () => {
    const p = await pageIn();
    const asked: string[] = [];
    const total = 1_000_000 * 25 + 30;
    await p.route((url) => url.pathname === '/api/orchestration/runs', (r) => {
      const url = new URL(r.request().url());
      asked.push(url.searchParams.get('page')!);
      return r.fulfill(json({ items: [{ flowId: '00000000-0000-4000-8000-000000000001', orchName: 'bigFlow', templateVersion: 1, status: 'COMPLETED',
        failedStep: null, error: null, correlationId: 'c', createdAt: '2026-12-01T10:00:00.000Z', updatedAt: '2026-12-01T10:00:01.000Z',
        finishedAt: '2026-12-01T10:00:01.000Z' }], page: Number(url.searchParams.get('page')), pageSize: 25, total }));
    });
    await p.goto(`${h.base}/ui/runs`);
    await summarySays(p, 'Page 1 of 1,000,002 (25,000,030 runs)');
    expect(await p.getByTestId('pages-beyond').textContent())
      .toBe('Baton serves pages 1 to 1,000,000 only: the last 30 runs are on no page. Filter the list, or change its order, to reach them.');
    await button(p, 'Last »').click();
    await p.waitForURL('**/ui/runs?page=1000000');
    await summarySays(p, 'Page 1,000,000 of 1,000,002');
    expect(await button(p, 'Next ›').isEnabled()).toBe(false);
    // A page past Baton's last, typed or in a link, is never asked for: Baton would refuse it.
    await p.goto(`${h.base}/ui/runs?page=2000000`);
    await summarySays(p, 'Page 1,000,000 of 1,000,002');
    expect(asked.filter((a) => Number(a) > 1_000_000)).toEqual([]);
    expect(asked).toContain('1000000');
  });

  it('shows each run as a compact card on a 390 px phone: flowId, status and duration on one line, then template and creation time; 25 of them under 3,000 px, no sideways scroll', async () => {
    const p = await pageIn('UTC', { width: 390, height: 844 });
    await p.goto(`${h.base}/ui/runs?orchName=${PAGED}`);
    const table = p.getByTestId('runs');
    await table.locator('tr[data-flow-id]').first().waitFor();
    const layout = await table.evaluate((t, template) => {
      const view = t.ownerDocument.defaultView!;
      const cards = [...t.querySelectorAll('tbody tr')].map((tr) => {
        const r = tr.getBoundingClientRect();
        const s = view.getComputedStyle(tr);
        // A cell by its column, if the card shows it.
        const shown = (label: string) => [...tr.querySelectorAll('td')]
          .find((td) => td.getAttribute('data-label')!.startsWith(label) && view.getComputedStyle(td).display !== 'none');
        const middle = (e?: { getBoundingClientRect(): { top: number; height: number } } | null) => {
          const r = e?.getBoundingClientRect();
          return r ? Math.round(r.top + r.height / 2) : NaN;
        };
        const [flowId, badge, took] = [shown('Run')?.querySelector('a'), shown('Status')?.querySelector('.badge[data-status]'), shown('Duration')?.querySelector('span')];
        return {
          card: s.borderTopStyle === 'solid' && parseFloat(s.borderTopLeftRadius) > 0,
          inView: r.left >= 0 && r.right <= t.ownerDocument.documentElement.clientWidth && r.width > 300,
          height: r.height,
          status: Boolean(badge),
          template: shown('Template')?.querySelector('a')?.textContent === template,
          created: Boolean(shown('Created')?.querySelector('time[datetime]')),
          flowId: flowId?.getAttribute('href') === `/ui/runs/${tr.getAttribute('data-flow-id')}`,
          // The first line: the flowId, its status and how long it has taken, side by side.
          firstLine: Math.max(middle(flowId), middle(badge), middle(took)) - Math.min(middle(flowId), middle(badge), middle(took)) <= 4
            && middle(flowId) < middle(shown('Template')),
          soFar: /\d.* so far$/.test(took?.textContent ?? ''),
          // Left to the run's page, as the failed step is where the run failed at none.
          hidden: ['Correlation id', 'Failed step'].filter((label) => !shown(label)),
        };
      });
      return { headHidden: view.getComputedStyle(t.querySelector('thead')!).display === 'none', scrolls: t.scrollWidth > t.clientWidth, height: t.getBoundingClientRect().height, cards };
    }, PAGED);
    expect(layout.headHidden).toBe(true);
    expect(layout.scrolls).toBe(false);
    expect(layout.cards).toHaveLength(25);
    expect(layout.cards.filter((c) => !(c.card && c.inView && c.status && c.template && c.created && c.flowId && c.firstLine && c.soFar))).toEqual([]);
    expect(layout.cards.filter((c) => c.hidden.length !== 2)).toEqual([]);
    // Three lines a card, not seven: each under 100 px, the 25 of a page under 3,000 px (they took some 5,000).
    expect(layout.cards.filter((c) => c.height > 100).map((c) => c.height)).toEqual([]);
    expect(layout.height).toBeLessThan(3000);
    // Nothing on the page is wider than the phone, nor cut off at either edge: not the filters, the go-to field or the pager.
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBe(390);
    const cutOff = await p.locator('main').evaluate((main) => [...main.querySelectorAll('*')].flatMap((e) => {
      const r = e.getBoundingClientRect();
      return r.width > 0 && (r.left < 0 || r.right > main.ownerDocument.documentElement.clientWidth)
        ? [`${e.tagName.toLowerCase()}.${e.className} ${Math.round(r.left)}..${Math.round(r.right)}`] : [];
    }));
    expect(cutOff).toEqual([]);
    await shot(p, 'runs-phone-390');
    // What the phone shows first, and at the list's end.
    await p.screenshot({ path: join(ARTIFACTS, 'runs-phone-390-top.png') });
    await p.getByRole('navigation', { name: 'Pages' }).scrollIntoViewIfNeeded();
    await p.screenshot({ path: join(ARTIFACTS, 'runs-phone-390-pager.png') });

    // On a laptop the same list is a table again: its header over its columns, a row per run.
    await p.setViewportSize({ width: 1280, height: 800 });
    const aligned = await table.evaluate((t) => {
      const view = t.ownerDocument.defaultView!;
      const heads = [...t.querySelectorAll('th')].map((th) => Math.round(th.getBoundingClientRect().left));
      return {
        head: view.getComputedStyle(t.querySelector('thead')!).display,
        rows: [...t.querySelectorAll('tbody tr')].filter((tr) => view.getComputedStyle(tr).display === 'table-row').length,
        misaligned: [...t.querySelectorAll('tbody tr')].filter((tr) => [...tr.querySelectorAll('td')].some((td, i) => Math.round(td.getBoundingClientRect().left) !== heads[i])).length,
      };
    });
    expect(aligned).toEqual({ head: 'table-header-group', rows: 25, misaligned: 0 });
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBe(1280);
    await shot(p, 'runs-laptop-1280');
  });

  it("says an unfinished run's duration is the time so far, muted, and why on hover, unlike a finished run's, in the table and on a phone card, whose failed step shows only when there is one", async () => {
    const completed = await execute(DEMO);
    const failed = (await h.app.http.post(`/api/orchestration/execute/${DEMO}`).send({ failAt: 'shipOrder' }).expect(202)).body.flowId as string;
    expect((await waitForRun(h.app, completed)).status).toBe('COMPLETED');
    expect((await waitForRun(h.app, failed)).failedStep).toBe('shipOrder');
    const p = await pageIn();
    const durations = (list: string) => p.goto(`${h.base}/ui/runs?orchName=${list}`)
      .then(() => p.locator('tr[data-flow-id]').first().waitFor())
      .then(() => p.locator('tr[data-flow-id]').evaluateAll((trs) => Object.fromEntries(trs.map((tr) => {
        const view = tr.ownerDocument.defaultView!;
        const took = tr.querySelector('td[data-label="Duration"] span')!;
        // Greyer than the text of its cell (which a finished run's duration inherits).
        const muted = view.getComputedStyle(took).color !== view.getComputedStyle(took.closest('td')!).color;
        return [tr.getAttribute('data-flow-id'), { text: took.textContent, title: took.getAttribute('title'), muted }];
      }))));
    const SO_FAR = /^(\d+ ms|\d+\.\d s|\d+ min \d+ s) so far$/;
    const TITLE = 'Not finished yet: the time since the run was created';

    const waiting = await durations(ORDERED);
    expect(Object.keys(waiting).sort()).toEqual([...ordered].sort());
    for (const d of Object.values(waiting)) expect(d).toEqual({ text: expect.stringMatching(SO_FAR), title: TITLE, muted: true });
    // It grows with each refresh of the list, as the run goes on waiting.
    const cell = p.locator(`tr[data-flow-id="${ordered[0]}"] td[data-label="Duration"]`);
    await expectEventually(async () => expect(await cell.textContent()).not.toBe(waiting[ordered[0]].text));
    await shot(p, 'runs-so-far');

    const done = await durations(DEMO);
    for (const id of [completed, failed]) expect(done[id]).toEqual({ text: expect.stringMatching(/^(\d+ ms|\d+\.\d s)$/), title: null, muted: false });

    // On a phone the card says the same, and the step a run failed at on a line of its own, only for the run that failed.
    await p.setViewportSize({ width: 390, height: 844 });
    // Each line the card shows, by its column: its label, where it has one on the card, then its text.
    const card = (flowId: string) => p.locator(`tr[data-flow-id="${flowId}"]`).evaluate((tr) => {
      const view = tr.ownerDocument.defaultView!;
      const shown = [...tr.querySelectorAll('td')].filter((td) => view.getComputedStyle(td).display !== 'none');
      return Object.fromEntries(shown.map((td) => {
        const label = view.getComputedStyle(td, '::before').content;
        const text = `${label === 'none' ? '' : `${label.slice(1, -1)} `}${td.innerText}`;
        return [td.getAttribute('data-label')!.replace(/ \(.*\)$/, ''), text.replace(/\s+/g, ' ').trim()];
      }));
    });
    expect(await card(failed)).toEqual({
      Run: failed.slice(0, 8), Status: 'FAILED', Duration: done[failed].text, Template: expect.stringMatching(new RegExp(`^${DEMO} v\\d+$`)),
      Created: expect.stringMatching(/^Created \(UTC\) \d/), 'Failed step': 'Failed step shipOrder',
    });
    expect(Object.keys(await card(completed))).toEqual(['Run', 'Template', 'Status', 'Created', 'Duration']);
    await shot(p, 'runs-phone-390-failed');
    // Unfinished runs only: what each waits for has a line of its own too.
    await p.goto(`${h.base}/ui/runs?orchName=${ORDERED}&stuck=true`);
    await p.locator('tr[data-flow-id]').first().waitFor();
    expect(await card(ordered[0])).toMatchObject({ Duration: expect.stringMatching(SO_FAR), 'Waiting for': expect.stringMatching(/^Waiting for \S/) });
    await shot(p, 'runs-phone-390-so-far');
  });

  it('names the zone the times are in, in the Created header, computed for the browser\'s zone (a half-hour offset too)', async () => {
    for (const zone of ['Asia/Kolkata', 'America/St_Johns', 'UTC']) {
      const p = await pageIn(zone);
      await p.goto(`${h.base}/ui/runs?orchName=${ORDERED}`);
      const created = p.getByTestId('runs').locator('th', { hasText: 'Created' });
      await created.waitFor();
      const createdAt = (await p.locator(`tr[data-flow-id="${ordered[0]}"] time`).getAttribute('datetime'))!;
      const offset = offsetIn(zone, new Date(createdAt));
      expect(await created.textContent()).toBe(`Created (${offset})`);
      expect(await created.getAttribute('title')).toMatch(new RegExp(`^Local time: (?:[A-Za-z_/]+, )?${offset.replace('+', '\\+')}\\. Hover over a time to see it in UTC\\.$`));
      // The times under it are in that zone, their UTC on hover.
      expect(squeeze(await p.locator(`tr[data-flow-id="${ordered[0]}"] time`).textContent()))
        .toBe(squeeze(new Date(createdAt).toLocaleString('en-US', { timeZone: zone, dateStyle: 'short', timeStyle: 'medium' })));
      if (zone === 'Asia/Kolkata') {
        expect(offset).toBe('UTC+05:30');
        expect(await created.getAttribute('title')).toMatch(/^Local time: Asia\/(Kolkata|Calcutta), UTC\+05:30\./);
        await shot(p, 'runs-zone-kolkata');
      }
    }
  });
});

/** A zone's offset at an instant as the console writes it (`UTC+05:30`, `UTC` for none), from Node's Intl. */
function offsetIn(timeZone: string, at: Date): string {
  const name = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }).formatToParts(at).find((x) => x.type === 'timeZoneName')!.value;
  return name === 'GMT' || name === 'GMT+00:00' ? 'UTC' : name.replace('GMT', 'UTC').replace('\u2212', '-');
}
/** Text with its spaces (a narrow no-break one before PM, in some versions of ICU) made one plain space. */
const squeeze = (text: string | null) => (text ?? '').replace(/[\s\u202f]+/g, ' ');
