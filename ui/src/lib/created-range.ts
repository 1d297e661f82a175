import type { Noun } from './paging';

/**
 * Why a from/to pair of a list's creation-time filter matches nothing, or null. Baton lists what
 * was created at or after `from` and before `to` (exclusive, so that adjacent ranges never share a
 * row), so a `to` equal to `from` holds nothing either. `noun` names what the list holds.
 */
export function rangeProblem(from: string, to: string, [one, many]: Noun): string | null {
  if (!from || !to) return null;
  const start = Date.parse(from);
  const end = Date.parse(to);
  // An unreadable time (NaN) compares false both ways: Baton says what is wrong with it.
  if (end < start) return `“to” is before “from”: no ${one} can match. Swap them or clear one.`;
  if (end === start) return `“to” is “from”, and ${many} are listed up to “to”, not at it: no ${one} can match. Swap them or clear one.`;
  return null;
}
