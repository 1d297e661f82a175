import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { indicatorUp, loadHealth } from './overview';

const answer = (status: number, body: unknown) => vi.stubGlobal('fetch', async () => new Response(JSON.stringify(body), { status }));

describe('loadHealth', () => {
  beforeEach(() => vi.stubGlobal('sessionStorage', { getItem: () => null }));
  afterEach(() => vi.unstubAllGlobals());

  it('keeps the status alone when Baton details nothing (a caller without a role): no dependency is said to be down', async () => {
    answer(200, { status: 'ok' });
    const health = await loadHealth();
    expect(health).toEqual({ status: 'ok' });
    expect(indicatorUp(health.details?.database)).toBeUndefined();
  });

  it('reads which dependency is down from the 503 itself, without asking again', async () => {
    answer(503, { code: 'SERVICE_UNAVAILABLE', message: 'A dependency is down', status: 'error', details: { database: { status: 'down' }, healer: { status: 'up' } } });
    const health = await loadHealth();
    expect(health.status).toBe('error');
    expect([indicatorUp(health.details?.database), indicatorUp(health.details?.healer), indicatorUp(health.details?.messaging)]).toEqual([false, true, undefined]);
  });

  it('says a dependency is down, without naming one, when the 503 tells no more', async () => {
    answer(503, { code: 'SERVICE_UNAVAILABLE', message: 'Baton is stopping' });
    expect(await loadHealth()).toEqual({ status: 'error', details: undefined, message: 'Baton is stopping' });
  });
});
