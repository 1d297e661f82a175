import { Transform } from 'class-transformer';

/** Template, step and service names: the length of the columns that hold them. */
export const MAX_NAME_LENGTH = 200;

/**
 * Query strings arrive as text. Only plain decimal digits, with an optional minus sign, become
 * numbers (so `-1` is refused by its range, as "less than 1"): `1e300`, `0x10`, `1.0` and ` 7` stay
 * text and fail @IsInt, so no exponent can smuggle a huge offset into SQL.
 */
export const ToStrictInt = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' && /^-?[0-9]{1,15}$/.test(value) ? Number(value) : value));

const BOOLEAN_SPELLINGS: ReadonlyMap<unknown, boolean> = new Map([['true', true], ['1', true], ['false', false], ['0', false]]);

/**
 * The one rule for boolean query flags: `true` or `1`, `false` or `0`. Anything else (`yes`, `TRUE`,
 * a repeated flag) stays as given and fails @IsBoolean, so a typo is a 400, never a silent default.
 */
export const ToBoolean = () =>
  Transform(({ value }: { value: unknown }) => BOOLEAN_SPELLINGS.get(value) ?? value);

/*
 * ISO 8601 dates with a four-digit year (0001 to 9999): well inside PostgreSQL's timestamptz range
 * (4713 BC to 294276 AD), and what clients send. Date-only, or date and time with an optional
 * fraction and offset (group 8).
 */
const ISO_DATE = /^(\d{4})-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])(T([01]\d|2[0-3]):[0-5]\d(:[0-5]\d(\.\d{1,9})?)?(Z|[+-]([01]\d|2[0-3]):?[0-5]\d)?)?$/;

export const ISO_DATE_MESSAGE = '$property must be an ISO 8601 date or date-time with a year from 0001 to 9999';

/** How such a date is read, for the descriptions of the fields that take one. */
export const ISO_DATE_RULE = 'ISO 8601, a year from 0001 to 9999; a date, or a date-time without an offset, is UTC';

/**
 * A valid ISO 8601 date in range becomes a Date; anything else stays as given and fails @IsDate.
 * A date-time without an offset is read as UTC, as a date-only one is (Date reads it in the
 * process's time zone: the same query would mean other instants on differently set hosts).
 */
export const ToIsoDate = () =>
  Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? isoDateOf(value) ?? value : value));

/** The instant an ISO date or date-time names, read as ToIsoDate does; undefined when it is none. */
export function isoDateOf(value: string): Date | undefined {
  const parts = ISO_DATE.exec(value);
  if (!parts || parts[1] === '0000') return undefined;
  const date = new Date(parts[4] && !parts[8] ? `${value}Z` : value);
  return Number.isNaN(date.getTime()) || !isCalendarDate(value) ? undefined : date;
}

/**
 * Date parses 2026-02-31 as March 3rd, with or without a time, so the day is checked against its
 * month as written (an offset may move the UTC date, never the written one). setUTCFullYear, unlike
 * Date.UTC, does not read years 0001-0099 as 19xx.
 */
function isCalendarDate(value: string): boolean {
  const [year, month, day] = [value.slice(0, 4), value.slice(5, 7), value.slice(8, 10)].map(Number);
  const date = new Date(0);
  date.setUTCFullYear(year, month - 1, day);
  return date.getUTCDate() === day;
}
