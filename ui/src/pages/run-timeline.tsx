import type { RunEvent, StepAttempt } from '../api/types';
import { axisTicks, layoutTimeline } from '../lib/timeline-layout';
import { duration, localTime, utcTime } from '../lib/time';
import { Empty } from '../components/notice';

const barTitle = (a: StepAttempt) =>
  `${a.action} ${a.stepName} attempt ${a.attempt}: ${a.status}\ndispatched ${localTime(a.dispatchedAt)} (${utcTime(a.dispatchedAt)})`
  + `\n${a.completedAt ? `completed after ${duration(a.dispatchedAt, a.completedAt)}` : `in flight, deadline ${localTime(a.deadlineAt)}`}`
  + (a.error ? `\nerror: ${a.error}` : '');

/** Gantt-like chart: one lane per step and action, one bar per attempt; the compensation below, in the order it ran. */
export function RunTimeline({ steps, events, now }: { steps: StepAttempt[]; events: RunEvent[]; now: number }) {
  const t = layoutTimeline(steps, events, now);
  if (t.lanes.length === 0) return <Empty>No step dispatched yet.</Empty>;
  const firstUndo = t.lanes.findIndex((l) => l.compensation);
  return (
    <div class="timeline" role="table" aria-label="Timeline of every DO and UNDO attempt">
      <div class="tl-row tl-axis" role="row">
        <div class="tl-label" role="columnheader">Step</div>
        <div class="tl-track" role="columnheader">{axisTicks(t.start, t.end).map((k) => <span key={k.left} class="tick" style={{ left: `${k.left}%` }}>{k.label}</span>)}</div>
      </div>
      {t.lanes.map((lane, i) => [
        i === firstUndo && <div key="comp" role="row" class="tl-comp-title"><span role="cell">Compensation and undo: the succeeded steps, undone in reverse order</span></div>,
        <div key={lane.key} role="row" class={`tl-row ${lane.compensation ? 'comp' : ''}`} data-lane={lane.key}>
          <div class="tl-label" role="rowheader"><span class={`act act-${lane.action.toLowerCase()}`}>{lane.action}</span> {lane.stepName}</div>
          <div class="tl-track" role="cell">
            {lane.bars.map((b) => (
              <span key={b.attempt.commandId} class={`bar b-${b.attempt.status.toLowerCase()} ${b.open ? 'open' : ''}`}
                style={{ left: `${b.left}%`, width: `${b.width}%` }} title={barTitle(b.attempt)} aria-label={barTitle(b.attempt)} tabIndex={0}
                data-attempt={`${b.attempt.action} ${b.attempt.stepName} ${b.attempt.attempt}`}>
                {b.attempt.attempt > 1 ? `#${b.attempt.attempt}` : ''}{b.attempt.status === 'TIMED_OUT' ? ' ⏱' : ''}
              </span>
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
            {t.marks.filter((m) => !m.event.stepName).map((m, j) => <span key={j} class="mark" style={{ left: `${m.left}%` }} title={`${m.event.kind}: ${m.event.reason}`} />)}
          </div>
        </div>
      )}
      <p class="legend-row muted small">
        <span class="bar-key b-succeeded" /> succeeded <span class="bar-key b-failed" /> failed <span class="bar-key b-timed_out" /> timed out
        <span class="bar-key b-dispatched" /> in flight <span class="mark-key" /> event · hover a bar for times
      </p>
    </div>
  );
}
