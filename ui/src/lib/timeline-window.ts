import type { RunEvent, StepAttempt } from '../api/types';
import { latest } from './latest';

/**
 * Attempts (and events) the timeline draws before "show all" (which draws SHOW_ALL_MAX, lib/latest):
 * a run may have thousands (a step failing fast 99 times, 50 steps), and every poll drew them all.
 */
export const TIMELINE_LIMIT = 200;

export interface TimelineWindow {
  steps: readonly StepAttempt[];
  events: readonly RunEvent[];
  /** Earlier attempts and events left out. */
  hiddenSteps: number;
  hiddenEvents: number;
}

const ms = (iso: string) => new Date(iso).getTime();

/**
 * The latest `limit` attempts and, of the events from when the first of those began, the latest
 * `limit`: an earlier event would stretch the axis back over attempts that are not drawn.
 */
export function timelineWindow(steps: readonly StepAttempt[], events: readonly RunEvent[], limit: number): TimelineWindow {
  const drawn = latest(steps, limit);
  let from = -Infinity;
  if (drawn.hidden) {
    from = Infinity;
    for (const s of drawn.shown) from = Math.min(from, ms(s.dispatchedAt), s.completedAt ? ms(s.completedAt) : Infinity);
  }
  const marks = latest(drawn.hidden ? events.filter((e) => ms(e.at) >= from) : events, limit);
  return { steps: drawn.shown, events: marks.shown, hiddenSteps: drawn.hidden, hiddenEvents: events.length - marks.shown.length };
}
