/** Where a bar is drawn on its track, in CSS pixels. */
export interface Span { left: number; width: number }

/** The bar's padding before its label (or after it, at its end), as .bar sets it (styles.css). */
const PAD = 3;
/** Room kept between a label and where a tick is placed: an event's is 2 px wide from there, a heartbeat's 4 px centred on it. */
const CLEAR = 3;

/**
 * Which end of its bar an attempt's label ("#2") is drawn at: its start, unless a tick drawn
 * through the bar's row (an event's, or a heartbeat's) falls there, then its end if that is
 * clear. An operator's retry is recorded a moment before the retry it sends, so its tick sits on
 * the retry's start, and a retry that ended the run is a short bar at the track's end: every tick
 * near it lands on its label. When neither end is clear, the start: the label is drawn above
 * the tick (.bar-label, styles.css). `ticks`: where each is placed, in the bar's pixels.
 */
export function labelSide(bar: Span, labelPx: number, ticks: readonly number[]): 'start' | 'end' {
  const clear = (from: number, to: number) => ticks.every((t) => t + CLEAR <= from || t - CLEAR >= to);
  if (clear(bar.left, bar.left + PAD + labelPx)) return 'start';
  const end = bar.left + bar.width;
  return clear(end - PAD - labelPx, end) ? 'end' : 'start';
}
