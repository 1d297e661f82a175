import { localTime, utcTime } from '../lib/time';

/** Local time on screen, UTC on hover. */
export function Time({ at }: { at: string | null | undefined }) {
  if (!at) return <span class="muted">–</span>;
  return <time dateTime={at} title={utcTime(at)}>{localTime(at)}</time>;
}
