import { fillBuckets, totalsOf } from './run-stats-buckets';

describe('fillBuckets', () => {
  const from = new Date('2026-12-01T12:00:00Z');

  it('returns every bucket of the window, empty ones included, with their start times', () => {
    const b = fillBuckets(from, 60, 3, [], []);
    expect(b.map((x) => x.start.toISOString())).toEqual(['2026-12-01T12:00:00.000Z', '2026-12-01T12:01:00.000Z', '2026-12-01T12:02:00.000Z']);
    expect(b.every((x) => x.finished === 0 && Object.keys(x.created).length === 0)).toBe(true);
  });

  it('places created counts by status and finished counts, dropping rows outside the window', () => {
    const b = fillBuckets(from, 60, 3,
      [{ bucket: 0, status: 'COMPLETED', count: 2 }, { bucket: 0, status: 'FAILED', count: 1 }, { bucket: 2, status: 'RUNNING', count: 4 }, { bucket: 3, status: 'RUNNING', count: 9 }, { bucket: -1, status: 'RUNNING', count: 9 }],
      [{ bucket: 1, count: 5 }, { bucket: 7, count: 1 }]);
    expect(b[0].created).toEqual({ COMPLETED: 2, FAILED: 1 });
    expect(b[2].created).toEqual({ RUNNING: 4 });
    expect(b.map((x) => x.finished)).toEqual([0, 5, 0]);
    expect(totalsOf(b)).toEqual({ COMPLETED: 2, FAILED: 1, RUNNING: 4 });
  });
});
