import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { BatonClient, RequestOptions } from './baton-client';
import type { Slots } from './slots';
import { HttpTransport } from './transports/http-transport';
import type { Delivery, Transport } from './transports/transport';
import type { WireCommand } from './wire';
import { createWorker, type WorkerOptions } from './worker';

const control = { register: async () => undefined, reportPresence: async () => undefined, leave: async () => undefined };
const command = { flowId: 'f1', orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: 'c1', objectType: 'Order',
  payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: 'k', idempotencyKey: 'i1', deadline: new Date(Date.now() + 60_000).toISOString() } as WireCommand;

/** A transport the test hands deliveries through. */
function handTransport(extra: Partial<Transport> = {}) {
  let receive!: (d: Delivery) => void;
  let slots!: Slots;
  const transport: Transport = {
    start: async (r, s) => void ((receive = r), (slots = s)), pause: async () => undefined, close: async () => undefined, ...extra,
  };
  return { transport, deliver: (d: Delivery) => receive(d), inUse: () => slots.inUse };
}

const delivery = (overrides: Partial<Delivery> = {}): Delivery & { settle: jest.Mock } => ({
  command, settle: jest.fn(async () => undefined), drop: async () => undefined, heartbeat: async () => undefined, ...overrides,
}) as Delivery & { settle: jest.Mock };

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('createWorker', () => {
  it('needs Baton\'s URL unless it is given a control of its own', () => {
    expect(() => createWorker({ service: 'shop' })).toThrow('Give baton: {url} (or a control of your own)');
    expect(() => createWorker({ service: 'shop', control })).not.toThrow();
  });

  it('takes the service names Baton takes, and only those', () => {
    for (const service of ['a', 'shop-1', 'x'.repeat(200), '9.team_b']) expect(() => createWorker({ service, control })).not.toThrow();
    for (const service of ['', 'x'.repeat(201), '.shop', '-shop', 'a b', 'team/x', 'payments@corp']) {
      expect(() => createWorker({ service, control })).toThrow(`Invalid service name ${service}: start with a letter or digit`);
    }
  });

  it('refuses at once a step declared without a do function, with a bad undo or objectType, or twice', () => {
    const worker = createWorker({ service: 'shop', control });
    const bad = [
      [{ objectType: 'String' }, 'Step flow/a needs a `do` function'],
      [{ objectType: 'String', do: 'run' }, 'Step flow/a needs a `do` function'],
      [{ objectType: 'String', do: () => 1, undo: {} }, 'Step flow/a has an `undo` that is not a function'],
      [{ do: () => 1 }, 'Step flow/a needs its `objectType`'],
    ] as const;
    for (const [def, message] of bad) expect(() => worker.step('flow', 'a', def as never)).toThrow(message);
    worker.step('flow', 'a', { objectType: 'String', do: () => 1 });
    expect(() => worker.step('flow', 'a', { objectType: 'String', do: () => 2 })).toThrow('Step flow/a is declared twice: declare each step once');
    expect(() => worker.step('flow', 'b', { objectType: 'String', do: () => 2 })).not.toThrow();
  });

  it('refuses at once a template or step name Baton would refuse or trim (its commands would never match), naming the rule', () => {
    const worker = createWorker({ service: 'shop', control });
    for (const [orchName, stepName, shown] of [['tenantCreation', 'createRealm ', '"createRealm "'], [' tenantCreation', 'createRealm', '" tenantCreation"'],
      ['order', '-charge', '"-charge"'], ['order', 'ch arge', '"ch arge"'], ['order', '', '""'], ['order', 'x'.repeat(201), `"${'x'.repeat(201)}"`],
      ['order', 'charge/1', '"charge/1"']] as const) {
      const thrown = (() => { try { worker.step(orchName, stepName, { objectType: 'String', do: () => 1 }); } catch (e) { return e; } })();
      expect(thrown).toMatchObject({ code: 'INVALID_STEP', message: expect.stringContaining(`name Baton does not take, ${shown}: start with a letter or digit`) });
    }
    for (const [orchName, stepName] of [['tenantCreation', 'createRealm'], ['9.team_b', 'step-1.v2'], ['o', 'x'.repeat(200)]]) {
      expect(() => worker.step(orchName, stepName, { objectType: 'String', do: () => 1 })).not.toThrow();
    }
  });

  it('refuses to start the HTTP transport without Baton\'s URL', async () => {
    for (const transport of ['http', { http: {} }] as const) {
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport })
        .step('order', 'charge', { objectType: 'Order', do: () => 1 });
      await expect(worker.start()).rejects.toThrow('the HTTP transport long-polls Baton\'s REST API');
    }
  });

  it('fails a start whose key Baton refuses naming Baton\'s reason, even once its requests are held back', async () => {
    const server = createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"code":"UNAUTHENTICATED","message":"Authentication required: API key k1 is revoked"}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const { transport } = handTransport(); // as a broker transport: only the presence beat and the registration go to Baton
      const baton = { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, apiKey: 'k1' };
      const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
      const worker = createWorker({ service: 'shop', baton, transport, logger, handleSignals: false })
        .step('order', 'charge', { objectType: 'Order', do: () => 1 });
      const error = await worker.start().catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'HELD_BACK', message: expect.stringContaining('(UNAUTHENTICATED: Authentication required: API key k1 is revoked)') });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('warns of a template not registered yet and of steps it registered that the template does not have (a typo?), and of steps another service serves first', async () => {
    const server = createServer((req, res) => {
      res.writeHead(req.url === '/api/orchestration/register' ? 201 : 200, { 'content-type': 'application/json' });
      if (req.url !== '/api/orchestration/register') return res.end('{}');
      let body = '';
      req.on('data', (chunk) => (body += chunk));
      req.on('end', () => res.end((JSON.parse(body) as { orchName: string }).orchName === 'ordr'
        ? JSON.stringify({ orchName: 'ordr', role: 'worker', outcome: 'CREATED', serviceName: 'shop', version: null, status: null, missingSteps: [], unknownSteps: [] })
        : JSON.stringify({ orchName: 'order', role: 'worker', outcome: 'CREATED', serviceName: 'shop', version: 1, status: 'PENDING',
          missingSteps: ['charge'], unknownSteps: ['chrage'], stepsServedByOthers: ['refund'] })));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({
      service: 'shop', baton: { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }, transport: handTransport().transport,
      logger, handleSignals: false,
    }).step('ordr', 'charge', { objectType: 'Order', do: () => 1 })
      .step('order', 'chrage', { objectType: 'Order', do: () => 1 }).step('order', 'refund', { objectType: 'Order', do: () => 1 });
    try {
      await worker.start();
      expect(logger.warn.mock.calls).toEqual([
        [{ service: 'shop', orchName: 'ordr' },
          'no template ordr is registered yet: this worker gets its commands once its owner registers it, but check the name for a typo'],
        [{ service: 'shop', orchName: 'order', unknownSteps: ['chrage'] },
          'template order has no step chrage: registered anyway (a later version of the template may add it), but check the name for a typo'],
        [{ service: 'shop', orchName: 'order', stepsServedByOthers: ['refund'] },
          'another service registered refund of template order first and gets their commands: this worker gets them only once that registration is removed'],
      ]);
    } finally {
      await worker.stop();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('runs two copies of one command one after the other, the second replaying the first\'s result', async () => {
    const { transport, deliver } = handTransport();
    let finish!: () => void;
    const handler = jest.fn(() => new Promise((resolve) => (finish = () => resolve({ charged: 1 }))));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    const second = delivery();
    deliver(first);
    deliver(second);
    await settled();
    expect(handler).toHaveBeenCalledTimes(1);
    finish();
    await until(() => second.settle.mock.calls.length === 1);
    expect(handler).toHaveBeenCalledTimes(1);
    expect(second.settle).toHaveBeenCalledWith(expect.objectContaining({ output: { charged: 1 } }));
    await worker.stop();
  });

  it('runs the retry of a step whose handler timed out once it has had handlerTimeoutMs more, beside the hung handler, which keeps its slot', async () => {
    const { transport, deliver, inUse } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finishHung!: () => void;
    const handler = jest.fn((cmd: { attempt: number }) => (cmd.attempt === 1
      ? new Promise((resolve) => (finishHung = () => resolve('late')))
      : { charged: cmd.attempt }));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, handlerTimeoutMs: 50 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    deliver(first);
    await until(() => first.settle.mock.calls.length === 1);
    expect(first.settle).toHaveBeenCalledWith(expect.objectContaining({ metadata: expect.objectContaining({ error: expect.stringMatching(/^HANDLER_TIMEOUT/) }) }));
    // Baton's retry: the same idempotencyKey, the next attempt.
    const retry = delivery({ command: { ...command, attempt: 2, commandId: 'c2' } });
    deliver(retry);
    try {
      await until(() => retry.settle.mock.calls.length === 1);
      expect(retry.settle).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2, output: { charged: 2 } }));
      expect(inUse()).toBe(1); // the hung handler's, until it really ends
    } finally {
      finishHung();
      await worker.stop();
    }
    expect(inUse()).toBe(0);
  });

  it('replays to the retry of a step whose handler timed out the success that handler returned late, instead of running it again', async () => {
    const { transport, deliver } = handTransport();
    let finishLate!: () => void;
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const handler = jest.fn(() => new Promise((resolve) => (finishLate = () => resolve({ charged: 'late' }))));
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, handlerTimeoutMs: 200 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const first = delivery();
    deliver(first);
    try {
      await until(() => first.settle.mock.calls.length === 1);
      finishLate();
      await until(() => logger.warn.mock.calls.some(([, m]) => String(m).includes('its result is recorded')));
      // Baton's retry (the same idempotencyKey), after its backoff.
      const retry = delivery({ command: { ...command, attempt: 2, commandId: 'c2' } });
      deliver(retry);
      await until(() => retry.settle.mock.calls.length === 1);
      expect(retry.settle).toHaveBeenCalledWith(expect.objectContaining({ attempt: 2, metadata: { status: 'SUCCESS', error: null }, output: { charged: 'late' } }));
      expect(handler).toHaveBeenCalledTimes(1);
    } finally {
      finishLate();
      await worker.stop();
    }
  });

  it('runs no more handlers at once than its concurrency, even when a transport delivers more (a RabbitMQ reconnect)', async () => {
    const { transport, deliver, inUse } = handTransport();
    const finishers: Array<() => void> = [];
    let running = 0;
    let most = 0;
    const handler = () => new Promise((resolve) => {
      most = Math.max(most, ++running);
      finishers.push(() => { running--; resolve(1); });
    });
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, concurrency: 2 })
      .step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    const deliveries = [1, 2, 3, 4].map((n) => delivery({ command: { ...command, commandId: `c${n}`, idempotencyKey: `i${n}` } }));
    deliveries.forEach(deliver);
    await settled();
    expect([running, inUse()]).toEqual([2, 2]);
    while (finishers.length) {
      finishers.shift()!();
      await settled();
    }
    await until(() => deliveries.every((d) => d.settle.mock.calls.length === 1));
    expect(most).toBe(2);
    await worker.stop();
  });

  it('stops after drainTimeoutMs with a handler still running, and says so', async () => {
    const { transport, deliver } = handTransport();
    const close = jest.spyOn(transport, 'close');
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finish!: () => void;
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, drainTimeoutMs: 50 })
      .step('order', 'charge', { objectType: 'Order', do: () => new Promise((resolve) => (finish = () => resolve(1))) });
    await worker.start();
    const hung = delivery();
    deliver(hung);
    await settled();
    await worker.stop();
    expect(close).toHaveBeenCalledTimes(1);
    expect(logger.warn).toHaveBeenCalledWith({ service: 'shop', running: 1 },
      'stopping with 1 handler(s) still running after 50 ms: their commands are not acknowledged and go to another instance');
    finish();
    await settled();
  });

  it('closes its result store only once the handlers stop() gave up on have ended: they may still record a result another instance then replays', async () => {
    const { transport, deliver } = handTransport();
    const events: string[] = [];
    const store = {
      get: async () => undefined, put: async () => void events.push('put'), close: async () => void events.push('store closed'),
    };
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finish!: () => void;
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, store, drainTimeoutMs: 20 })
      .step('order', 'charge', { objectType: 'Order', do: () => new Promise((resolve) => (finish = () => resolve(1))) });
    await worker.start();
    deliver(delivery());
    await settled();
    await worker.stop();
    expect(events).toEqual([]);
    finish();
    await until(() => events.length === 2);
    expect(events).toEqual(['put', 'store closed']);
  });

  it('stops within drainTimeoutMs over HTTP while every slot is busy (its poll loop waits for a slot)', async () => {
    const client = leasingOnce(() => undefined);
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finish!: () => void;
    const handler = jest.fn(() => new Promise((resolve) => (finish = () => resolve(1))));
    const worker = createWorker({
      service: 'shop', control, handleSignals: false, logger, concurrency: 1, drainTimeoutMs: 200, transport: new HttpTransport(client, logger),
    }).step('order', 'charge', { objectType: 'Order', do: handler });
    await worker.start();
    await until(() => handler.mock.calls.length === 1);
    // The handler ends long after the drain timeout: stop() must not wait for it.
    const late = setTimeout(() => finish(), 3_000);
    try {
      const started = Date.now();
      await worker.stop();
      expect(Date.now() - started).toBeLessThan(200 + 300);
      expect(logger.warn).toHaveBeenCalledWith({ service: 'shop', running: 1 }, expect.stringContaining('still running after 200 ms'));
    } finally {
      clearTimeout(late);
      finish();
    }
  });

  it('holds outputs to the transport\'s reply limit, or to maxReplyBytes when given', async () => {
    const outcomes: string[] = [];
    for (const maxReplyBytes of [undefined, 10_000]) {
      const { transport, deliver } = handTransport({ maxReplyBytes: 300 });
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, maxReplyBytes, logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } })
        .step('order', 'charge', { objectType: 'Order', do: () => ({ blob: 'x'.repeat(500) }) });
      await worker.start();
      const d = delivery();
      deliver(d);
      await until(() => d.settle.mock.calls.length === 1);
      outcomes.push(`${d.settle.mock.calls[0][0].metadata.status} ${d.settle.mock.calls[0][0].metadata.error ?? ''}`.trim());
      await worker.stop();
    }
    expect(outcomes).toEqual([expect.stringMatching(/^SUCCESS OUTPUT_REFUSED: .*over maxReplyBytes \(300\)$/), 'SUCCESS']);
  });

  it('sends any size of output over HTTP unless maxReplyBytes is given: Baton answers what its BODY_LIMIT_BYTES refuses with a 413', async () => {
    const replies: Array<{ metadata: { status: string } }> = [];
    const client = leasingOnce((body) => {
      replies.push(body as (typeof replies)[number]);
      return { outcome: 'applied' };
    });
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, logger, transport: new HttpTransport(client, logger) })
      .step('order', 'charge', { objectType: 'Order', do: () => ({ blob: 'x'.repeat(2 * 1024 * 1024) }) });
    await worker.start();
    await until(() => replies.length === 1);
    await worker.stop();
    expect(replies[0].metadata.status).toBe('SUCCESS');
  });

  it('takes only a positive integer as maxReplyBytes', () => {
    for (const maxReplyBytes of [0, -1, 1.5, Number.NaN]) {
      expect(() => createWorker({ service: 'shop', control, maxReplyBytes })).toThrow('maxReplyBytes must be a positive integer');
    }
  });

  it('pauses the transport on stop without waiting for the goodbye to Baton', async () => {
    let answer!: () => void;
    const slowBaton = { ...control, leave: () => new Promise<undefined>((resolve) => (answer = () => resolve(undefined))) };
    const { transport } = handTransport();
    const pause = jest.spyOn(transport, 'pause');
    const worker = createWorker({ service: 'shop', control: slowBaton, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await worker.start();
    const stopped = worker.stop();
    await settled();
    expect(pause).toHaveBeenCalledTimes(1); // while the goodbye is still out
    answer();
    await stopped;
  });

  it('stops reporting presence and closes its transport when start fails', async () => {
    const reportPresence = jest.fn(async () => undefined);
    const leave = jest.fn(async () => undefined);
    const refusing = { ...control, reportPresence, leave, register: async () => Promise.reject(new Error('register refused')) };
    const { transport } = handTransport();
    const close = jest.spyOn(transport, 'close');
    const worker = createWorker({ service: 'shop', control: refusing, handleSignals: false, transport, presenceMs: 100 })
      .step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await expect(worker.start()).rejects.toThrow('register refused');
    const beats = reportPresence.mock.calls.length;
    await sleep(250);
    expect(reportPresence).toHaveBeenCalledTimes(beats);
    expect(leave).toHaveBeenCalledTimes(1);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('refuses, naming each, timing options that are not whole milliseconds within their range, and an unknown transport', () => {
    const make = (extra: Partial<WorkerOptions>) => () => createWorker({ service: 'shop', control, handleSignals: false, ...extra });
    const longest = 2 ** 31 - 1;
    const upTo = `up to ${longest} (Node's longest timer)`;
    expect(make({ presenceMs: 0, autoHeartbeatMs: -1, handlerTimeoutMs: Number.NaN, drainTimeoutMs: 1.5, maxReplyBytes: 0 })).toThrow(
      'Invalid worker options: maxReplyBytes must be a positive integer, not 0; '
      + `presenceMs must be an integer from 100 ${upTo}, not 0; autoHeartbeatMs must be an integer from 0 (off) ${upTo}, not -1; `
      + `handlerTimeoutMs must be an integer from 0 (no limit) ${upTo}, not NaN; drainTimeoutMs must be an integer from 0 (wait for ever) ${upTo}, not 1.5`);
    // Node fires a longer timer after 1 ms.
    expect(make({ presenceMs: longest + 1 })).toThrow(`presenceMs must be an integer from 100 ${upTo}, not ${longest + 1}`);
    expect(make({ presenceMs: longest, autoHeartbeatMs: 0, handlerTimeoutMs: 0, drainTimeoutMs: 0 })).not.toThrow();
  });

  it('names every problem with its options at once, not the first one only', () => {
    const options = { service: 'shop floor', concurrency: 0, transport: 'carrier-pigeon', baton: { url: '127.0.0.1:3000' }, presenceMs: 0 };
    expect(() => createWorker(options as never)).toThrow(
      'Invalid worker options: Invalid service name shop floor: start with a letter or digit, use only letters, digits, ".", "_" and "-", at most 200 characters; '
      + 'concurrency must be an integer from 1 to 10000, not 0; presenceMs must be an integer from 100 up to 2147483647 (Node\'s longest timer), not 0; '
      + 'Unknown transport: use "http", {kafka: …} or {rabbitmq: …}; '
      + 'baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not "127.0.0.1:3000"');
    expect(() => createWorker({ service: 'shop', concurrency: 10_000, baton: { url: 'http://127.0.0.1:3000' }, handleSignals: false })).not.toThrow();
  });

  it('refuses a transport named by a string other than "http" as unknown (a plain JavaScript caller may pass "rabbitmq")', () => {
    expect(() => createWorker({ service: 'shop', control, handleSignals: false, transport: 'rabbitmq' as never }))
      .toThrow('Unknown transport: use "http", {kafka: …} or {rabbitmq: …}');
  });

  it('starts once: start() again, or at once twice, rejects WORKER_ALREADY_STARTED and starts no second transport', async () => {
    const { transport } = handTransport();
    const start = jest.spyOn(transport, 'start');
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    const twice = await Promise.allSettled([worker.start(), worker.start()]);
    expect(twice).toEqual([{ status: 'fulfilled', value: undefined }, { status: 'rejected', reason: expect.objectContaining({ code: 'WORKER_ALREADY_STARTED' }) }]);
    await expect(worker.start()).rejects.toThrow('WORKER_ALREADY_STARTED: start() was called already on this worker');
    expect(start).toHaveBeenCalledTimes(1);
    await worker.stop();
  });

  it('cannot be started again once stopped, even if stop() came before start()', async () => {
    for (const startFirst of [true, false]) {
      const { transport } = handTransport();
      const start = jest.spyOn(transport, 'start');
      const worker = createWorker({ service: 'shop', control, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
      if (startFirst) await worker.start();
      await worker.stop();
      await expect(worker.start()).rejects.toMatchObject({ code: 'WORKER_STOPPED', name: 'WorkerStateError' });
      await expect(worker.start()).rejects.toThrow('WORKER_STOPPED: a stopped worker cannot be started again: create a new one');
      expect(start).toHaveBeenCalledTimes(startFirst ? 1 : 0);
    }
  });

  it('on stop() during start(), lets the start end, then drains and closes its transport', async () => {
    let registered!: () => void;
    const slowRegistration = { ...control, register: () => new Promise<undefined>((resolve) => (registered = () => resolve(undefined))) };
    const { transport } = handTransport();
    const order: string[] = [];
    jest.spyOn(transport, 'start').mockImplementation(async () => void order.push('start'));
    jest.spyOn(transport, 'close').mockImplementation(async () => void order.push('close'));
    const worker = createWorker({ service: 'shop', control: slowRegistration, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    const started = worker.start();
    await settled();
    const stopped = worker.stop();
    await settled();
    registered();
    await Promise.all([started, stopped]);
    expect(order).toEqual(['start', 'close']);
  });

  it('may start again after a start that failed, which left nothing behind', async () => {
    let refusals = 1;
    const flaky = { ...control, register: async () => (refusals-- > 0 ? Promise.reject(new Error('register refused')) : undefined) };
    const { transport } = handTransport();
    const worker = createWorker({ service: 'shop', control: flaky, handleSignals: false, transport }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await expect(worker.start()).rejects.toThrow('register refused');
    await expect(worker.start()).resolves.toBeUndefined();
    await worker.stop();
  });

  it('refuses a baton.url that is not an absolute http(s) URL when it is created, not at start()', () => {
    for (const url of ['127.0.0.1:3411', '', 'ftp://x']) {
      expect(() => createWorker({ service: 'shop', baton: { url } })).toThrow(`baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not ${JSON.stringify(url)}`);
    }
  });

  it('fails start() naming Baton\'s URL and the cause when Baton is down', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const worker = createWorker({ service: 'shop', baton: { url }, handleSignals: false, logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } })
      .step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await expect(worker.start()).rejects.toThrow(new RegExp(`^cannot reach Baton at ${url} \\(GET /api/workers/shop/commands\\?wait=0&max=1\\): connect ECONNREFUSED`));
  });

  it('logs expired commands once per burst, and what it counted when it stops', async () => {
    const { transport, deliver } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await worker.start();
    const expired = [1, 2, 3].map((n) => delivery({ command: { ...command, flowId: `f${n}`, commandId: `c${n}`, idempotencyKey: `i${n}`, deadline: new Date(0).toISOString() } }));
    expired.forEach(deliver);
    await settled();
    await worker.stop();
    expect(logger.warn.mock.calls).toEqual([
      [expect.objectContaining({ flowId: 'f1' }), 'command expired before it was handled: dropped'],
      [{ dropped: 2, flowIds: ['f2', 'f3'] }, expect.stringMatching(/^2 more command\(s\) expired/)],
    ]);
  });

  it('says a reply failed because the worker had stopped, as a warning, when stop() gave up on its handler', async () => {
    let closed = false;
    const { transport, deliver } = handTransport({ close: async () => void (closed = true) });
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    let finish!: () => void;
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger, drainTimeoutMs: 20 })
      .step('order', 'charge', { objectType: 'Order', do: () => new Promise((resolve) => (finish = () => resolve(1))) });
    await worker.start();
    const late = delivery({ settle: jest.fn(async () => (closed ? Promise.reject(new Error('This operation was aborted')) : undefined)) });
    deliver(late);
    await settled();
    await worker.stop();
    finish();
    await until(() => late.settle.mock.calls.length === 1);
    await settled();
    expect(logger.error).not.toHaveBeenCalled();
    expect(logger.warn).toHaveBeenLastCalledWith(expect.objectContaining({ flowId: 'f1' }),
      'the worker stopped before the reply was confirmed, the command will come again: This operation was aborted');
  });

  it('logs a give-back that failed, frees its slot and runs the next copy', async () => {
    const { transport, deliver, inUse } = handTransport();
    const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
    const worker = createWorker({ service: 'shop', control, handleSignals: false, transport, logger }).step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await worker.start();
    const failing = delivery({ settle: jest.fn(async () => Promise.reject(new Error('broker gone'))), abandon: async () => Promise.reject(new Error('channel closed')) });
    const next = delivery();
    deliver(failing);
    deliver(next);
    await until(() => next.settle.mock.calls.length === 1);
    await until(() => inUse() === 0);
    expect(logger.error).toHaveBeenCalledWith(expect.objectContaining({ flowId: 'f1' }), 'giving the command back failed: channel closed');
    await worker.stop();
  });
});

/** A Baton HTTP API that leases `command` once, then long-polls empty; `answer` gets every other request's body. */
function leasingOnce(answer: (body: unknown) => unknown): BatonClient {
  let leased = false;
  const request = async (method: string, _path: string, body?: unknown, options?: RequestOptions) => {
    if (method !== 'GET') return answer(body);
    if (!leased) {
      leased = true;
      return [{ leaseId: 'l1', leaseExpiresAt: '', command }];
    }
    await sleep(20, undefined, { signal: options?.signal });
    return [];
  };
  return { service: 'shop', request, answer: async (...args: Parameters<typeof request>) => ({ body: await request(...args) }) } as unknown as BatonClient;
}

async function until(condition: () => boolean): Promise<void> {
  for (const end = Date.now() + 5_000; !condition() && Date.now() < end;) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(condition()).toBe(true);
}
