import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { accessToken, ApiError, apiErrorOf, NetworkError, onUnauthorized, request, REQUEST_TIMEOUT_MS, setTokenRenewer } from './client';

/** The tab's sessionStorage, and the API: it answers every call with 200 and records the bearer it got. */
function stubBrowser(): string[] {
  const stored = new Map<string, string>();
  vi.stubGlobal('sessionStorage', {
    getItem: (k: string) => stored.get(k) ?? null, setItem: (k: string, v: string) => stored.set(k, v), removeItem: (k: string) => stored.delete(k),
  });
  const sent: string[] = [];
  vi.stubGlobal('fetch', async (_path: string, init: RequestInit) => {
    sent.push(new Headers(init.headers).get('Authorization') ?? '');
    return new Response('{}', { status: 200 });
  });
  return sent;
}

describe('request with an OIDC access token', () => {
  let sent: string[];
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
    sent = stubBrowser();
  });
  afterEach(() => {
    setTokenRenewer(null);
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('sends the token as it is while it is fresh, without renewing', async () => {
    const renew = vi.fn(async () => true);
    setTokenRenewer(renew);
    accessToken.set('first', 300);
    await request('/api/x');
    expect(renew).not.toHaveBeenCalled();
    expect(sent).toEqual(['Bearer first']);
  });

  it('renews the token before it expires, once for the calls waiting on it, and sends the new one', async () => {
    const renew = vi.fn(async () => {
      accessToken.set('second', 300);
      return true;
    });
    setTokenRenewer(renew);
    accessToken.set('first', 300);
    vi.advanceTimersByTime(250_000); // past four fifths of its life, 50 s before it expires
    await Promise.all([request('/api/a'), request('/api/b')]);
    expect(renew).toHaveBeenCalledTimes(1);
    expect(sent).toEqual(['Bearer second', 'Bearer second']);
  });

  it('keeps sending the token until it expires when it cannot be renewed, then asks to sign in again and sends nothing', async () => {
    const reasons: string[] = [];
    const stop = onUnauthorized((r) => reasons.push(r));
    setTokenRenewer(async () => false); // no refresh token, or the provider refused it
    accessToken.set('first', 300);
    vi.advanceTimersByTime(250_000);
    await request('/api/a');
    expect(sent).toEqual(['Bearer first']);
    vi.advanceTimersByTime(50_000);
    await expect(request('/api/b')).rejects.toEqual(new ApiError(401, 'SESSION_EXPIRED', 'Your session expired. Sign in again.'));
    expect(sent).toEqual(['Bearer first']);
    expect(reasons).toEqual(['expired']);
    expect(accessToken.get()).toBeNull();
    stop();
  });
});

describe('apiErrorOf', () => {
  const answer = (status: number, headers: Record<string, string> = {}) => new Response(null, { status, headers });

  it('keeps the problems and the correlation id of Baton\'s error body', () => {
    const e = apiErrorOf(answer(400), {
      code: 'INVALID_REQUEST', message: 'The request is invalid', correlationId: 'c-1',
      problems: [{ path: 'stepName', message: 'must match' }, { message: 'no path' }, 'not a problem'],
    });
    expect([e.status, e.code, e.message, e.correlationId]).toEqual([400, 'INVALID_REQUEST', 'The request is invalid', 'c-1']);
    expect(e.problems).toEqual([{ path: 'stepName', message: 'must match' }, { path: '', message: 'no path' }]);
  });

  it('falls back to the status and the X-Correlation-ID header when the body is not Baton\'s', () => {
    const e = apiErrorOf(answer(502, { 'X-Correlation-ID': 'c-2' }), '<html>bad gateway</html>');
    expect([e.code, e.message, e.problems, e.correlationId]).toEqual(['HTTP_502', 'HTTP 502', [], 'c-2']);
  });
});

