import { describe, expect, it } from 'vitest';
import { MAX_GAPS, timeScale } from './timeline-scale';

const MIN = 60_000;

describe('timeScale', () => {
  it('draws a run without a long wait to scale', () => {
    const scale = timeScale([[0, 100], [150, 300]], 0, 300, 1000);
    expect(scale.gaps).toEqual([]);
    expect(scale.at(150)).toBeCloseTo(50);
    expect(scale.at(300)).toBeCloseTo(100);
  });

  it('cuts a 10-minute wait between milliseconds of work down to a break, and keeps one scale either side of it', () => {
    const scale = timeScale([[0, 6], [9, 14], [10 * MIN + 14, 10 * MIN + 30]], 0, 10 * MIN + 30, 1000);
    expect(scale.gaps).toHaveLength(1);
    const [gap] = scale.gaps;
    expect([gap.from, gap.to]).toEqual([14, 10 * MIN + 14]);
    expect(gap.width).toBeCloseTo(8.4);
    expect(scale.at(14)).toBeCloseTo(gap.left);
    expect(scale.at(10 * MIN + 14)).toBeCloseTo(gap.left + gap.width);
    expect(scale.at(10 * MIN + 30)).toBeCloseTo(100);
    // 6 ms before the break and 6 ms after it take the same width.
    expect(scale.at(6) - scale.at(0)).toBeCloseTo(scale.at(10 * MIN + 20) - scale.at(10 * MIN + 14));
  });

  it('leaves a wait to scale when it is under a second, or shorter than the work around it', () => {
    expect(timeScale([[0, 100], [900, 1000]], 0, 1000, 1000).gaps).toEqual([]);
    expect(timeScale([[0, 5000], [11_000, 15_000]], 0, 15_000, 1000).gaps).toEqual([]);
  });

  it('counts overlapping attempts once: work running side by side leaves no wait between them', () => {
    const scale = timeScale([[0, 10 * MIN], [5, 20], [10 * MIN + 2000, 10 * MIN + 2010]], 0, 10 * MIN + 2010, 1000);
    expect(scale.gaps).toEqual([]);
  });

  it('gives many breaks on a narrow track no more than a share of it together', () => {
    const spans = Array.from({ length: 10 }, (_, i): [number, number] => [i * MIN, i * MIN + 10]);
    const scale = timeScale(spans, 0, 9 * MIN + 10, 200);
    expect(scale.gaps).toHaveLength(9);
    expect(scale.gaps.reduce((sum, g) => sum + g.width, 0)).toBeCloseTo(30);
    expect(scale.at(9 * MIN + 10)).toBeCloseTo(100);
  });
});

describe('timeScale with thousands of waits', () => {
  it('cuts only the longest MAX_GAPS of them, in time order, and draws the rest to scale', () => {
    // 1 ms of work, then a wait of 30 s (a minute for every tenth), 500 times.
    const spans: [number, number][] = [];
    let t = 0;
    for (let i = 0; i < 500; i++) {
      spans.push([t, t + 1]);
      t += 1 + (i % 10 === 0 ? 60_000 : 30_000);
    }
    const scale = timeScale(spans, 0, t, 1000);
    expect(scale.gaps).toHaveLength(MAX_GAPS);
    expect(scale.gaps.every((g) => g.to - g.from === 60_000)).toBe(true);
    expect(scale.gaps.map((g) => g.from)).toEqual([...scale.gaps.map((g) => g.from)].sort((a, b) => a - b));
    expect(scale.at(t)).toBeCloseTo(100);
  });
});
