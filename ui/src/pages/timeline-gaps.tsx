import { durationMs, localTime } from '../lib/time';
import type { TimelineGap } from '../lib/timeline-scale';

const iso = (epochMs: number) => new Date(epochMs).toISOString();

/** What a break stands for, in full: the axis shows only its length. */
export const gapTitle = (g: TimelineGap) =>
  `${durationMs(g.to - g.from)} in which nothing ran, from ${localTime(iso(g.from))} to ${localTime(iso(g.to))}: drawn shorter than it lasted`;

/**
 * The breaks where long waits were cut short (timeScale), drawn once through every row (.tl-gaps);
 * the axis row names their lengths, and what each stands for on hover (gapTitle).
 */
export function GapBands({ gaps }: { gaps: TimelineGap[] }) {
  return <>{gaps.map((g) => <span key={g.from} class="gap-band" style={{ left: `${g.left}%`, width: `${g.width}%` }} />)}</>;
}
