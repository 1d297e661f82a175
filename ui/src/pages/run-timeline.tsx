import type { RunEvent, StepAttempt } from '../api/types';
import { layoutTimeline, TimelineLane, TimelineMark } from '../lib/timeline-layout';
import { localTime, utcTime } from '../lib/time';
import { Name } from '../components/name';
import { Empty } from '../components/notice';
import { useWidth } from '../hooks/use-width';
import { TimelineAxis } from './timeline-axis';
import { GapBands } from './timeline-gaps';
import { AttemptBar, ROW_PX } from './timeline-bar';

/** The ticks drawn through a bar's row, in percent of the track: the lane's events (each runs the lane's height) and the row's heartbeats. */
const ticksOver = (lane: TimelineLane, marks: readonly TimelineMark[], row: number): number[] => [
  ...marks.map((m) => m.left),
  ...lane.bars.filter((b) => b.row === row && b.heartbeat !== null).map((b) => b.heartbeat!),
];

/** Gantt-like chart: one lane per step and action, one bar per attempt; the compensation below, in the order it ran. */
export function RunTimeline({ steps, events, now }: { steps: StepAttempt[]; events: RunEvent[]; now: number }) {
  // Every track is as wide as the axis's: the axis is measured, and the layout fits that width.
  const [trackRef, width] = useWidth<HTMLDivElement>();
  const t = layoutTimeline(steps, events, now, width);
  if (t.lanes.length === 0) return <Empty>No step dispatched yet.</Empty>;
  const firstUndo = t.lanes.findIndex((l) => l.compensation);
  const laneMarks = (lane: TimelineLane) => t.marks.filter((m) => m.event.stepName === lane.stepName);
  return (
    <div class="timeline" role="table" aria-label="Timeline of every DO and UNDO attempt">
      <TimelineAxis scale={t.scale} width={width} trackRef={trackRef} />
      {t.lanes.map((lane, i) => [
        i === firstUndo && <div key="comp" role="row" class="tl-comp-title"><span role="cell">Compensation and undo: the succeeded steps, undone in reverse order</span></div>,
        <div key={lane.key} role="row" class={`tl-row ${lane.compensation ? 'comp' : ''}`} data-lane={lane.key}>
          <div class="tl-label" role="rowheader"><span class={`act act-${lane.action.toLowerCase()}`}>{lane.action}</span> <Name of={lane.stepName} /></div>
          <div class="tl-track" role="cell" style={{ height: `${lane.rows * ROW_PX + 2}px` }}>
            <GapBands gaps={t.scale.gaps} />
            {lane.bars.map((b) => (
              <AttemptBar key={b.attempt.commandId} bar={b} trackPx={width} ticks={ticksOver(lane, laneMarks(lane), b.row)} />
            ))}
            {lane.bars.filter((b) => b.heartbeat !== null).map((b) => (
              <span key={`hb-${b.attempt.commandId}`} class="hb" style={{ left: `${b.heartbeat}%`, top: `${1 + b.row * ROW_PX}px` }}
                title={`last heartbeat of attempt ${b.attempt.attempt}: ${localTime(b.attempt.lastHeartbeatAt!)} (${utcTime(b.attempt.lastHeartbeatAt!)})`}
                data-heartbeat={`${b.attempt.action} ${b.attempt.stepName} ${b.attempt.attempt}`} />
            ))}
            {laneMarks(lane).map((m, j) => (
              <span key={j} class="mark" style={{ left: `${m.left}%` }} title={`${m.event.kind}: ${m.event.reason}`} />
            ))}
          </div>
        </div>,
      ])}
      {t.marks.some((m) => !m.event.stepName) && (
        <div class="tl-row" role="row">
          <div class="tl-label muted" role="rowheader">run events</div>
          <div class="tl-track" role="cell">
            <GapBands gaps={t.scale.gaps} />
            {t.marks.filter((m) => !m.event.stepName).map((m, j) => <span key={j} class="mark" style={{ left: `${m.left}%` }} title={`${m.event.kind}: ${m.event.reason}`} />)}
          </div>
        </div>
      )}
      <p class="legend-row muted small">
        <span class="bar-key b-succeeded" /> succeeded <span class="bar-key b-failed" /> failed <span class="bar-key b-failed_final" /> failed, not retried
        <span class="bar-key b-timed_out" /> timed out
        <span class="bar-key b-skipped" /> skipped by an operator <span class="bar-key b-voided" /> voided (never sent)
        <span class="bar-key b-abandoned" /> abandoned (in flight when the run was terminated)
        <span class="bar-key open" /> in flight <span class="hb-key" /> last heartbeat <span class="mark-key" /> event
        {t.scale.gaps.length > 0 && <><span class="bar-key gap-key" /> a long wait, drawn shorter (its length on the axis)</>} · hover a bar for times
      </p>
    </div>
  );
}
