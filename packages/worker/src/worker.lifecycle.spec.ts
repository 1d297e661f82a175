import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import { HttpTransport } from './transports/http-transport';
import { createWorker } from './worker';
import { control, delivery, handTransport, leasingOnce, settled, until } from './worker.fixtures';

describe('a worker\'s start and stop', () => {
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

  it('fails start() naming Baton\'s URL and the cause when Baton is down', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    await new Promise((resolve) => server.close(resolve));
    const worker = createWorker({ service: 'shop', baton: { url }, handleSignals: false, logger: { info: jest.fn(), warn: jest.fn(), error: jest.fn() } })
      .step('order', 'charge', { objectType: 'Order', do: () => 1 });
    await expect(worker.start()).rejects.toThrow(new RegExp(`^cannot reach Baton at ${url} \\(GET /api/workers/shop/commands\\?wait=0&max=1\\): connect ECONNREFUSED`));
  });
});