describe('request', () => {
  afterEach(() => vi.unstubAllGlobals());

  it('sends no credential to a public route asked with credential: false, so a mistyped key is not checked twice', async () => {
    const sent = stubBrowser();
    const { apiKey } = await import('./client');
    const { loadConsoleConfig } = await import('../auth/console-config');
    apiKey.set('typo');
    await loadConsoleConfig();
    await request('/api/auth/me');
    expect(sent).toEqual(['', 'Bearer typo']);
  });

  it('tells the login form what Baton said when it refuses the credential', async () => {
    stubBrowser();
    vi.stubGlobal('fetch', async () => new Response('{"code":"UNAUTHENTICATED","message":"Authentication required: API key bk_ab12 is revoked"}', { status: 401 }));
    const heard: [string, string | undefined][] = [];
    const stop = onUnauthorized((reason, error) => heard.push([reason, error?.message]));
    const { apiKey } = await import('./client');
    apiKey.set('bk_ab12.secret');
    await expect(request('/api/auth/me')).rejects.toBeInstanceOf(ApiError);
    expect(heard).toEqual([['refused', 'Authentication required: API key bk_ab12 is revoked']]);
    stop();
  });

  it('reads how long a lockout lasts from Retry-After', async () => {
    stubBrowser();
    vi.stubGlobal('fetch', async () => new Response('{"code":"TOO_MANY_AUTH_FAILURES","message":"Too many"}', { status: 429, headers: { 'Retry-After': '42' } }));
    const e = await request('/api/auth/me').catch((err: unknown) => err);
    expect(e).toMatchObject({ status: 429, code: 'TOO_MANY_AUTH_FAILURES', retryAfterSeconds: 42 });
  });

  it('fails with a NetworkError, not the browser\'s "Failed to fetch", when Baton cannot be reached', async () => {
    stubBrowser();
    vi.stubGlobal('fetch', async () => { throw new TypeError('Failed to fetch'); });
    await expect(request('/api/x')).rejects.toBeInstanceOf(NetworkError);
  });
});

describe('request to a Baton that hangs or sits behind a failing gateway', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    stubBrowser();
  });
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it('gives up after REQUEST_TIMEOUT_MS as unreachable: an action then says its outcome is unknown', async () => {
    vi.stubGlobal('fetch', (_path: string, init: RequestInit) => new Promise((_, reject) => {
      init.signal!.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError')));
    }));
    const call = request('/api/x').catch((e: unknown) => e);
    await vi.advanceTimersByTimeAsync(REQUEST_TIMEOUT_MS - 1);
    let settled = false;
    void call.then(() => { settled = true; });
    await Promise.resolve();
    expect(settled).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    const error = await call;
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as Error).message).toBe('Baton did not answer within 15 s');
  });

  it("takes a 502, 503 or 504 without Baton's JSON error for the way to Baton failing, not Baton's refusal", async () => {
    for (const status of [502, 503, 504]) {
      vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status }));
      await expect(request('/api/x')).rejects.toBeInstanceOf(NetworkError);
    }
    vi.stubGlobal('fetch', async () => new Response(JSON.stringify({ code: 'DEPENDENCY_DOWN', message: 'database down' }), { status: 503 }));
    await expect(request('/api/x')).rejects.toMatchObject({ status: 503, code: 'DEPENDENCY_DOWN' });
    vi.stubGlobal('fetch', async () => new Response('', { status: 500 }));
    await expect(request('/api/x')).rejects.toBeInstanceOf(ApiError);
  });
});

describe("request and Baton's clock", () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.unstubAllGlobals();
  });

  it("learns Baton's clock from its answers' Date header, failed ones too, but not from a gateway's", async () => {
    const local = Date.UTC(2026, 11, 1, 12);
    vi.useFakeTimers({ now: local });
    stubBrowser();
    const { serverClock, serverNow } = await import('../lib/server-clock');
    const dated = (skew: number, status = 200, body = '{}') => async () => new Response(body, { status, headers: { Date: new Date(Date.now() + skew).toUTCString() } });
    // A gateway an hour off, however often it answers, is not Baton.
    vi.stubGlobal('fetch', dated(3_600_000, 502, '<html>Bad gateway</html>'));
    for (let i = 0; i < 5; i++) await expect(request('/api/orchestration/runs')).rejects.toBeInstanceOf(NetworkError);
    expect(serverClock.offset()).toBe(0);
    vi.stubGlobal('fetch', dated(5 * 60_000, 404, '{"code":"NOT_FOUND","message":"no"}'));
    for (let i = 0; i < 3; i++) await expect(request('/api/orchestration/runs/x')).rejects.toBeInstanceOf(ApiError);
    expect(Math.abs(serverNow() - (Date.now() + 5 * 60_000))).toBeLessThanOrEqual(1000);
  });
});
