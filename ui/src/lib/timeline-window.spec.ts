import { describe, expect, it } from 'vitest';
import type { RunEvent, StepAttempt } from '../api/types';
import { timelineWindow } from './timeline-window';

const at = (s: number) => new Date(Date.UTC(2026, 11, 1, 12, 0, s)).toISOString();
const attempt = (n: number) => ({ stepName: 'a', attempt: n, dispatchedAt: at(n * 2), completedAt: at(n * 2 + 1) }) as StepAttempt;
const event = (s: number) => ({ at: at(s), kind: 'RETRY', stepName: 'a', reason: '', actor: null }) as RunEvent;

describe('timelineWindow', () => {
  const steps = [1, 2, 3, 4, 5].map(attempt);
  const events = [1, 5, 6, 9, 10].map(event);

  it('keeps the latest attempts, and only the events from when the first of those began', () => {
    const w = timelineWindow(steps, events, 2);
    expect(w.steps.map((s) => s.attempt)).toEqual([4, 5]);
    expect(w.events.map((e) => e.at)).toEqual([at(9), at(10)]);
    expect([w.hiddenSteps, w.hiddenEvents]).toEqual([3, 3]);
  });

  it('keeps everything when there is no more than the limit', () => {
    expect(timelineWindow(steps, events, 5)).toEqual({ steps, events, hiddenSteps: 0, hiddenEvents: 0 });
  });
});
