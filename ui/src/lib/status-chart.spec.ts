import { describe, expect, it } from 'vitest';
import type { RunStats } from '../api/types';
import { layoutStatusChart, throughputPerMinute } from './status-chart';

const stats: RunStats = {
  from: '', to: '', bucketSeconds: 60, totals: {},
  buckets: [
    { start: 'a', created: { RUNNING: 1, COMPLETED: 3 }, finished: 2 },
    { start: 'b', created: {}, finished: 0 },
    { start: 'c', created: { FAILED: 2 }, finished: 4 },
  ],
};

describe('layoutStatusChart', () => {
  it('stacks statuses in a fixed order, scaled to the tallest column', () => {
    const { columns, max, statuses } = layoutStatusChart(stats, 300, 100);
    expect(max).toBe(4);
    expect(statuses).toEqual(['COMPLETED', 'FAILED', 'RUNNING']);
    const [first, empty, third] = columns;
    expect(first.segments.map((s) => [s.status, s.height])).toEqual([['COMPLETED', 75], ['RUNNING', 25]]);
    expect(first.segments[1].y).toBe(0);
    expect(empty.segments).toEqual([]);
    expect(third.finishedY).toBe(0);
    expect(third.x).toBeCloseTo(210);
  });
});

describe('throughputPerMinute', () => {
  it('divides finished runs by the window', () => {
    expect(throughputPerMinute(stats)).toBe(2);
  });
});
