/**
 * The highest page Baton serves (MAX_PAGE in its src/common/pagination.ts): a higher one is
 * refused with a 400. Copied, not imported: the console knows Baton only through its API, whose
 * schema states it as every list's `page` maximum (test/e2e/console-api-types.e2e-spec.ts checks
 * the copy against it).
 */
export const MAX_PAGE = 1_000_000;

/** The page a list's URL asks for: a whole number from 1 to MAX_PAGE, 1 for anything else (none, `abc`, `0`, `2.5`). */
export function pageOfQuery(raw: string): number {
  if (!/^\d+$/.test(raw)) return 1;
  return Math.min(Math.max(Number(raw), 1), MAX_PAGE);
}

/** Where a pager can go from `page`: each destination a page number, or null where there is nowhere to go. */
export interface Pages {
  page: number;
  /** How many pages the total makes (at least 1, for an empty list). */
  count: number;
  /** The last page that can be opened: the last one, or MAX_PAGE when there are more. */
  last: number;
  first: number | null;
  previous: number | null;
  next: number | null;
  toLast: number | null;
  /** How many items lie past MAX_PAGE, which no page can show. */
  unreachable: number;
}

/**
 * The pager's arithmetic. A page past the end (a link kept while the list shrank) goes back to
 * the last page, not to the one before it, which would be empty too.
 */
export function pagesOf(page: number, pageSize: number, total: number): Pages {
  const count = Math.max(1, Math.ceil(total / pageSize));
  const last = Math.min(count, MAX_PAGE);
  return {
    page, count, last,
    first: page > 1 ? 1 : null,
    previous: page > 1 ? Math.min(page - 1, last) : null,
    next: page < last ? page + 1 : null,
    toLast: page !== last ? last : null,
    unreachable: Math.max(0, total - MAX_PAGE * pageSize),
  };
}

/**
 * The page a typed number asks for, within 1..last (an 8 on a list of 5 pages opens the fifth),
 * or null for what is no whole number. Digit grouping (`1,000` `1 000` `1'000`) is allowed.
 */
export function pageTarget(input: string, last: number): number | null {
  const digits = input.trim().replace(/[\s,'’_]/g, '');
  if (!/^\d+$/.test(digits)) return null;
  return Math.min(Math.max(Number(digits), 1), last);
}

/** What one item and several are called (`['run', 'runs']`). */
export type Noun = readonly [string, string];

const count = (n: number, noun: Noun, locale?: string) => `${n.toLocaleString(locale)} ${n === 1 ? noun[0] : noun[1]}`;

/** `Page 2 of 5 (101 runs)`. */
export const pageSummary = (p: Pages, total: number, noun: Noun, locale?: string): string =>
  `Page ${p.page.toLocaleString(locale)} of ${p.count.toLocaleString(locale)} (${count(total, noun, locale)})`;

export const FILTER_TO_REACH = 'Filter the list to reach them.';

/**
 * What a list too long for Baton's pages says about the rest, and how to reach it (`how`: a list
 * that can be reversed says so too), or null when every page opens.
 */
export function beyondNote(p: Pages, noun: Noun, how = FILTER_TO_REACH, locale?: string): string | null {
  if (p.unreachable === 0) return null;
  const rest = `${count(p.unreachable, noun, locale)} ${p.unreachable === 1 ? 'is' : 'are'}`;
  return `Baton serves pages 1 to ${MAX_PAGE.toLocaleString(locale)} only: the last ${rest} on no page. ${how}`;
}
