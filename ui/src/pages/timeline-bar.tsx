import type { StepAttempt } from '../api/types';
import { PREVIEW_CHARS, PREVIEW_LINES } from '../components/free-text';
import { labelSide } from '../lib/bar-label';
import { textPreview } from '../lib/text-preview';
import { textWidth } from '../lib/text-width';
import type { TimelineBar } from '../lib/timeline-layout';
import { duration, localTime, utcTime } from '../lib/time';
import { unsent } from '../lib/unsent';

/** Pixels per row of a lane: a lane whose attempts overlap grows a row per overlap. */
export const ROW_PX = 20;
/**
 * The narrowest a bar with something to read is drawn: a voided attempt takes no time, and a
 * short retry in a long run is a sliver; at their layout width the outline or the "#n" is cut off.
 */
const LABELLED_MIN_PX = 26;

const barTitle = (a: StepAttempt) =>
  `${a.action} ${a.stepName} attempt ${a.attempt}: ${a.status}\n${unsent(a)?.when ?? 'dispatched'} ${localTime(a.dispatchedAt)} (${utcTime(a.dispatchedAt)})`
  + `\n${endOf(a)}`
  + (a.lastHeartbeatAt ? `\nlast heartbeat ${localTime(a.lastHeartbeatAt)} (${utcTime(a.lastHeartbeatAt)})` : '')
  + (a.error ? `\nerror: ${errorStart(a.error)}` : '');

/** An error's start, as the attempts table shows it before "show all": a 10 KB one made a tooltip taller than the screen. */
function errorStart(error: string): string {
  const preview = textPreview(error, PREVIEW_LINES, PREVIEW_CHARS);
  return preview.truncated ? `${preview.text}… (the rest in the attempts table)` : preview.text;
}

function endOf(a: StepAttempt): string {
  const never = unsent(a);
  if (never) return never.end;
  if (!a.completedAt) return `in flight, deadline ${localTime(a.deadlineAt)}`;
  const after = duration(a.dispatchedAt, a.completedAt);
  return a.status === 'ABANDONED' ? `given up after ${after}, when the run was terminated: whether it ran is unknown` : `completed after ${after}`;
}

/** The attempt's number, after the first. */
const labelOf = (a: StepAttempt) => (a.attempt > 1 ? `#${a.attempt}` : '');
/**
 * A timed-out attempt's clock (.to-mark, styles.css): drawn in CSS, as "⏱" needs an emoji font
 * that a server's or a locked-down desktop's browser may lack, and then showed an empty box.
 */
const timedOut = (a: StepAttempt) => a.status === 'TIMED_OUT';
/** The clock's width, with its margin (.to-mark). */
const MARK_PX = 11;
/** Whether the bar is widened to be read: it has a label, or is a voided attempt's outline. */
const widened = (b: TimelineBar) => b.attempt.status === 'VOIDED' || labelOf(b.attempt) !== '' || timedOut(b.attempt);

/** Where a bar goes; one to be read is widened, and pulled back inside the track when it ends the run. */
const place = (b: TimelineBar) => (widened(b)
  ? { left: `min(${b.left}%, 100% - ${LABELLED_MIN_PX}px)`, width: `max(${b.width}%, ${LABELLED_MIN_PX}px)` }
  : { left: `${b.left}%`, width: `${b.width}%` });

/** The same place in pixels of a `trackPx` track, to find where the bar's label is clear of ticks. */
const span = (b: TimelineBar, trackPx: number) => (widened(b)
  ? { left: Math.min(b.left * trackPx / 100, trackPx - LABELLED_MIN_PX), width: Math.max(b.width * trackPx / 100, LABELLED_MIN_PX) }
  : { left: b.left * trackPx / 100, width: b.width * trackPx / 100 });

/** A bar label's font, as .bar sets it (styles.css), to measure labels by: read once per chart, not per bar. */
export const labelFont = () => `10px ${getComputedStyle(document.documentElement).fontFamily}`;

/**
 * One attempt's bar, its label ("#2", and a timed-out one's clock) at whichever end no tick drawn through its row covers
 * (labelSide). `ticks`: where they are, in percent of the track `trackPx` wide; `font`: labelFont's.
 * No tab stop: a chart of thousands of attempts made as many; the attempts table lists them.
 */
export function AttemptBar({ bar, ticks, trackPx, font }: { bar: TimelineBar; ticks: readonly number[]; trackPx: number; font: string }) {
  const a = bar.attempt;
  const label = labelOf(a);
  const mark = timedOut(a);
  const labelPx = (label ? textWidth(label, font) : 0) + (mark ? MARK_PX : 0);
  const title = barTitle(a);
  const side = labelPx ? labelSide(span(bar, trackPx), labelPx, ticks.map((t) => t * trackPx / 100)) : 'start';
  return (
    <span class={`bar b-${a.status.toLowerCase()} ${bar.open ? 'open' : ''} ${side === 'end' ? 'label-end' : ''}`}
      style={{ ...place(bar), top: `${3 + bar.row * ROW_PX}px` }} title={title} aria-label={title}
      data-attempt={`${a.action} ${a.stepName} ${a.attempt}`} data-row={bar.row}>
      {(label || mark) && <span class="bar-label">{label}{mark && <span class="to-mark" data-testid="timed-out-mark" />}</span>}
    </span>
  );
}
