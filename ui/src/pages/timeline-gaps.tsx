import { durationMs, localTime } from '../lib/time';
import type { TimelineGap } from '../lib/timeline-scale';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** What a break stands for, in full: the axis shows only its length. */
export const gapTitle = (g: TimelineGap) =>
  `${durationMs(g.to - g.from)} in which nothing ran, from ${localTime(iso(g.from))} to ${localTime(iso(g.to))}: drawn shorter than it lasted`;

/** The breaks through one track, where long waits were cut short (timeScale); the axis row names their lengths. */
export function GapBands({ gaps }: { gaps: TimelineGap[] }) {
  return <>{gaps.map((g) => <span key={g.from} class="gap-band" style={{ left: `${g.left}%`, width: `${g.width}%` }} title={gapTitle(g)} aria-hidden="true" />)}</>;
}
