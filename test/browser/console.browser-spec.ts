import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { createWorker } from '@baton/worker';
import type { Page } from 'playwright-core';
import { expectEventually } from '../helpers/expect-eventually';
import { ARTIFACTS, ConsoleHarness, shot, startConsole } from './console-browser';

describe('operator console (headless Chromium, embedded default, demo worker)', () => {
  let h: ConsoleHarness;
  let page: Page;

  beforeAll(async () => {
    h = await startConsole();
    page = await h.page();
  }, 120_000);
  afterAll(() => h?.close());

  const start = async (payload: object) => {
    const res = await h.app.http.post('/api/orchestration/execute/demoOrder').send(payload).expect(202);
    return res.body.flowId as string;
  };
  const texts = (selector: string, attribute: string) =>
    page.locator(selector).evaluateAll((els, a) => els.map((e) => e.getAttribute(a)), attribute);
  const runStatus = () => page.locator('h1 .badge').getAttribute('data-status');

  it('loads the overview with health, the runs chart and unfinished runs, and measures the first load', async () => {
    const t0 = Date.now();
    await page.goto(`${h.base}/ui`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    await page.locator('section.card.up', { hasText: 'Database' }).waitFor();
    const interactiveMs = Date.now() - t0;
    // A string, not a function: the test's tsconfig has no DOM types. encodedBodySize is what came over the wire.
    const bytes = await page.evaluate<number>('performance.getEntries().reduce((sum, e) => sum + (e.encodedBodySize || 0), 0)');
    // Baton serves the files uncompressed; what a gzip-compressing proxy would send is measured here.
    const files = await page.evaluate<string[]>("performance.getEntries().filter((e) => /\\/ui(\\/|$)/.test(e.name)).map((e) => e.name)");
    const gzipBytes = (await Promise.all(files.map(async (f) => gzipSync(Buffer.from(await (await fetch(f)).arrayBuffer())).length)))
      .reduce((a, b) => a + b, 0);
    writeFileSync(join(ARTIFACTS, 'first-load.json'), JSON.stringify({ interactiveMs, bytes, gzipBytes, files: files.length }, null, 2));
    expect(files.length).toBeGreaterThanOrEqual(3);
    expect(await page.locator('section.card', { hasText: 'Healer' }).textContent()).toContain('Last tick');
    // The demo template's promotion runs a tick at boot: what it did is told in words, not counter names.
    const lastTick = await page.getByTestId('healer-last-tick').textContent();
    expect(lastTick).toMatch(/^(Nothing to heal|\d+ [a-z])/);
    expect(lastTick).not.toMatch(/[a-z][A-Z]/);
    await page.getByRole('heading', { name: 'Unfinished runs' }).waitFor();
    await shot(page, 'overview');
  });

  it('shows the demo template READY with its three steps drawn', async () => {
    await page.goto(`${h.base}/ui/templates/demoOrder`);
    await expectEventually(async () => expect(await runStatus()).toBe('READY'), { timeoutMs: 10_000 });
    expect(await texts('svg [data-step]', 'data-step')).toEqual(['reserveStock', 'chargePayment', 'shipOrder']);
    await shot(page, 'template');
  });

  let completed: string;
  let failed: string;

  it('shows a run started over the API in the run list without a reload, and its three DO attempts in order', async () => {
    await page.goto(`${h.base}/ui/runs`);
    await page.getByRole('heading', { name: /Runs/ }).waitFor();
    const reloads: string[] = [];
    page.on('framenavigated', (f) => { if (f === page.mainFrame()) reloads.push(f.url()); });
    completed = await start({ orderId: 42 });
    const row = page.locator(`tr[data-flow-id="${completed}"]`);
    await row.waitFor({ timeout: 10_000 });
    expect(reloads).toEqual([]);
    await expectEventually(async () => expect(await row.locator('.badge').textContent()).toBe('COMPLETED'), { timeoutMs: 10_000 });
    await shot(page, 'runs');

    await row.getByRole('link').first().click();
    await page.waitForURL(`**/ui/runs/${completed}`);
    await expectEventually(async () => expect(await runStatus()).toBe('COMPLETED'), { timeoutMs: 10_000 });
    expect(await texts('[data-attempt-row]', 'data-attempt-row')).toEqual(['DO reserveStock', 'DO chargePayment', 'DO shipOrder']);
    expect(await texts('[data-lane]', 'data-lane')).toEqual(['DO:reserveStock', 'DO:chargePayment', 'DO:shipOrder']);
    await shot(page, 'run-completed');

    await page.goBack();
    await page.waitForURL('**/ui/runs');
    await page.locator(`tr[data-flow-id="${completed}"]`).waitFor();
  });

  it('shows the two UNDOs of a failing run in reverse order', async () => {
    failed = await start({ failAt: 'shipOrder' });
    await page.goto(`${h.base}/ui/runs/${failed}`);
    await expectEventually(async () => expect(await runStatus()).toBe('FAILED'), { timeoutMs: 10_000 });
    expect(await texts('[data-attempt-row]', 'data-attempt-row'))
      .toEqual(['DO reserveStock', 'DO chargePayment', 'DO shipOrder', 'UNDO chargePayment', 'UNDO reserveStock']);
    expect(await texts('[data-lane]', 'data-lane'))
      .toEqual(['DO:reserveStock', 'DO:chargePayment', 'DO:shipOrder', 'UNDO:chargePayment', 'UNDO:reserveStock']);
    await shot(page, 'run-compensated');
  });

  it('undoes a completed run from its Undo button, after a confirmation that says what will happen', async () => {
    await page.goto(`${h.base}/ui/runs/${completed}`);
    await expectEventually(async () => expect(await runStatus()).toBe('COMPLETED'), { timeoutMs: 10_000 });
    expect(await page.locator('button[data-action="terminate"]').isDisabled()).toBe(true);
    await page.locator('button[data-action="undo"]').click();
    const dialog = page.getByRole('dialog');
    await expectEventually(async () => expect(await dialog.textContent())
      .toContain('undone: reserveStock, chargePayment; shipOrder declares undo: false'));
    // The order depends on the template's shape (compensationPlan): the confirmation claims none of its own.
    expect(await dialog.textContent()).not.toContain('reverse order');
    await shot(page, 'undo-confirmation');
    await dialog.getByRole('button', { name: 'Undo' }).click();
    await expectEventually(async () => expect(await runStatus()).toBe('UNDONE'), { timeoutMs: 10_000 });
    expect(await texts('[data-attempt-row]', 'data-attempt-row'))
      .toEqual(['DO reserveStock', 'DO chargePayment', 'DO shipOrder', 'UNDO chargePayment', 'UNDO reserveStock']);
    await shot(page, 'run-undone');
  });

  it('terminates a live run the way the operator chooses: effects left in place (compensate=false) or undone (compensate=true)', async () => {
    const orchName = 'cancellableOrder';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'cancel-initiator').send({
      orchName, as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'holdSeat', objectType: 'String' }, { seq: 2, name: 'awaitApproval', objectType: 'String', timeoutSeconds: 60 }],
    }).expect(201);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const undone: string[] = [];
    const worker = createWorker({ service: 'cancel-service', baton: { url: h.base }, transport: 'http', handleSignals: false });
    worker.step(orchName, 'holdSeat', { objectType: 'String', do: async () => ({ seat: '12A' }), undo: async (cmd) => { undone.push(`${cmd.flowId} holdSeat`); } });
    worker.step(orchName, 'awaitApproval', {
      objectType: 'String', do: async () => { await gate; return { approved: true }; }, undo: async (cmd) => { undone.push(`${cmd.flowId} awaitApproval`); },
    });
    await worker.start();
    const terminates: string[] = [];
    const onRequest = (r: { method(): string; url(): string }) => {
      if (r.method() === 'POST' && r.url().includes('/terminate')) terminates.push(new URL(r.url()).search);
    };
    page.on('request', onRequest);
    // Open the run once its second step is in flight, and the Terminate confirmation, choosing one way.
    const terminate = async (flowId: string, way: 'leave' | 'undo') => {
      await page.goto(`${h.base}/ui/runs/${flowId}`);
      await page.locator('[data-attempt-row="DO awaitApproval"]').waitFor({ timeout: 10_000 });
      expect(await runStatus()).toBe('RUNNING');
      await page.locator('button[data-action="terminate"]').click();
      const dialog = page.getByRole('dialog');
      await dialog.locator(`input[data-terminate="${way}"]`).check();
      return dialog;
    };
    try {
      const kept = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      let dialog = await terminate(kept, 'leave');
      expect(await dialog.getByTestId('action-effect').textContent()).toContain('nothing is undone');
      expect(await dialog.getByTestId('action-effect').textContent()).toContain('ends TERMINATED with every effect left in place');
      await shot(page, 'terminate-confirmation');
      await dialog.getByRole('button', { name: 'Terminate', exact: true }).click();
      await expectEventually(async () => expect(await runStatus()).toBe('TERMINATED'), { timeoutMs: 10_000 });
      expect(terminates).toEqual(['?compensate=false']);
      expect(await page.getByTestId('action-outcome').textContent()).toMatch(/^Terminate accepted: at \d{1,2}:\d\d:\d\d(?:\s?[AP]M)? the run was TERMINATED\.$/);

      const unwound = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      dialog = await terminate(unwound, 'undo');
      expect(await dialog.getByTestId('action-effect').textContent()).toContain('undone: holdSeat.');
      expect(await dialog.getByTestId('action-effect').textContent()).toContain('ends FAILED');
      await dialog.getByRole('button', { name: 'Terminate and undo' }).click();
      await expectEventually(async () => expect(await runStatus()).toBe('COMPENSATING'), { timeoutMs: 10_000 });
      expect(terminates).toEqual(['?compensate=false', '?compensate=true']);
      // The step in flight finishes first, and is undone too; the reply to the TERMINATED run's step changes nothing.
      release();
      await expectEventually(async () => expect(await runStatus()).toBe('FAILED'), { timeoutMs: 15_000 });
      expect(await texts('[data-attempt-row]', 'data-attempt-row'))
        .toEqual(['DO holdSeat', 'DO awaitApproval', 'UNDO awaitApproval', 'UNDO holdSeat']);
      expect(undone).toEqual([`${unwound} awaitApproval`, `${unwound} holdSeat`]);

      await page.goto(`${h.base}/ui/runs/${kept}`);
      await page.locator('[data-attempt-row="DO awaitApproval"]').waitFor();
      expect(await runStatus()).toBe('TERMINATED');
      expect(await texts('[data-attempt-row]', 'data-attempt-row')).toEqual(['DO holdSeat', 'DO awaitApproval']);
      // The step in flight at the terminate is given up, not drawn in flight for ever; its late success is not recorded.
      expect(await texts('[data-attempt-row] [data-status]', 'data-status')).toEqual(['SUCCEEDED', 'ABANDONED']);
      const abandoned = page.locator('[data-attempt="DO awaitApproval 1"]');
      expect(await abandoned.getAttribute('class')).toContain('b-abandoned');
      expect(await abandoned.getAttribute('aria-label')).toContain('given up after');
      expect(await page.locator('.legend-row').textContent()).toContain('abandoned (in flight when the run was terminated)');
      await shot(page, 'run-abandoned');
    } finally {
      page.off('request', onRequest);
      release();
      await worker.stop();
    }
  });

  it('draws a retry voided by a pause as never sent, and offers it to neither retry nor skip', async () => {
    const orchName = 'voidedRetryOrder';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'voided-initiator').send({
      orchName, as: 'initiator', type: 'sequential', steps: [
        { seq: 1, name: 'reserveRoom', objectType: 'String' },
        // The backoff outlasts the test, so the retry is still waiting when the run is paused.
        { seq: 2, name: 'chargeCard', objectType: 'String', retry: { maxAttempts: 2, backoff: 'fixed', initialDelaySeconds: 60 } },
      ],
    }).expect(201);
    const worker = createWorker({ service: 'voided-service', baton: { url: h.base }, transport: 'http', handleSignals: false });
    worker.step(orchName, 'reserveRoom', { objectType: 'String', do: async () => ({ room: 101 }) });
    worker.step(orchName, 'chargeCard', { objectType: 'String', do: async () => { throw new Error('card declined'); } });
    await worker.start();
    // At laptop width: the voided bar is the narrowest thing the timeline draws.
    const p = await h.page();
    await p.setViewportSize({ width: 1280, height: 800 });
    try {
      const flowId = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      const retryOf = async () => (await h.app.http.get(`/api/orchestration/runs/${flowId}`).expect(200)).body.steps
        .find((s: { stepName: string; attempt: number }) => s.stepName === 'chargeCard' && s.attempt === 2);
      await expectEventually(async () => expect((await retryOf())?.status).toBe('DISPATCHED'), { timeoutMs: 10_000 });

      await p.goto(`${h.base}/ui/runs/${flowId}`);
      await p.locator('button[data-action="pause"]').click();
      await p.getByRole('dialog').getByRole('button', { name: 'Pause' }).click();
      const bar = p.locator('[data-attempt="DO chargeCard 2"]');
      await expectEventually(async () => expect(await bar.getAttribute('class')).toContain('b-voided'), { timeoutMs: 10_000 });
      expect(await p.locator('h1 .badge').getAttribute('data-status')).toBe('PAUSED');
      expect((await retryOf()).error).toBe('not sent: the run was PAUSED before it was due');
      expect(await bar.getAttribute('aria-label')).toContain('attempt 2: VOIDED');
      expect(await bar.getAttribute('aria-label')).toContain('never sent');
      expect(await p.locator('.legend-row .b-voided').count()).toBe(1);
      expect(await p.locator('.legend-row').textContent()).toContain('voided (never sent)');
      const rows = p.locator('[data-attempt-row="DO chargeCard"] [data-status]');
      expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-status')))).toEqual(['FAILED', 'VOIDED']);
      expect(await p.locator('[data-attempt-row="DO chargeCard"]').last().textContent()).toContain('was due');
      // Nothing failed is left to retry or skip: resuming the run sends the retry again.
      expect(await p.locator('button[data-action="retry"]').isDisabled()).toBe(true);
      expect(await p.locator('button[data-action="skip"]').isDisabled()).toBe(true);
      expect(await p.locator('button[data-action="resume"]').isEnabled()).toBe(true);
      await shot(p, 'run-voided');
      // Ended, so the overview's unfinished runs in the pictures below stay as they were.
      await h.app.http.post(`/api/orchestration/runs/${flowId}/terminate?compensate=false`).send({}).expect(202);
    } finally {
      await worker.stop();
    }
  });

  it('shows a long-lived template\'s ten newest versions, and an older one from its address', async () => {
    for (let v = 1; v <= 12; v++) {
      await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'versioned-service').send({
        orchName: 'oftenChangedFlow', as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: `stepOfV${v}`, objectType: 'String' }],
      }).expect(201);
    }
    await page.goto(`${h.base}/ui/templates/oftenChangedFlow`);
    await page.getByTestId('versions-shown').waitFor();
    expect(await page.getByTestId('versions-shown').textContent()).toContain('Showing 10 of 12 versions');
    await shot(page, 'template-versions');
    await page.goto(`${h.base}/ui/templates/oftenChangedFlow?version=1`);
    await page.getByRole('heading', { name: 'Steps of v1' }).waitFor();
    expect(await page.getByTestId('versions-shown').textContent()).toContain('Showing 11 of 12 versions');
    // A version in the address that is no number shows the current one, as it always did.
    await page.goto(`${h.base}/ui/templates/oftenChangedFlow?version=latest`);
    await page.getByTestId('versions-shown').waitFor();
    expect(await page.getByRole('heading', { name: /^Steps/ }).textContent()).toBe('Steps ');
  });

  it('shows the missing steps of a PENDING template', async () => {
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'tenant-service').send({
      orchName: 'tenantOnboarding', as: 'initiator', type: 'sequential',
      steps: [{ seq: 1, name: 'createRealm', objectType: 'String' }, { seq: 2, name: 'createClient', objectType: 'String' }],
    }).expect(201);
    await page.goto(`${h.base}/ui/templates/tenantOnboarding`);
    await page.getByTestId('missing-steps').waitFor();
    expect(await runStatus()).toBe('PENDING');
    expect(await page.getByTestId('missing-steps').textContent()).toContain('createRealm, createClient');
    expect(await texts('[data-missing]', 'data-missing')).toEqual(['createRealm', 'createClient']);
    expect(await page.locator('svg .node.missing').count()).toBe(2);
    await shot(page, 'template-pending');
  });

  it('shows a step\'s live worker instances on its template, and the worker\'s heartbeat on the run timeline', async () => {
    const orchName = 'reportFlow';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'report-initiator').send({
      orchName, as: 'initiator', type: 'sequential', steps: [{ seq: 1, name: 'buildReport', objectType: 'String', timeoutSeconds: 30 }],
    }).expect(201);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const worker = createWorker({
      service: 'report-service', baton: { url: h.base }, transport: 'http', handleSignals: false, presenceMs: 500, autoHeartbeatMs: 300,
    });
    worker.step(orchName, 'buildReport', { objectType: 'String', do: async () => { await gate; return { pages: 3 }; } });
    await worker.start();
    try {
      await page.goto(`${h.base}/ui/templates/${orchName}`);
      await expectEventually(async () => expect(await texts('[data-live]', 'data-live')).toEqual(['1']), { timeoutMs: 10_000 });
      expect(await page.locator('svg [data-step="buildReport"]').textContent()).toContain('1 worker registered, 1 live');
      await shot(page, 'template-live');

      const res = await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202);
      await page.goto(`${h.base}/ui/runs/${res.body.flowId}`);
      await page.locator('[data-heartbeat="DO buildReport 1"]').waitFor({ timeout: 10_000 });
      await shot(page, 'run-heartbeat');
      // What the run waits for names the attempt's deadline (heartbeats move it) in local time, with UTC on hover, not as ISO text.
      const waiting = page.getByTestId('waiting-for').first();
      const deadlineAt = (await waiting.locator('time').getAttribute('datetime'))!;
      expect(deadlineAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(await waiting.locator('time').getAttribute('title')).toBe(`${deadlineAt.slice(0, 10)} ${deadlineAt.slice(11, 19)} UTC`);
      expect(await waiting.textContent()).toMatch(/^DO buildReport attempt 1 on .+ \(deadline .+\)$/);
      expect(await waiting.textContent()).not.toContain('Z)');
      release();
      await expectEventually(async () => expect(await runStatus()).toBe('COMPLETED'), { timeoutMs: 15_000 });
      expect(await page.locator('[data-heartbeat="DO buildReport 1"]').count()).toBe(1);
    } finally {
      release();
      await worker.stop();
    }
  });

  it('shows a rejected document in the audit with each problem beside the line it names', async () => {
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'broken-service').set('Content-Type', 'application/yaml')
      .send('orchName: brokenFlow\nas: initiator\ntype: sequential\nsteps:\n  - {seq: one, name: a, objectType: String}\n').expect(400);
    await page.goto(`${h.base}/ui/audit?outcome=REJECTED`);
    const row = page.locator('tr', { hasText: 'broken-service' });
    await row.getByRole('button', { name: 'document' }).click();
    const bad = page.locator('.doc li.bad');
    await bad.first().waitFor();
    expect(await bad.first().textContent()).toContain('seq: one');
    await shot(page, 'audit');
  });

  it('shows the first 256 KB of a large payload and copies all of it', async () => {
    const note = 'x'.repeat(300 * 1024);
    const flowId = await start({ orderId: 7, note });
    const p = await h.page();
    await p.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: h.base });
    await p.goto(`${h.base}/ui/runs/${flowId}`);
    const payload = p.locator('details.json', { hasText: 'payload' });
    await payload.locator('pre').waitFor();
    expect((await payload.locator('pre').textContent())!.length).toBe(256 * 1024);
    expect(await payload.textContent()).toContain('Only the first 256 KB are shown');
    await payload.getByRole('button', { name: 'Copy all of it' }).click();
    const copied = JSON.parse(await p.evaluate<string>('navigator.clipboard.readText()')) as { note: string };
    expect(copied.note).toBe(note);
  });

  it('lists every event after "Show all", and shows a refused action\'s problems with their paths and the correlation id', async () => {
    const orchName = 'approvalOrder';
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'approval-initiator').send({
      orchName, as: 'initiator', type: 'sequential', steps: [
        { seq: 1, name: 'approve', objectType: 'String' },
        { seq: 2, name: 'charge', objectType: 'String', onFailure: 'pause' },
      ],
    }).expect(201);
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    const worker = createWorker({ service: 'approval-service', baton: { url: h.base }, transport: 'http', handleSignals: false });
    worker.step(orchName, 'approve', { objectType: 'String', do: async () => { await gate; return { approved: true }; } });
    worker.step(orchName, 'charge', { objectType: 'String', do: async () => { throw new Error('card declined'); } });
    await worker.start();
    const p = await h.page();
    try {
      const flowId = (await h.app.http.post(`/api/orchestration/execute/${orchName}`).send({}).expect(202)).body.flowId as string;
      const run = `/api/orchestration/runs/${flowId}`;
      // 51 pauses and resumes while the first step is in flight: 102 events, two more than the page lists.
      for (let i = 0; i < 51; i++) {
        await h.app.http.post(`${run}/pause`).send({ reason: `check ${i}` }).expect(202);
        await h.app.http.post(`${run}/resume`).send({}).expect(202);
      }
      const events = (await h.app.http.get(run).expect(200)).body.events.length as number;
      expect(events).toBeGreaterThanOrEqual(102);
      await p.goto(`${h.base}/ui/runs/${flowId}`);
      const earlier = p.getByText(/The latest 100 are shown; \d+ earlier events are not/);
      await earlier.waitFor();
      expect(await earlier.textContent()).toContain(`${events - 100} earlier events`);
      const eventRows = p.locator('main table.grid').last().locator('tbody tr');
      expect(await eventRows.count()).toBe(100);
      await earlier.getByRole('button', { name: 'Show all' }).click();
      await expectEventually(async () => expect(await eventRows.count()).toBe(events));

      // The second step fails and pauses the run; a skip whose output is nested too deep is refused.
      release();
      await expectEventually(async () => expect(await p.locator('button[data-action="skip"]').isEnabled()).toBe(true), { timeoutMs: 10_000 });
      await p.locator('button[data-action="skip"]').click();
      const dialog = p.getByRole('dialog');
      await dialog.getByLabel('Output (JSON, optional)').fill(`${'['.repeat(40)}${']'.repeat(40)}`);
      const answered = p.waitForResponse((r) => r.url().endsWith(`${run}/skip`));
      await dialog.getByRole('button', { name: 'Skip' }).click();
      const refused = await answered;
      expect(refused.status()).toBe(400);
      const refusal = dialog.getByRole('alert');
      await refusal.waitFor();
      expect(await refusal.textContent()).toContain('INVALID_REQUEST');
      expect(await refusal.locator('.problems li').evaluateAll((els) => els.map((e) => e.textContent)))
        .toEqual(['body.output: output must be nested at most 32 levels deep']);
      expect(await refusal.locator('.problems li code').textContent()).toBe('body.output');
      expect(await refusal.locator('.small code').textContent()).toBe(refused.headers()['x-correlation-id']);
      await shot(p, 'action-refused');
      // Nothing changed; a skip with a proper output ends the run, so the overview's pictures below stay as they were.
      expect((await h.app.http.get(run).expect(200)).body.status).toBe('PAUSED');
      await dialog.getByLabel('Output (JSON, optional)').fill('{"receipt": "by phone"}');
      await dialog.getByRole('button', { name: 'Skip' }).click();
      await expectEventually(async () => expect(await p.locator('h1 .badge').getAttribute('data-status')).toBe('COMPLETED'), { timeoutMs: 10_000 });
    } finally {
      release();
      await worker.stop();
    }
  });

  it('is readable on a laptop and on a wide screen', async () => {
    // A PENDING template: each step's row holds the no-worker hint with its registration JSON, and a retry policy's JSON.
    await h.app.http.post('/api/orchestration/register').set('X-Service-Name', 'customer-onboarding-portal').send({
      orchName: 'customerAccountOnboarding', as: 'initiator', type: 'sequential',
      steps: [
        { seq: 1, name: 'provisionCustomerRealm', objectType: 'CustomerRealmRequest', retry: { maxAttempts: 5, backoff: 'exponential', initialDelaySeconds: 2, maxDelaySeconds: 120 } },
        { seq: 2, name: 'registerIdentityProviderClient', objectType: 'IdentityProviderClientRequest', timeoutSeconds: 90 },
      ],
    }).expect(201);
    const p = await h.page();
    for (const [name, width, height] of [['laptop', 1280, 800], ['wide', 1920, 1080]] as const) {
      await p.setViewportSize({ width, height });
      for (const [shotName, path] of [
        ['overview', '/ui'], ['runs', '/ui/runs'], ['run', `/ui/runs/${completed}`], ['template', '/ui/templates/demoOrder'],
        ['template-pending', '/ui/templates/customerAccountOnboarding'],
      ]) {
        await p.goto(`${h.base}${path}`);
        await p.locator('main h1').waitFor();
        await p.waitForLoadState('networkidle');
        if (shotName === 'template-pending') expect(await p.locator('[data-missing]').count()).toBe(2);
        // Nothing wider than the window: no sideways scrolling of the whole page.
        expect(await p.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(width);
        await shot(p, `${shotName}-${name}`);
      }
    }
    // The README's picture: a failed demo run and its compensation, as a laptop shows it.
    await p.setViewportSize({ width: 1280, height: 800 });
    await p.goto(`${h.base}/ui/runs/${failed}`);
    await p.locator('[data-lane="UNDO:reserveStock"]').waitFor();
    await p.screenshot({ path: join(ARTIFACTS, 'readme-console.png') });
  });

  it('can be used from the keyboard: the navigation, then the page, with a visible focus', async () => {
    const p = await h.page();
    await p.goto(`${h.base}/ui/runs`);
    await p.locator('main h1').waitFor();
    const focused = async () => p.evaluate<string>("document.activeElement?.textContent?.trim() ?? ''");
    const order: string[] = [];
    for (let i = 0; i < 5; i++) {
      await p.keyboard.press('Tab');
      order.push(await focused());
    }
    expect(order).toEqual(['Baton', 'Overview', 'Templates', 'Runs', 'Audit']);
    expect(await p.evaluate<string>('getComputedStyle(document.activeElement).outlineStyle')).toBe('solid');
    await p.keyboard.press('Enter');
    await p.waitForURL('**/ui/audit');
    await p.getByRole('heading', { name: 'Registration audit' }).waitFor();
  });

  it('asks for an API key when the API answers 401, then sends it as a Bearer token', async () => {
    const p = await h.page();
    const sent: (string | undefined)[] = [];
    // Identity lands in parallel: this stands in for an API that requires a key.
    await p.route('**/api/**', (route) => {
      const auth = route.request().headers().authorization;
      sent.push(auth);
      return auth === 'Bearer k-1' ? route.fallback() : route.fulfill({ status: 401, contentType: 'application/json', body: '{"code":"UNAUTHENTICATED","message":"no key"}' });
    });
    await p.goto(`${h.base}/ui/templates`);
    await p.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
    await shot(p, 'login');
    await p.getByLabel('API key').fill('k-1');
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('heading', { name: 'Templates' }).waitFor();
    expect(sent).toContain('Bearer k-1');
  });

  it('hides the action buttons from a viewer', async () => {
    const p = await h.page();
    await p.route('**/api/auth/me', (route) => route.fulfill({ status: 200, contentType: 'application/json', body: JSON.stringify({ id: 'v', kind: 'apiKey', roles: ['viewer'], service: null }) }));
    await p.goto(`${h.base}/ui/runs/${completed}`);
    await p.locator('[data-attempt-row]').first().waitFor();
    expect(await p.locator('button[data-action]').count()).toBe(0);
  });
});
