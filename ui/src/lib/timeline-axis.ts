import { durationMs } from './time';
import type { TimelineGap, TimeScale } from './timeline-scale';

export interface AxisLabel {
  /** Where the label's point is, in percent of the track. */
  left: number;
  text: string;
  /** Centred on its point, or flush with it where centring would cross an end of the track. */
  align: 'start' | 'center' | 'end';
  /** The break this label gives the length of; none for a tick. */
  gap?: TimelineGap;
}

/** The least room a tick gets: a phone's track (~200 px) gets three, a wide screen's a dozen or more. */
const TICK_PX = 80;
/** An 11 px label's width per character, on the generous side, so that labels kept apart never touch. */
const CHAR_PX = 6.6;
/** Space kept clear between two labels. */
const SPACE_PX = 8;
const STEPS = [
  1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 15_000, 30_000, 60_000, 120_000, 300_000, 600_000, 900_000,
  1_800_000, 3_600_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000,
];

/**
 * The axis of a track `trackPx` wide: the length of each break, then ticks at a round step chosen
 * from the width there is, offset from the run's start (after a break, from the break's end: "+20
 * ms"; a stretch too short for two ticks is also labelled at its end). A label that would still
 * overlap one already placed (a break's, which go first) is left out.
 */
export function axisLabels(scale: TimeScale, trackPx: number): AxisLabel[] {
  if (!(trackPx > 0)) return [];
  const pxPerMs = (scale.perMs / 100) * trackPx;
  const step = STEPS.find((s) => s * pxPerMs >= TICK_PX) ?? Math.ceil(TICK_PX / pxPerMs);
  const bounds = [scale.start, ...scale.gaps.flatMap((g) => [g.from, g.to]), scale.end];
  const ticks: Omit<AxisLabel, 'align'>[] = [];
  for (let i = 0; i < bounds.length; i += 2) {
    const [from, to] = [bounds[i], bounds[i + 1]];
    const prefix = i === 0 ? '' : '+';
    const before = ticks.length;
    let last = -1;
    for (let t = i === 0 ? 0 : step; from + t <= to; t += step) {
      ticks.push({ left: scale.at(from + t), text: `${prefix}${formatOffset(t)}` });
      last = t;
    }
    // A stretch shorter than two ticks also gets its length at its end: work after a break too short
    // for a tick, or a whole run of a few milliseconds on a track too narrow for a second tick.
    if (ticks.length - before < 2 && last !== to - from) ticks.push({ left: scale.at(to), text: `${prefix}${formatOffset(to - from)}` });
  }
  const gaps = scale.gaps.map((gap) => ({ left: gap.left + gap.width / 2, text: `… ${durationMs(gap.to - gap.from)} …`, gap }));
  const placed: { label: AxisLabel; from: number; to: number }[] = [];
  for (const candidate of [...gaps, ...ticks]) {
    const box = boxOf(candidate, trackPx);
    if (placed.every((p) => box.to + SPACE_PX <= p.from || p.to + SPACE_PX <= box.from)) placed.push(box);
  }
  return placed.map((p) => p.label).sort((a, b) => a.left - b.left);
}

/** Where a label's text lies on the track, in pixels, and how it is aligned to stay inside. */
function boxOf(label: Omit<AxisLabel, 'align'>, trackPx: number) {
  const x = (label.left / 100) * trackPx;
  const width = label.text.length * CHAR_PX;
  if (x - width / 2 < 0) return { label: { ...label, align: 'start' as const }, from: x, to: x + width };
  if (x + width / 2 > trackPx) return { label: { ...label, align: 'end' as const }, from: x - width, to: x };
  return { label: { ...label, align: 'center' as const }, from: x - width / 2, to: x + width / 2 };
}

export function formatOffset(msOffset: number): string {
  if (msOffset < 1000) return `${msOffset} ms`;
  if (msOffset < 60_000) return `${+(msOffset / 1000).toFixed(1)} s`;
  if (msOffset < 3_600_000) return `${+(msOffset / 60_000).toFixed(1)} min`;
  return `${+(msOffset / 3_600_000).toFixed(1)} h`;
}
