import { useState } from 'preact/hooks';
import type { RunEvent, StepAttempt } from '../api/types';
import { Empty } from '../components/notice';
import { useWidth } from '../hooks/use-width';
import { layoutTimeline } from '../lib/timeline-layout';
import { SHOW_ALL_MAX } from '../lib/latest';
import { TIMELINE_LIMIT, timelineWindow } from '../lib/timeline-window';
import { WholeRun } from './not-shown';
import { TimelineChart } from './timeline-chart';

/**
 * What the timeline draws of a run: the latest TIMELINE_LIMIT attempts and events, or with `all`
 * the latest SHOW_ALL_MAX (timelineWindow), laid out for a track `width` px wide.
 */
export function timelineView(steps: readonly StepAttempt[], events: readonly RunEvent[], now: number, width: number, all: boolean) {
  const shown = timelineWindow(steps, events, all ? SHOW_ALL_MAX : TIMELINE_LIMIT);
  return { ...shown, all, total: steps.length, totalEvents: events.length, layout: layoutTimeline(shown.steps, shown.events, now, width) };
}

type TimelineView = ReturnType<typeof timelineView>;

/**
 * How much of the run the timeline leaves out, and where the rest is; nothing when it draws it
 * all. "Show all" offers at most SHOW_ALL_MAX, and says so rather than promise every attempt; the
 * tables below list no more either, so past it the rest is in the run's JSON.
 */
export function TimelineLimited({ view, flowId, onShowAll }: { view: TimelineView; flowId: string; onShowAll: () => void }) {
  if (view.hiddenSteps === 0 && view.hiddenEvents === 0) return null;
  const events = view.hiddenEvents > 0 && ` and ${view.events.length} of ${view.totalEvents} events`;
  const notDrawn = view.hiddenSteps > 0 && ` (${view.hiddenSteps} not drawn)`;
  const beyond = view.total > SHOW_ALL_MAX || view.totalEvents > SHOW_ALL_MAX;
  const rest = beyond ? <WholeRun flowId={flowId} /> : 'the attempts table lists every one.';
  return (
    <p class="muted small" data-testid="timeline-limited">
      Showing the latest {view.steps.length} of {view.total} attempts{notDrawn}{events}
      {view.all
        ? <>: the timeline draws no more than {SHOW_ALL_MAX}; {rest}</>
        : <>; {rest} <button type="button" class="link" onClick={onShowAll}>{beyond ? `Show the latest ${SHOW_ALL_MAX}` : 'Show all'}</button></>}
    </p>
  );
}

/** Gantt-like chart: one lane per step and action, one bar per attempt; the compensation below, in the order it ran. */
export function RunTimeline({ flowId, steps, events, now }: { flowId: string; steps: StepAttempt[]; events: RunEvent[]; now: number }) {
  // Every track is as wide as the axis's: the axis is measured, and the layout fits that width.
  const [trackRef, width] = useWidth<HTMLDivElement>();
  const [all, showAll] = useState(false);
  const view = timelineView(steps, events, now, width, all);
  const t = view.layout;
  if (t.lanes.length === 0) return <Empty>No step dispatched yet.</Empty>;
  return (
    <div class="timeline" role="table" aria-label="Timeline of every DO and UNDO attempt">
      <TimelineLimited view={view} flowId={flowId} onShowAll={() => showAll(true)} />
      <TimelineChart layout={t} width={width} trackRef={trackRef} />
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
