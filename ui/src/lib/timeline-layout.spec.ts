import { describe, expect, it } from 'vitest';
import type { StepAttempt } from '../api/types';
import { layoutTimeline } from './timeline-layout';

/** A laptop's track, in pixels. */
const WIDTH = 1000;

const t = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
function attempt(stepName: string, seq: number, action: 'DO' | 'UNDO', from: number, to: number | null, more: Partial<StepAttempt> = {}): StepAttempt {
  return {
    stepName, seq, action, attempt: 1, commandId: `${stepName}-${action}-${from}`, budgetStart: 1, status: to === null ? 'DISPATCHED' : 'SUCCEEDED',
    handlerType: 'worker', target: null, output: null, error: null, dispatchedAt: t(from), deadlineAt: t(from + 30),
    completedAt: to === null ? null : t(to), lastHeartbeatAt: null, ...more,
  };
}

describe('layoutTimeline', () => {
  it('puts DO lanes in step order and the compensation below them in the order it ran', () => {
    const steps = [
      attempt('charge', 2, 'DO', 2, 4), attempt('reserve', 1, 'DO', 0, 2), attempt('ship', 3, 'DO', 4, 5, { status: 'FAILED' }),
      attempt('charge', 2, 'UNDO', 5, 6), attempt('reserve', 1, 'UNDO', 6, 8),
    ];
    const layout = layoutTimeline(steps, [], Date.parse(t(100)), WIDTH);
    expect(layout.lanes.map((l) => l.key)).toEqual(['DO:reserve', 'DO:charge', 'DO:ship', 'UNDO:charge', 'UNDO:reserve']);
    expect(layout.lanes.filter((l) => l.compensation).map((l) => l.stepName)).toEqual(['charge', 'reserve']);
  });

  it('scales bars to the run span, in percent', () => {
    const layout = layoutTimeline([attempt('a', 1, 'DO', 0, 2), attempt('b', 2, 'DO', 2, 10)], [], 0, WIDTH);
    const [a, b] = layout.lanes.map((l) => l.bars[0]);
    expect(a.left).toBe(0);
    expect(a.width).toBeCloseTo(20);
    expect(b.left).toBeCloseTo(20);
    expect(b.width).toBeCloseTo(80);
  });

  it('keeps retries of one step in one lane, ordered by attempt, and runs an open attempt to now', () => {
    const steps = [
      attempt('a', 1, 'DO', 5, null, { attempt: 2 }),
      attempt('a', 1, 'DO', 0, 3, { attempt: 1, status: 'TIMED_OUT' }),
    ];
    const layout = layoutTimeline(steps, [], Date.parse(t(10)), WIDTH);
    expect(layout.lanes).toHaveLength(1);
    const [first, second] = layout.lanes[0].bars;
    expect([first.attempt.attempt, second.attempt.attempt]).toEqual([1, 2]);
    expect(second.open).toBe(true);
    expect(second.left + second.width).toBeCloseTo(100);
  });

  it('draws a voided retry where it was voided, not at the due time it never reached', () => {
    const steps = [
      attempt('a', 1, 'DO', 0, 2, { attempt: 1, status: 'FAILED' }),
      attempt('a', 1, 'DO', 0, null, { attempt: 2, status: 'VOIDED', dispatchedAt: t(60), completedAt: t(4) }),
      attempt('b', 2, 'DO', 0, 10),
    ];
    const layout = layoutTimeline(steps, [], Date.parse(t(10)), WIDTH);
    expect(layout.end).toBe(Date.parse(t(10)));
    expect(layout.lanes[0].bars[1].left).toBeCloseTo(40);
  });

  it('gives an instantaneous attempt a visible width and places events on the axis', () => {
    const layout = layoutTimeline([attempt('a', 1, 'DO', 0, 0), attempt('b', 2, 'DO', 0, 4)],
      [{ at: t(2), kind: 'REVIVED', stepName: 'b', reason: 'healer', actor: null }], 0, WIDTH);
    expect(layout.lanes[0].bars[0].width).toBeGreaterThan(0);
    expect(layout.marks[0].left).toBeCloseTo(50);
  });

  it('puts a retry dispatched ~20 ms after a timeout on its own row, so the two bars never overlap', () => {
    // A long span makes the quick first attempt take the minimum width, which would cover the retry.
    const tms = (msOffset: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + msOffset).toISOString();
    const steps = [
      attempt('a', 1, 'DO', 0, null, { attempt: 1, status: 'TIMED_OUT', completedAt: tms(15), dispatchedAt: tms(0) }),
      attempt('a', 1, 'DO', 0, null, { attempt: 2, status: 'SUCCEEDED', dispatchedAt: tms(35), completedAt: tms(40) }),
      attempt('b', 2, 'DO', 0, null, { dispatchedAt: tms(60), completedAt: tms(60_000) }),
    ];
    const layout = layoutTimeline(steps, [], 0, WIDTH);
    const [first, retry] = layout.lanes[0].bars;
    expect(first.left + first.width).toBeGreaterThan(retry.left);
    expect([first.row, retry.row, layout.lanes[0].rows]).toEqual([0, 1, 2]);
    expect(layout.lanes[1].rows).toBe(1);
  });

  it('keeps attempts that do not overlap on one row', () => {
    const layout = layoutTimeline([attempt('a', 1, 'DO', 0, 2, { attempt: 1, status: 'FAILED' }), attempt('a', 1, 'DO', 4, 6, { attempt: 2 })], [], 0, WIDTH);
    expect(layout.lanes[0].bars.map((b) => b.row)).toEqual([0, 0]);
    expect(layout.lanes[0].rows).toBe(1);
  });

  it('places the last heartbeat of an attempt on its bar, and none for an attempt without one', () => {
    const layout = layoutTimeline([attempt('a', 1, 'DO', 0, null, { lastHeartbeatAt: t(6) }), attempt('b', 2, 'DO', 0, 4)], [], Date.parse(t(8)), WIDTH);
    expect(layout.lanes[0].bars[0].heartbeat).toBeCloseTo(75);
    expect(layout.lanes[1].bars[0].heartbeat).toBeNull();
  });

  it('draws a 10-minute retry backoff between millisecond steps as a break, so the steps are bars and not slivers', () => {
    const tms = (msOffset: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, 0) + msOffset).toISOString();
    const at = (from: number, to: number, more: Partial<StepAttempt> = {}) => ({ dispatchedAt: tms(from), completedAt: tms(to), ...more });
    const steps = [
      attempt('reserve', 1, 'DO', 0, 0, at(0, 6)),
      attempt('charge', 2, 'DO', 0, 0, at(9, 14, { status: 'FAILED' })),
      attempt('charge', 2, 'DO', 0, 0, at(598_014, 598_021, { attempt: 2 })),
      attempt('ship', 3, 'DO', 0, 0, at(598_024, 598_030)),
    ];
    const layout = layoutTimeline(steps, [], 0, WIDTH);
    const bars = layout.lanes.flatMap((l) => l.bars);
    // 30 ms of work: a 6 ms attempt gets about a fifth of what the break leaves, not 0.001 %.
    expect(bars[0].width).toBeGreaterThan(15);
    expect(layout.scale.gaps.map((g) => g.to - g.from)).toEqual([598_000]);
    expect(bars.map((b) => b.left)).toEqual([...bars.map((b) => b.left)].sort((a, b) => a - b));
    expect(bars[3].left + bars[3].width).toBeCloseTo(100);
    expect(layout.scale.gaps[0].width).toBeLessThan(10);
  });

  it('is empty for a run that has not dispatched anything', () => {
    expect(layoutTimeline([], [], 1000, WIDTH).lanes).toEqual([]);
  });

  it('lays out a run of 100,000 attempts (too many times to spread into Math.min)', () => {
    const many = Array.from({ length: 100_000 }, (_, i) => attempt(`s${i}`, i, 'DO', i, i + 1));
    const layout = layoutTimeline(many, [{ at: t(-5), kind: 'REVIVED', stepName: null, reason: 'r', actor: null }], Date.parse(t(0)), WIDTH);
    expect(layout.start).toBe(Date.parse(t(-5)));
    expect(layout.end).toBe(Date.parse(t(100_000)));
    expect(layout.lanes).toHaveLength(100_000);
  });
});
