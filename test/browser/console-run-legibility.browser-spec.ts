// What a run's page keeps readable at a laptop's width when its tables are full: step names whole
// in their cells, or broken only between their words, and an attempt's "#2" clear of the event
// ticks drawn through its lane. Checked in headless Chromium, the run answered with page.route.
import type { Locator, Page } from 'playwright-core';
import { ConsoleHarness, shot, startConsole } from './console-browser';
import { FLOW, json, LONG_ERROR, pausedRun } from './console-fixtures';
import { brokenInsideWords, lines } from './drawn-lines';

const LONG = 'provisionTenantDatabaseAndApplyBaselineMigrations1';
/** AWX's long error, with a signed address: long prose and a long token, the widest a cell beside a name gets. */
const SIGNED_ERROR = `${LONG_ERROR}&token=eyJhbGciOiJIUzI1NiJ9eyJzdWIiOiJhd3gtam9iLTkwMDEiLCJleHAiOjE3OTk5OTk5OTl9 `
  + '(the job template ran its playbook against 12 hosts; 3 were unreachable and the payment gateway refused the capture for order 7)';

/**
 * A COMPLETED run whose tables are full: an output, a built-in step's target and AWX's long error
 * beside every name, and chargePayment retried by an operator a moment before the run ended (its
 * "#2" is a short bar at the track's end, right where the retry's tick falls).
 */
function retriedRun() {
  const base = pausedRun(false);
  const attempt = (stepName: string, seq: number, n: number, status: string, from: string, to: string, more: object = {}) => ({
    stepName, seq, action: 'DO', attempt: n, commandId: `00000000-0000-4000-8000-0000000000${seq}${n}`, budgetStart: n, status, handlerType: 'worker',
    target: null, output: null, error: null, dispatchedAt: `2026-12-01T10:00:${from}Z`, deadlineAt: '2026-12-01T10:05:00.000Z',
    completedAt: `2026-12-01T10:00:${to}Z`, lastHeartbeatAt: null, ...more,
  });
  return {
    ...base, status: 'COMPLETED', failedStep: null, error: null, finishedAt: '2026-12-01T10:00:06.100Z', allowedActions: [], actions: [],
    steps: [
      attempt('reserve', 1, 1, 'SUCCEEDED', '00.000', '01.000', { output: { reservationId: 'r-7', warehouse: 'eu-west-3' } }),
      attempt(LONG, 2, 1, 'SUCCEEDED', '01.000', '02.000'),
      attempt('chargePayment', 3, 1, 'FAILED', '02.000', '03.000', { handlerType: 'awx', target: 'job_template 42 on awx-prod', error: SIGNED_ERROR }),
      attempt('chargePayment', 3, 2, 'SUCCEEDED', '06.000', '06.100'),
    ],
    events: [{ at: '2026-12-01T10:00:05.990Z', kind: 'OPERATOR_RETRY', stepName: 'chargePayment', reason: 'card processor back up', actor: 'apikey:ops-oncall' }],
  };
}

const failedJob = {
  id: '00000000-0000-4000-8000-0000000000a2', flowId: FLOW, stepName: 'chargePayment', action: 'DO', attempt: 1, targetType: 'AWX', resourceType: 'job_template',
  resourceId: '42', connection: 'awx-prod', externalJobId: '9000', externalJobType: 'job', externalStatus: 'failed', externalResult: 'failed',
  status: 'FAILED', launchAttempts: 1, pollingAttempts: 7, completedAt: '2026-12-01T10:00:03.000Z', error: SIGNED_ERROR,
};

/** Each step name cell of the run page's tables as drawn: `table: name`, and the lines it takes. */
async function drawnNames(p: Page): Promise<{ cell: string; lines: string[] }[]> {
  const drawn: { cell: string; lines: string[] }[] = [];
  for (const table of ['attempts', 'events', 'jobs']) {
    for (const cell of await p.getByTestId(table).locator('td[data-label="Step"]').all()) {
      drawn.push({ cell: `${table}: ${(await cell.textContent())!.trim()}`, lines: await lines(cell) });
    }
  }
  return drawn;
}

/**
 * What is drawn on top of a bar's label, from its left to its right at its middle: anything but
 * the bar and its label covers a part of it. And the event ticks drawn across the bar's span.
 */
