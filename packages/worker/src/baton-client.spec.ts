import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { BatonClient, BatonHttpError, HeldBackError } from './baton-client';

/** A Baton on a local port: `handle` answers each request, by its number from 1. */
async function fakeBaton(handle: (n: number, req: IncomingMessage, res: ServerResponse) => void) {
  let n = 0;
  const server: Server = createServer((req, res) => handle(++n, req, res));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    client: (timeoutMs?: number) => new BatonClient({ url, timeoutMs }, 'shop'),
    requests: () => n,
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

const refuse = (res: ServerResponse, status: number, retryAfter?: string) => {
  res.writeHead(status, { 'content-type': 'application/json', ...(retryAfter && { 'retry-after': retryAfter }) });
  res.end(`{"status":${status}}`);
};

const busy = (res: ServerResponse, retryAfter?: string) => {
  res.writeHead(503, { 'content-type': 'application/json', ...(retryAfter && { 'retry-after': retryAfter }) });
  res.end('{"code":"SERVICE_UNAVAILABLE"}');
};

describe('BatonClient', () => {
  it('follows no redirect, so its key goes nowhere else: the redirect is an error naming where it points', async () => {
    const elsewhere = await fakeBaton((_n, _req, res) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}'));
    const target = `${elsewhere.url}/steal`;
    const baton = await fakeBaton((_n, _req, res) => res.writeHead(302, { location: target }).end());
    try {
      const keyed = new BatonClient({ url: baton.url, apiKey: `bk_test_${'s'.repeat(43)}` }, 'shop');
      const error = await keyed.request('POST', '/r', {}, { retryForMs: 0 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatonHttpError);
      expect((error as BatonHttpError).message).toContain(`answered 302: a redirect to ${target}, not followed`);
      expect(elsewhere.requests()).toBe(0);
    } finally {
      await baton.close();
      await elsewhere.close();
    }
  });

  it('sends a request\'s correlation id as X-Correlation-ID, and none when it has none', async () => {
    const seen: Array<string | undefined> = [];
    const baton = await fakeBaton((_n, req, res) => {
      seen.push(req.headers['x-correlation-id'] as string | undefined);
      res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    });
    try {
      await baton.client().request('POST', '/r', {}, { correlationId: 'order-42' });
      await baton.client().request('POST', '/r', {});
      expect(seen).toEqual(['order-42', undefined]);
    } finally {
      await baton.close();
    }
  });

  it('abandons an attempt Baton does not answer within the connection\'s timeoutMs (fetch alone waits 300 s)', async () => {
    const baton = await fakeBaton(() => undefined);
    try {
      const started = Date.now();
      await expect(baton.client(150).request('POST', '/r', {}, { retryForMs: 0 })).rejects.toThrow('POST /r: no answer within 150 ms');
      // Far from fetch's 300 s, with room for a loaded machine (1,036 ms once under a load average of 8).
      expect(Date.now() - started).toBeLessThan(10_000);
    } finally {
      await baton.close();
    }
  });

  it('reads no more than a few KiB of an error and caps a successful answer, however much a server sends', async () => {
    const endless = (status: number) => (_n: number, _req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.write('x'.repeat(64 * 1024)); // and never ends
    };
    for (const [status, expected] of [[400, BatonHttpError], [200, /the answer is over 1024 bytes, not read/]] as const) {
      const baton = await fakeBaton(endless(status));
      try {
        await expect(baton.client(5_000).request('GET', '/big', undefined, { maxBodyBytes: 1024 })).rejects.toThrow(expected);
      } finally {
        await baton.close();
      }
    }
  });

  it('retries a 503 as its Retry-After asks, for as long as retryForMs allows (a reply through a database blip)', async () => {
    const started = Date.now();
    const baton = await fakeBaton((_n, _req, res) => (Date.now() - started < 1_800 ? busy(res, '1') : res.end('{"outcome":"applied"}')));
    try {
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 10_000 })).resolves.toEqual({ outcome: 'applied' });
      expect(baton.requests()).toBe(3); // a second apart, as asked
    } finally {
      await baton.close();
    }
  });

  it('starts no attempt after retryForMs', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res));
    try {
      const started = Date.now();
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 600 })).rejects.toThrow('answered 503');
      expect(Date.now() - started).toBeLessThan(1_000);
      expect(baton.requests()).toBeGreaterThan(1);
    } finally {
      await baton.close();
    }
  });

  it('retries sooner than a Retry-After the window cannot wait out (a registration\'s second of retries, a 503\'s 5 s), and no longer than the window', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res, '5'));
    try {
      const started = Date.now();
      await expect(baton.client().request('POST', '/register', {}, { retryForMs: 1_000 })).rejects.toThrow('answered 503');
      expect(baton.requests()).toBeGreaterThanOrEqual(2);
      expect(Date.now() - started).toBeLessThan(4_000);
    } finally {
      await baton.close();
    }
  });

  it('never retries a 429 sooner than its Retry-After: one the window cannot wait out fails at once', async () => {
    const baton = await fakeBaton((_n, _req, res) => refuse(res, 429, '5'));
    try {
      const started = Date.now();
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 1_000 })).rejects.toThrow('answered 429');
      expect(baton.requests()).toBe(1);
      expect(Date.now() - started).toBeLessThan(500);
    } finally {
      await baton.close();
    }
  });

  it('retries a 429 once its Retry-After has passed, when the window allows', async () => {
    const started = Date.now();
    const baton = await fakeBaton((n, _req, res) => (n === 1 ? refuse(res, 429, '1') : res.end('{"outcome":"applied"}')));
    try {
      await expect(baton.client().request('POST', '/reply', {}, { retryForMs: 10_000 })).resolves.toEqual({ outcome: 'applied' });
      expect(baton.requests()).toBe(2);
      expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
    } finally {
      await baton.close();
    }
  });

  it.each([['GET', '/commands', 'TOO_MANY_POLLS'], ['POST', '/presence', 'TOO_MANY_WORKER_INSTANCES']])(
    "holds back nothing after a %s %s answered 429 %s: a reply or heartbeat still goes at once, and keeps its lease", async (method, path, code) => {
      const baton = await fakeBaton((n, _req, res) => {
        if (n > 1) return void res.end('{"outcome":"applied"}');
        res.writeHead(429, { 'content-type': 'application/json', 'retry-after': '1' });
        res.end(JSON.stringify({ code, message: 'over the limit' }));
      });
      try {
        const client = baton.client();
        await expect(client.request(method as 'GET' | 'POST', path, method === 'POST' ? {} : undefined, { retryForMs: 0 })).rejects.toThrow('answered 429');
        const started = Date.now();
        await expect(client.request('POST', '/heartbeat', {}, { retryForMs: 0 })).resolves.toEqual({ outcome: 'applied' });
        expect(Date.now() - started).toBeLessThan(900);
      } finally {
        await baton.close();
      }
    });

  it('holds back its other requests for a while after a 401 or a 429, so that a worker with many in flight does not send a burst of refused ones', async () => {
    for (const status of [401, 429]) {
      const baton = await fakeBaton((n, _req, res) => (n === 1 ? refuse(res, status) : res.end('{"outcome":"applied"}')));
      try {
        const client = baton.client();
        await expect(client.request('POST', '/reply', {}, { retryForMs: 0 })).rejects.toThrow(`answered ${status}`);
        const held = await client.request('POST', '/heartbeat', {}, { retryForMs: 0 }).catch((e: unknown) => e);
        // As the refusal itself to its caller (a poll, a beat: their refusal backoff applies), and how long the hold lasts.
        expect(held).toBeInstanceOf(HeldBackError);
        expect(held).toMatchObject({ status, code: 'HELD_BACK' });
        expect((held as Error).message).toMatch(new RegExp(`^POST /heartbeat not sent: Baton refused a request of this worker with ${status} \\d+ ms ago`));
        expect((held as HeldBackError).retryAfterMs).toBeGreaterThan(500);
        expect(baton.requests()).toBe(1);
        // A request whose window outlasts the hold waits it out, then goes.
        const started = Date.now();
        await expect(client.request('POST', '/reply', {}, { retryForMs: 5_000 })).resolves.toEqual({ outcome: 'applied' });
        expect(Date.now() - started).toBeGreaterThan(500);
        expect(baton.requests()).toBe(2);
      } finally {
        await baton.close();
      }
    }
  });

  it('carries the code of Baton\'s refusal as its own, as BATON_UNREACHABLE does', async () => {
    const baton = await fakeBaton((_n, _req, res) => {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end('{"code":"WORKER_NOT_ALLOWED","message":"Template order does not let shop work these steps","problems":[]}');
    });
    try {
      const error = await baton.client().request('POST', '/api/orchestration/register', {}).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BatonHttpError);
      expect(error).toMatchObject({ status: 403, code: 'WORKER_NOT_ALLOWED' });
      expect((error as Error).message).toContain('Template order does not let shop work these steps');
    } finally {
      await baton.close();
    }
  });

  it('has no code when the refusal is not Baton\'s error body (a proxy\'s page)', () => {
    expect(new BatonHttpError(502, '<html>Bad gateway</html>', 'GET /x').code).toBeUndefined();
    expect(new BatonHttpError(400, '{"code":42}', 'GET /x').code).toBeUndefined();
  });

  it('says in a held-back request\'s error what Baton refused the first one with (a revoked key)', async () => {
    const baton = await fakeBaton((_n, _req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end('{"code":"UNAUTHENTICATED","message":"Authentication required: API key k1 is revoked"}');
    });
    try {
      const client = baton.client();
      await expect(client.request('POST', '/api/workers/shop/presence', {}, { retryForMs: 0 })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      const held = await client.request('POST', '/api/orchestration/register', {}, { retryForMs: 0 }).catch((e: unknown) => e);
      expect(held).toMatchObject({ status: 401, code: 'HELD_BACK' });
      expect((held as Error).message).toMatch(new RegExp('^POST /api/orchestration/register not sent: Baton refused a request of this worker with 401 '
        + '\\d+ ms ago \\(UNAUTHENTICATED: Authentication required: API key k1 is revoked\\), so none is sent for another \\d+ ms$'));
      expect(baton.requests()).toBe(1);
    } finally {
      await baton.close();
    }
  });

  it('names Baton\'s URL and the cause when it cannot reach it (fetch says only "fetch failed")', async () => {
    const baton = await fakeBaton(() => undefined);
    const client = baton.client();
    await baton.close();
    const url = (client as unknown as { base: string }).base;
    const port = new URL(url).port;
    const error = await client.request('GET', '/api/x', undefined, { retryForMs: 0 }).catch((e: Error) => e);
    expect([(error as { code?: string }).code, (error as Error).message])
      .toEqual(['BATON_UNREACHABLE', `cannot reach Baton at ${url} (GET /api/x): connect ECONNREFUSED 127.0.0.1:${port}`]);
  });

  it('takes only an absolute http or https URL for Baton', () => {
    for (const url of ['http://127.0.0.1:3000', 'https://baton.example/', 'http://proxy/baton']) expect(() => new BatonClient({ url }, 'shop')).not.toThrow();
    for (const url of ['127.0.0.1:3411', '', 'ftp://x', 'localhost:3000', '/api', 'http://x/?a=1', 'http://x/#top']) {
      expect(() => new BatonClient({ url }, 'shop')).toThrow(`baton.url must be an absolute http:// or https:// URL without a query, such as http://127.0.0.1:3000, not ${JSON.stringify(url)}`);
    }
  });

  it('refuses a URL with a user name or password, naming the option and never the secret', () => {
    for (const url of ['http://user:secret@baton:3000', 'https://secret@baton:3000/', 'http://:secret@baton:3000']) {
      const error = (() => { try { return void new BatonClient({ url }, 'shop'); } catch (e) { return e as Error; } })();
      expect(error?.message).toMatch(/^baton\.url must not hold a user name or password \(give Baton's API key as baton\.apiKey\): use https?:\/\/baton:3000\/ without them$/);
      expect(error?.message).not.toContain('secret');
    }
    // Nor from a URL that does not parse as one.
    expect(() => new BatonClient({ url: 'user:secret@baton:3000' }, 'shop')).toThrow('not "…@baton:3000"');
  });

  it('stops retrying when its signal aborts (the worker stopped)', async () => {
    const baton = await fakeBaton((_n, _req, res) => busy(res));
    try {
      const stop = new AbortController();
      setTimeout(() => stop.abort(), 300);
      const started = Date.now();
      await expect(baton.client().request('POST', '/reply', {}, { signal: stop.signal, retryForMs: 60_000 })).rejects.toThrow('answered 503');
      expect(Date.now() - started).toBeLessThan(1_000);
    } finally {
      await baton.close();
    }
  });

  it('gives Baton\'s clock with an answer (its Date header)', async () => {
    const baton = await fakeBaton((_n, _req, res) => {
      res.setHeader('date', 'Wed, 02 Dec 2026 07:47:00 GMT');
      res.end('[]');
    });
    try {
      expect(await baton.client().answer('GET', '/commands')).toEqual({ body: [], date: Date.parse('2026-12-02T07:47:00Z') });
    } finally {
      await baton.close();
    }
  });
});
