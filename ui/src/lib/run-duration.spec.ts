import { afterEach, describe, expect, it, vi } from 'vitest';
import { runDuration } from './run-duration';
import { serverClock } from './server-clock';

const CREATED = '2026-12-01T10:00:00.000Z';
const NOW = Date.parse('2026-12-01T10:00:10.200Z');

describe('runDuration', () => {
  it('is how long a finished run took, whenever it is read', () => {
    expect(runDuration({ createdAt: CREATED, finishedAt: '2026-12-01T10:00:01.300Z' }, NOW)).toEqual({ text: '1.3 s', open: false });
  });

  it("is the time so far for a run not finished, said so and why on hover: not read as a finished run's", () => {
    expect(runDuration({ createdAt: CREATED, finishedAt: null }, NOW))
      .toEqual({ text: '10.2 s so far', open: true, title: 'Not finished yet: the time since the run was created' });
    expect(runDuration({ createdAt: CREATED, finishedAt: null }, NOW + 3_600_000).text).toBe('1 h 0 min so far');
  });

  it('says no time so far when now is before the run\'s creation', () => {
    expect(runDuration({ createdAt: CREATED, finishedAt: null }, Date.parse(CREATED) - 5_000)).toMatchObject({ text: '–', open: true });
  });

  describe("by default, by Baton's clock", () => {
    afterEach(() => vi.restoreAllMocks());

    it("counts the time so far from Baton's now, not from a browser clock 5 min behind", () => {
      vi.useFakeTimers({ now: NOW - 5 * 60_000 });
      try {
        vi.spyOn(serverClock, 'offset').mockReturnValue(5 * 60_000);
        expect(runDuration({ createdAt: CREATED, finishedAt: null }).text).toBe('10.2 s so far');
      } finally {
        vi.useRealTimers();
      }
    });
  });
});
