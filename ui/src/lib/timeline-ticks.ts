import type { TimelineLane, TimelineLayout, TimelineMark } from './timeline-layout';

/** What is drawn through one lane besides its bars. */
export interface LaneTicks {
  /** The step's events: each runs the lane's height. */
  marks: TimelineMark[];
  /** Per row, where the ticks through it fall (percent): the lane's events and that row's heartbeats. */
  rows: number[][];
}

export interface TimelineTicks {
  lanes: Map<string, LaneTicks>;
  /** Events of the run, not of a step: their own row. */
  run: TimelineMark[];
}

/**
 * Every lane's ticks, found once per layout: a bar used to filter all the run's events and its
 * lane's bars for its own, which made a render quadratic in the attempts.
 */
export function timelineTicks(layout: TimelineLayout): TimelineTicks {
  const byStep = new Map<string, TimelineMark[]>();
  const run: TimelineMark[] = [];
  for (const m of layout.marks) {
    if (!m.event.stepName) run.push(m);
    else if (byStep.has(m.event.stepName)) byStep.get(m.event.stepName)!.push(m);
    else byStep.set(m.event.stepName, [m]);
  }
  const lanes = new Map<string, LaneTicks>();
  for (const lane of layout.lanes) lanes.set(lane.key, laneTicks(lane, byStep.get(lane.stepName) ?? []));
  return { lanes, run };
}

function laneTicks(lane: TimelineLane, marks: TimelineMark[]): LaneTicks {
  const rows = Array.from({ length: lane.rows }, () => marks.map((m) => m.left));
  for (const b of lane.bars) if (b.heartbeat !== null) rows[b.row].push(b.heartbeat);
  return { marks, rows };
}
