import { serverNow } from './server-clock';

/**
 * How the console writes a time of day, everywhere: as the browser's locale does (12- or 24-hour),
 * with seconds. One setting, so that a notice's "last answer at" reads like the times in the tables.
 */
const TIME_OF_DAY = { timeStyle: 'medium' } as const;

/** Local time for reading; the UTC value goes in the title (hover). */
export function localTime(iso: string | null | undefined): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'short', ...TIME_OF_DAY });
}

export function utcTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' UTC');
}

/** The time of day only (`1:36:02 PM`, `13:36:02`), local: for "as of" notes about something seen moments ago. */
export function clockTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, TIME_OF_DAY);
}

/** The span between two instants (to now by Baton's clock, without an end), as `durationMs` writes it. */
export function duration(fromIso: string, toIso: string | null, now = serverNow()): string {
  return durationMs((toIso ? Date.parse(toIso) : now) - Date.parse(fromIso));
}

/**
 * A span in its two largest units. It is rounded to what is shown before it is split, so that
 * 59.96 s reads "1 min 0 s", not "60.0 s", and 6 min 59.6 s "7 min 0 s", not "6 min 60 s".
 */
export function durationMs(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '–';
  if (ms < 1000) return `${ms} ms`;
  const tenths = Math.round(ms / 100);
  if (tenths < 600) return `${(tenths / 10).toFixed(1)} s`;
  const seconds = Math.round(ms / 1000);
  if (seconds < 3600) return `${Math.floor(seconds / 60)} min ${seconds % 60} s`;
  const minutes = Math.round(ms / 60_000);
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

/** `<input type="datetime-local">` value (local) to an ISO instant, or undefined. */
export function fromLocalInput(value: string): string | undefined {
  if (!value) return undefined;
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? undefined : d.toISOString();
}

/** An ISO instant as a `datetime-local` value in the browser's zone. */
export function toLocalInput(iso: string): string {
  const d = new Date(iso);
  if (!iso || Number.isNaN(d.getTime())) return '';
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
}
