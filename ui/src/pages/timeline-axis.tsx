import { axisLabels } from '../lib/timeline-axis';
import type { TimeScale } from '../lib/timeline-scale';
import { gapTitle } from './timeline-gaps';

/**
 * The timeline's header row: ticks spaced by the track's measured width and each break's length,
 * none overlapping (axisLabels). `trackRef` is how the timeline measures that width.
 */
export function TimelineAxis({ scale, width, trackRef }: { scale: TimeScale; width: number; trackRef: (el: HTMLDivElement | null) => void }) {
  return (
    <div class="tl-row tl-axis" role="row">
      <div class="tl-label" role="columnheader">Step</div>
      <div class="tl-track" role="columnheader" ref={trackRef}>
        {axisLabels(scale, width).map((l) => (
          <span key={`${l.left}:${l.text}`} class={`tick at-${l.align} ${l.gap ? 'gap-label' : ''}`} style={{ left: `${l.left}%` }}
            title={l.gap && gapTitle(l.gap)} data-gap={l.gap ? '' : undefined}>{l.text}</span>
        ))}
      </div>
    </div>
  );
}
