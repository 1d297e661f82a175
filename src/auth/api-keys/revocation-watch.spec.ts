import { Logger } from '@nestjs/common';
import type { ApiKeyRepository } from './api-key.repository';
import type { ApiKeyService } from './api-key.service';
import { REVOCATION_POLL_MS, RevocationWatch } from './revocation-watch';

describe('RevocationWatch', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => {
    jest.useRealTimers();
    jest.restoreAllMocks();
  });

  /** A key table that answers `revoked`, or fails while `down`; the service records what it was told to forget. */
  const setUp = () => {
    const state = { down: false, revoked: [] as string[], since: [] as Date[] };
    const keys = {
      revokedAfter: async (since: Date) => {
        state.since.push(since);
        if (state.down) throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });
        return state.revoked;
      },
    } as unknown as ApiKeyRepository;
    const forgotten: string[][] = [];
    const apiKeys = { forgetRevoked: (ids: string[]) => forgotten.push(ids) } as unknown as ApiKeyService;
    return { state, forgotten, watch: new RevocationWatch(keys, apiKeys) };
  };

  it('tells the service every second which keys were revoked, looking back further than a verified key is remembered', async () => {
    const { state, forgotten, watch } = setUp();
    watch.onApplicationBootstrap();
    state.revoked = ['k1'];
    await jest.advanceTimersByTimeAsync(REVOCATION_POLL_MS);
    expect(forgotten).toEqual([['k1']]);
    expect(Date.now() - state.since[0].getTime()).toBeGreaterThan(60_000);
    state.revoked = ['k1', 'k2'];
    await jest.advanceTimersByTimeAsync(REVOCATION_POLL_MS);
    expect(forgotten).toEqual([['k1'], ['k1', 'k2']]);
    await watch.onModuleDestroy();
    await jest.advanceTimersByTimeAsync(5 * REVOCATION_POLL_MS);
    expect(forgotten).toHaveLength(2);
  });

  it('warns once per outage, says when looking works again, and catches up on what was revoked meanwhile', async () => {
    const warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
    const log = jest.spyOn(Logger.prototype, 'log').mockImplementation(() => undefined);
    const { state, forgotten, watch } = setUp();
    watch.onApplicationBootstrap();
    state.down = true;
    await jest.advanceTimersByTimeAsync(5 * REVOCATION_POLL_MS);
    expect(warn.mock.calls).toEqual([['Looking for revoked API keys failed: connect ECONNREFUSED 127.0.0.1:5432; retrying until the dependency is back']]);
    state.down = false;
    state.revoked = ['k3'];
    await jest.advanceTimersByTimeAsync(REVOCATION_POLL_MS);
    expect(forgotten).toEqual([['k3']]);
    expect(log.mock.calls).toEqual([['Looking for revoked API keys works again after 5.0 s (5 tries failed)']]);
    await watch.onModuleDestroy();
  });

  it('never starts a look while the one before is still out', async () => {
    const { watch } = setUp();
    let calls = 0;
    let release!: () => void;
    (watch as unknown as { keys: { revokedAfter: () => Promise<string[]> } }).keys.revokedAfter = () => {
      calls++;
      return new Promise((resolve) => (release = () => resolve([])));
    };
    watch.onApplicationBootstrap();
    await jest.advanceTimersByTimeAsync(5 * REVOCATION_POLL_MS);
    expect(calls).toBe(1);
    release();
    await jest.advanceTimersByTimeAsync(REVOCATION_POLL_MS);
    expect(calls).toBe(2);
    release();
    await watch.onModuleDestroy();
  });
});
