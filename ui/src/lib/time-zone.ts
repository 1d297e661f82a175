/**
 * The zone the console's times are in, said where they are listed: `Created (UTC+01:00)`. The
 * times themselves are local (localTime), with UTC on hover; without the zone, a screenshot in a
 * ticket or two people in different offices read the same run at different hours.
 */

/** An offset in minutes east of UTC (+60, +330 in India, -210 in Newfoundland) as `UTC+01:00`, `UTC+05:30`, `UTC-03:30`; `UTC` for none. */
export function offsetLabel(minutes: number): string {
  if (minutes === 0) return 'UTC';
  const abs = Math.abs(minutes);
  const p = (n: number) => String(n).padStart(2, '0');
  return `UTC${minutes > 0 ? '+' : '-'}${p(Math.floor(abs / 60))}:${p(abs % 60)}`;
}

const formats = new Map<string, Intl.DateTimeFormat>();
/** The browser's zone's name (`Europe/Berlin`), or the one given. */
export const zoneName = (timeZone?: string): string => new Intl.DateTimeFormat(undefined, { timeZone }).resolvedOptions().timeZone;

/**
 * The offset of `timeZone` (the browser's, by default) at an instant, in minutes east of UTC, as
 * Intl computes it (`GMT+05:30`): it differs from one instant to another across a summer time change.
 */
export function zoneOffset(at: Date, timeZone?: string): number {
  const key = timeZone ?? '';
  let format = formats.get(key);
  if (!format) formats.set(key, format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' }));
  const name = format.formatToParts(at).find((part) => part.type === 'timeZoneName')?.value ?? '';
  const m = /^GMT([+\-\u2212])(\d{1,2})(?::?(\d\d))?$/.exec(name);
  if (!m) return 0; // `GMT`: UTC itself (`GMT+00:00` in some versions of ICU)
  return (m[1] === '+' ? 1 : -1) * (Number(m[2]) * 60 + Number(m[3] ?? 0)) || 0;
}

/**
 * The offsets of the instants listed, each once, in order (`UTC+01:00 / UTC+02:00` for a page
 * across a summer time change), or now's when none is. `offsetOf` stands in for the zone in tests.
 */
export function listedZone(instants: ReadonlyArray<string | null | undefined>, offsetOf: (at: Date) => number = (at) => zoneOffset(at), now = new Date()): string {
  const dates = instants.flatMap((iso) => {
    const d = iso ? new Date(iso) : null;
    return d && !Number.isNaN(d.getTime()) ? [d] : [];
  });
  const offsets = [...new Set((dates.length ? dates : [now]).map(offsetOf))].sort((a, b) => a - b);
  return offsets.map(offsetLabel).join(' / ');
}

/** A column of times' header and its tooltip: `Created (UTC+01:00)`, and the zone's name. */
export function zoneHead(head: string, instants: ReadonlyArray<string | null | undefined>, offsetOf?: (at: Date) => number, name = zoneName()):
  { text: string; title: string } {
  const zone = listedZone(instants, offsetOf);
  // A browser set to UTC says so once, not "UTC, UTC".
  const where = name === zone ? zone : `${name}, ${zone}`;
  return { text: `${head} (${zone})`, title: `Local time: ${where}. Hover over a time to see it in UTC.` };
}
