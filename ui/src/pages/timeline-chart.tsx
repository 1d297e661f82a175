import { Name } from '../components/name';
import { localTime, utcTime } from '../lib/time';
import type { TimelineLayout, TimelineMark } from '../lib/timeline-layout';
import { timelineTicks } from '../lib/timeline-ticks';
import { TimelineAxis } from './timeline-axis';
import { AttemptBar, labelFont, ROW_PX } from './timeline-bar';
import { GapBands } from './timeline-gaps';

const Marks = ({ marks }: { marks: readonly TimelineMark[] }) => (
  <>{marks.map((m, j) => <span key={j} class="mark" style={{ left: `${m.left}%` }} title={`${m.event.kind}: ${m.event.reason}`} />)}</>
);

/**
 * The chart itself, for a track `width` px wide (measured through `trackRef`). The breaks are
 * drawn once, over every row (.tl-gaps), not once per lane: a run with thousands of them drew
 * hundreds of thousands of bands. No bar is a tab stop: the attempts table lists each attempt.
 */
export function TimelineChart({ layout: t, width, trackRef }: { layout: TimelineLayout; width: number; trackRef: (el: HTMLDivElement | null) => void }) {
  const firstUndo = t.lanes.findIndex((l) => l.compensation);
  const ticks = timelineTicks(t);
  const font = labelFont();
  return (
    <div class="tl-rows">
      {t.scale.gaps.length > 0 && <div class="tl-gaps" aria-hidden="true"><span /><div class="tl-gap-track"><GapBands gaps={t.scale.gaps} /></div></div>}
      <TimelineAxis scale={t.scale} width={width} trackRef={trackRef} />
      {t.lanes.map((lane, i) => {
        const { marks, rows } = ticks.lanes.get(lane.key)!;
        return [
          i === firstUndo && <div key="comp" role="row" class="tl-comp-title"><span role="cell">Compensation and undo: the succeeded steps, undone in reverse order</span></div>,
          <div key={lane.key} role="row" class={`tl-row ${lane.compensation ? 'comp' : ''}`} data-lane={lane.key}>
            <div class="tl-label" role="rowheader"><span class={`act act-${lane.action.toLowerCase()}`}>{lane.action}</span> <Name of={lane.stepName} /></div>
            <div class="tl-track" role="cell" style={{ height: `${lane.rows * ROW_PX + 2}px` }}>
              {lane.bars.map((b) => <AttemptBar key={b.attempt.commandId} bar={b} trackPx={width} ticks={rows[b.row]} font={font} />)}
              {lane.bars.filter((b) => b.heartbeat !== null).map((b) => (
                <span key={`hb-${b.attempt.commandId}`} class="hb" style={{ left: `${b.heartbeat}%`, top: `${1 + b.row * ROW_PX}px` }}
                  title={`last heartbeat of attempt ${b.attempt.attempt}: ${localTime(b.attempt.lastHeartbeatAt!)} (${utcTime(b.attempt.lastHeartbeatAt!)})`}
                  data-heartbeat={`${b.attempt.action} ${b.attempt.stepName} ${b.attempt.attempt}`} />
              ))}
              <Marks marks={marks} />
            </div>
          </div>,
        ];
      })}
      {ticks.run.length > 0 && (
        <div class="tl-row" role="row">
          <div class="tl-label muted" role="rowheader">run events</div>
          <div class="tl-track" role="cell"><Marks marks={ticks.run} /></div>
        </div>
      )}
    </div>
  );
}