const overLabel = (bar: Locator) => bar.evaluate((el) => {
  const doc = el.ownerDocument;
  const range = doc.createRange();
  range.selectNodeContents(doc.createTreeWalker(el, 4).nextNode()!);
  const label = range.getBoundingClientRect();
  const covering = new Set<string>();
  for (let x = Math.ceil(label.left); x < label.right; x++) {
    const top = doc.elementFromPoint(x, label.top + label.height / 2);
    if (top && !el.contains(top)) covering.add(top.className);
  }
  const span = el.getBoundingClientRect();
  const ticks = [...el.parentElement!.querySelectorAll('.mark')].filter((t) => {
    const r = t.getBoundingClientRect();
    return r.right > span.left && r.left < span.right;
  });
  return { covering: [...covering], ticksAcross: ticks.length };
});

describe('operator console: a full run page stays readable at 1280 px (headless Chromium)', () => {
  let h: ConsoleHarness;

  beforeAll(async () => {
    h = await startConsole();
  }, 120_000);
  afterAll(() => h?.close());

  async function openRetriedRun(width: number): Promise<Page> {
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(retriedRun())));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([failedJob])));
    await p.setViewportSize({ width, height: 800 });
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    await p.getByTestId('jobs').waitFor();
    return p;
  }

  it("keeps a short step name on one line in every table of a full run page, and breaks a long one only between its words", async () => {
    const p = await openRetriedRun(1280);
    // The output opened too: the widest a cell beside the names gets.
    await p.getByTestId('attempts').locator('summary').first().click();
    await shot(p, 'legible-run-names-1280');
    const drawn = await drawnNames(p);
    // A short name is on one line, whole (the job's step may wrap at its spaces); a long one breaks between its words only.
    const short = drawn.filter((d) => !d.cell.includes(LONG));
    expect(short.filter((d) => !d.lines.some((line) => /\b(reserve|chargePayment)\b/.test(line)))).toEqual([]);
    expect(drawn.map((d) => d.cell)).toEqual([
      'attempts: reserve', `attempts: ${LONG}`, 'attempts: chargePayment', 'attempts: chargePayment', 'events: chargePayment', 'jobs: DO chargePayment #1',
    ]);
    const long = await lines(p.locator(`[data-attempt-row="DO ${LONG}"] td[data-label="Step"]`));
    expect({ long: long.join(''), broken: brokenInsideWords(long) }).toEqual({ long: LONG, broken: [] });
    expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBe(1280);
  });

  it("says a succeeded attempt's output was not kept, above why, and says it of no other attempt", async () => {
    const dropped = 'OUTPUT_REFUSED: output has 9000 bytes; this worker sends at most 8192';
    const base = pausedRun(false);
    const [reserve] = base.steps;
    const run = {
      ...base, status: 'FAILED', failedStep: 'reserve', finishedAt: '2026-12-01T10:00:02.000Z', allowedActions: [], actions: [],
      error: `DO reserve succeeded, but its worker could not send its output, so the run unwinds, reserve included: ${dropped}`,
      steps: [{ ...reserve, error: dropped }, { ...reserve, action: 'UNDO', commandId: '00000000-0000-4000-8000-00000000001a' }, base.steps[1]],
    };
    const p = await h.page();
    await p.route(`**/api/orchestration/runs/${FLOW}`, (r) => r.fulfill(json(run)));
    await p.route(`**/api/job-executions/request/${FLOW}`, (r) => r.fulfill(json([])));
    await p.setViewportSize({ width: 1280, height: 800 });
    await p.goto(`${h.base}/ui/runs/${FLOW}`);
    const cell = (row: string) => p.locator(`[data-attempt-row="${row}"] td[data-label="Output / error"]`);
    await cell('DO reserve').waitFor();
    await shot(p, 'legible-run-output-dropped-1280');
    expect(await cell('DO reserve').innerText()).toBe(`output not kept\n${dropped}`);
    expect(await p.getByTestId('output-dropped').count()).toBe(1);
    expect(await cell('DO ship').innerText()).toBe('card declined');
  });

  it("draws an attempt's label clear of the event ticks through its lane, or over them, never under", async () => {
    for (const width of [1280, 390]) {
      const p = await openRetriedRun(width);
      await shot(p, `legible-run-timeline-${width}`);
      // The operator's retry, a moment before the retry it sent, falls across the retry's short bar.
      expect(await overLabel(p.locator('[data-attempt="DO chargePayment 2"]'))).toEqual({ covering: [], ticksAcross: 1 });
    }
  });
});
