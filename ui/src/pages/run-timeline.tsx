import type { RunEvent, StepAttempt } from '../api/types';
import { layoutTimeline, TimelineBar } from '../lib/timeline-layout';
import { duration, localTime, utcTime } from '../lib/time';
import { Name } from '../components/name';
import { Empty } from '../components/notice';
import { useWidth } from '../hooks/use-width';
import { TimelineAxis } from './timeline-axis';
import { GapBands } from './timeline-gaps';

const barTitle = (a: StepAttempt) =>
  `${a.action} ${a.stepName} attempt ${a.attempt}: ${a.status}\n${a.status === 'VOIDED' ? 'was due' : 'dispatched'} ${localTime(a.dispatchedAt)} (${utcTime(a.dispatchedAt)})`
  + `\n${endOf(a)}`
  + (a.lastHeartbeatAt ? `\nlast heartbeat ${localTime(a.lastHeartbeatAt)} (${utcTime(a.lastHeartbeatAt)})` : '')
  + (a.error ? `\nerror: ${a.error}` : '');

function endOf(a: StepAttempt): string {
  if (a.status === 'VOIDED') return 'never sent';
  if (!a.completedAt) return `in flight, deadline ${localTime(a.deadlineAt)}`;
  const after = duration(a.dispatchedAt, a.completedAt);
  return a.status === 'ABANDONED' ? `given up after ${after}, when the run was terminated: whether it ran is unknown` : `completed after ${after}`;
}

/** Pixels per row of a lane: a lane whose attempts overlap grows a row per overlap. */
const ROW_PX = 20;
/**
 * The narrowest a bar with something to read is drawn: a voided attempt takes no time, and a
 * short retry in a long run is a sliver; at their layout width the outline or the "#n" is cut off.
 */
const LABELLED_MIN_PX = 26;

const labelOf = (a: StepAttempt) => `${a.attempt > 1 ? `#${a.attempt}` : ''}${a.status === 'TIMED_OUT' ? ' ⏱' : ''}`;

/** Where a bar goes; one to be read is widened, and pulled back inside the track when it ends the run. */
const place = (b: TimelineBar) => (b.attempt.status === 'VOIDED' || labelOf(b.attempt)
  ? { left: `min(${b.left}%, 100% - ${LABELLED_MIN_PX}px)`, width: `max(${b.width}%, ${LABELLED_MIN_PX}px)` }
  : { left: `${b.left}%`, width: `${b.width}%` });

/** Gantt-like chart: one lane per step and action, one bar per attempt; the compensation below, in the order it ran. */
export function RunTimeline({ steps, events, now }: { steps: StepAttempt[]; events: RunEvent[]; now: number }) {
  // Every track is as wide as the axis's: the axis is measured, and the layout fits that width.
  const [trackRef, width] = useWidth<HTMLDivElement>();
  const t = layoutTimeline(steps, events, now, width);
  if (t.lanes.length === 0) return <Empty>No step dispatched yet.</Empty>;
  const firstUndo = t.lanes.findIndex((l) => l.compensation);
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
              <span key={b.attempt.commandId} class={`bar b-${b.attempt.status.toLowerCase()} ${b.open ? 'open' : ''}`}
                style={{ ...place(b), top: `${3 + b.row * ROW_PX}px` }} title={barTitle(b.attempt)} aria-label={barTitle(b.attempt)} tabIndex={0}
                data-attempt={`${b.attempt.action} ${b.attempt.stepName} ${b.attempt.attempt}`} data-row={b.row}>
                {labelOf(b.attempt)}
              </span>
            ))}
            {lane.bars.filter((b) => b.heartbeat !== null).map((b) => (
              <span key={`hb-${b.attempt.commandId}`} class="hb" style={{ left: `${b.heartbeat}%`, top: `${1 + b.row * ROW_PX}px` }}
                title={`last heartbeat of attempt ${b.attempt.attempt}: ${localTime(b.attempt.lastHeartbeatAt!)} (${utcTime(b.attempt.lastHeartbeatAt!)})`}
                data-heartbeat={`${b.attempt.action} ${b.attempt.stepName} ${b.attempt.attempt}`} />
            ))}
            {t.marks.filter((m) => m.event.stepName === lane.stepName).map((m, j) => (
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
        <span class="bar-key b-succeeded" /> succeeded <span class="bar-key b-failed" /> failed <span class="bar-key b-timed_out" /> timed out
        <span class="bar-key b-skipped" /> skipped by an operator <span class="bar-key b-voided" /> voided (never sent)
        <span class="bar-key b-abandoned" /> abandoned (in flight when the run was terminated)
        <span class="bar-key open" /> in flight <span class="hb-key" /> last heartbeat <span class="mark-key" /> event
        {t.scale.gaps.length > 0 && <><span class="bar-key gap-key" /> a long wait, drawn shorter (its length on the axis)</>} · hover a bar for times
      </p>
    </div>
  );
}
