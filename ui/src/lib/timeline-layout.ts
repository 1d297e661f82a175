import type { RunEvent, StepAttempt } from '../api/types';
import { timeScale, TimeScale } from './timeline-scale';

/** One bar of the Gantt chart: an attempt, placed in percent of the track (see TimeScale). */
export interface TimelineBar {
  attempt: StepAttempt;
  left: number;
  width: number;
  /** Still running: the bar ends at "now". */
  open: boolean;
  /** Which row of its lane: an attempt that would overlap an earlier one goes one row down. */
  row: number;
  /** Where the attempt's last heartbeat falls, in percent; null when it reported none. */
  heartbeat: number | null;
}

/** A lane holds every attempt of one step for one action (retries sit side by side). */
export interface TimelineLane {
  key: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  /** Part of the compensation or undo, drawn below the DO lanes in the order it ran (reverse of the steps). */
  compensation: boolean;
  bars: TimelineBar[];
  /** Rows the lane needs so that no two of its bars overlap. */
  rows: number;
}

export interface TimelineMark { event: RunEvent; left: number }

export interface TimelineLayout {
  start: number;
  end: number;
  lanes: TimelineLane[];
  marks: TimelineMark[];
  scale: TimeScale;
}

/** A zero-length attempt still needs a visible bar. */
const MIN_WIDTH = 0.6;
/** Bars closer than this (percent) share no row: a retry dispatched ~20 ms after a timeout stays apart. */
const GAP = 0.4;

const ms = (iso: string) => new Date(iso).getTime();

/**
 * Where an attempt's bar starts: when it was sent, or for a retry voided before it was due (its
 * dispatchedAt is that due time, never reached), when it was voided.
 */
function startOf(s: StepAttempt): number {
  return s.status === 'VOIDED' && s.completedAt ? ms(s.completedAt) : ms(s.dispatchedAt);
}

/** When an attempt's bar ends: when it completed, else now; a retry not yet due is a point at its due time. */
const endOf = (s: StepAttempt, now: number) => Math.max(s.completedAt ? ms(s.completedAt) : now, startOf(s));

/**
 * Lays out every DO and UNDO attempt on one time axis, for a track `trackPx` wide (a long wait
 * becomes a break of a fixed width: see timeScale). DO lanes follow the template order (seq, then
 * first dispatch); UNDO lanes follow the order they were dispatched, which is the undo stack
 * popped: the compensation reads top to bottom in reverse.
 */
export function layoutTimeline(steps: readonly StepAttempt[], events: readonly RunEvent[], now: number, trackPx: number): TimelineLayout {
  if (steps.length === 0 && events.length === 0) return { start: now, end: now, lanes: [], marks: [], scale: timeScale([], now, now, trackPx) };
  // A loop, not Math.min(...times): spreading tens of thousands of arguments throws a RangeError.
  let start = Infinity;
  let last = -Infinity;
  const see = (t: number) => {
    start = Math.min(start, t);
    last = Math.max(last, t);
  };
  for (const s of steps) {
    see(startOf(s));
    see(s.completedAt ? ms(s.completedAt) : now);
    if (s.lastHeartbeatAt) see(ms(s.lastHeartbeatAt));
  }
  for (const e of events) see(ms(e.at));
  const end = Math.max(last, start + 1);
  const spans: [number, number][] = steps.map((s) => [startOf(s), endOf(s, now)]);
  for (const e of events) spans.push([ms(e.at), ms(e.at)]);
  const scale = timeScale(spans, start, end, trackPx);
  const pct = scale.at;

  const lanes = new Map<string, TimelineLane & { first: number; seq: number }>();
  for (const s of steps) {
    const key = `${s.action}:${s.stepName}`;
    let lane = lanes.get(key);
    if (!lane) {
      lane = { key, stepName: s.stepName, action: s.action, compensation: s.action === 'UNDO', bars: [], rows: 1, first: startOf(s), seq: s.seq };
      lanes.set(key, lane);
    }
    lane.first = Math.min(lane.first, startOf(s));
    const from = startOf(s);
    const to = endOf(s, now);
    const left = Math.min(pct(from), 100 - MIN_WIDTH);
    lane.bars.push({
      attempt: s, left, width: Math.max(pct(to) - pct(from), MIN_WIDTH), open: !s.completedAt, row: 0,
      heartbeat: s.lastHeartbeatAt ? pct(ms(s.lastHeartbeatAt)) : null,
    });
  }
  const all = [...lanes.values()];
  for (const lane of all) {
    lane.bars.sort((a, b) => a.attempt.attempt - b.attempt.attempt || ms(a.attempt.dispatchedAt) - ms(b.attempt.dispatchedAt));
    lane.rows = stackRows(lane.bars);
  }
  const dos = all.filter((l) => l.action === 'DO').sort((a, b) => a.seq - b.seq || a.first - b.first);
  const undos = all.filter((l) => l.action === 'UNDO').sort((a, b) => a.first - b.first || b.seq - a.seq);
  const strip = ({ first: _f, seq: _s, ...lane }: TimelineLane & { first: number; seq: number }): TimelineLane => lane;
  return {
    start, end, scale,
    lanes: [...dos, ...undos].map(strip),
    marks: events.map((event) => ({ event, left: pct(ms(event.at)) })),
  };
}

/**
 * Gives each bar the first row where it clears the bars before it (greedy interval packing, in
 * attempt order) and answers how many rows that took: one, unless attempts overlap.
 */
export function stackRows(bars: TimelineBar[]): number {
  const rowEnds: number[] = [];
  for (const bar of bars) {
    const row = rowEnds.findIndex((end) => end + GAP <= bar.left);
    bar.row = row === -1 ? rowEnds.length : row;
    rowEnds[bar.row] = bar.left + bar.width;
  }
  return Math.max(rowEnds.length, 1);
}
