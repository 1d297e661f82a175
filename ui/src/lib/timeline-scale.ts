/** A wait in which nothing ran, drawn narrower than it lasted: `from`/`to` in epoch ms, `left`/`width` in percent. */
export interface TimelineGap { from: number; to: number; left: number; width: number }

/**
 * The timeline's time axis: linear, except that each long wait is cut down to a fixed-width break
 * (as a trace viewer collapses idle time), so that a 10-minute retry backoff does not squash the
 * milliseconds of work around it into slivers. Every stretch outside a break keeps one scale.
 */
export interface TimeScale {
  start: number;
  end: number;
  gaps: TimelineGap[];
  /** Percent of the track per millisecond outside the breaks. */
  perMs: number;
  /** Where an instant falls, in percent of the track. */
  at(t: number): number;
}

/** A wait shorter than this is drawn to scale, however short the work around it. */
const MIN_GAP_MS = 1000;
/** The width of a break, in pixels: room for its length ("9 min 58 s"). */
const GAP_PX = 84;
/** All breaks together never take more than this share of the track, however many there are. */
const MAX_GAPS_SHARE = 0.3;
/**
 * The most breaks cut: the longest waits, the rest drawn to scale. A run of thousands of fast
 * failures each followed by a backoff had a break per retry, each a sliver, and every one drawn.
 */
export const MAX_GAPS = 20;

/**
 * The scale for `spans` (what ran, and instants such as events, as [from, to] in epoch ms) between
 * `start` and `end`, on a track `trackPx` wide. A wait is cut when it lasts longer than all the
 * work together: drawn to scale it would take more of the track than everything that ran.
 */
export function timeScale(spans: [number, number][], start: number, end: number, trackPx: number): TimeScale {
  const busy = merge(spans);
  const work = busy.reduce((sum, [from, to]) => sum + (to - from), 0);
  const long = busy.slice(1).map(([from], i) => [busy[i][1], from] as const)
    .filter(([from, to]) => to - from >= MIN_GAP_MS && to - from > work);
  const waits = long.length > MAX_GAPS ? longest(long, MAX_GAPS) : long;
  const gapWidth = waits.length ? Math.min(GAP_PX / trackPx, MAX_GAPS_SHARE / waits.length) * 100 : 0;
  const cut = waits.reduce((sum, [from, to]) => sum + (to - from), 0);
  const perMs = (100 - gapWidth * waits.length) / Math.max(end - start - cut, 1);
  const gaps: TimelineGap[] = [];
  let shifted = 0;
  for (const [from, to] of waits) {
    gaps.push({ from, to, left: (from - start - shifted) * perMs + gaps.length * gapWidth, width: gapWidth });
    shifted += to - from;
  }
  const at = (t: number) => {
    const before = lastGapBefore(gaps, t);
    if (!before) return (t - start) * perMs;
    if (t < before.to) return before.left + ((t - before.from) / (before.to - before.from)) * before.width;
    return before.left + before.width + (t - before.to) * perMs;
  };
  return { start, end, gaps, perMs, at };
}

/** The `n` longest waits, back in time order. */
function longest(waits: (readonly [number, number])[], n: number): (readonly [number, number])[] {
  return [...waits].sort((a, b) => (b[1] - b[0]) - (a[1] - a[0]) || a[0] - b[0]).slice(0, n).sort((a, b) => a[0] - b[0]);
}

/** Overlapping and touching spans joined, in time order. */
function merge(spans: [number, number][]): [number, number][] {
  const out: [number, number][] = [];
  for (const [from, to] of [...spans].sort((a, b) => a[0] - b[0])) {
    const last = out[out.length - 1];
    if (last && from <= last[1]) last[1] = Math.max(last[1], to);
    else out.push([from, to]);
  }
  return out;
}

/** The last gap that starts at or before `t` (binary search: a run can have thousands of attempts). */
function lastGapBefore(gaps: TimelineGap[], t: number): TimelineGap | undefined {
  let lo = 0;
  let hi = gaps.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (gaps[mid].from <= t) lo = mid + 1;
    else hi = mid;
  }
  return gaps[lo - 1];
}
