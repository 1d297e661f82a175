import { useLocation } from 'wouter-preact';
// The address bar's search as it is: wouter's own useSearch() decodeURI()s it first, and
// URLSearchParams then decodes it again, so a filter `ab%41c` came back as `abAc`.
import { useSearch as useRawSearch } from 'wouter-preact/use-browser-location';

/** The values of `keys` in a search string as the address bar holds it (`?a=1&b=x`), '' for those absent. */
export function queryValues<K extends string>(rawSearch: string, keys: readonly K[]): Record<K, string> {
  const params = new URLSearchParams(rawSearch);
  return Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
}

/** The search string (`a=1&b=x`, no `?`) of `values` changed by `next`, in the order of `keys`, without the empty ones. */
export function mergedSearch<K extends string>(keys: readonly K[], values: Record<K, string>, next: Partial<Record<K, string>>): string {
  const merged = new URLSearchParams();
  for (const k of keys) {
    const v = k in next ? next[k] : values[k];
    if (v) merged.set(k, v);
  }
  return merged.toString();
}

/** How a change goes into the browser's history: `replace` overwrites the current entry (a text filter while it is typed). */
export interface QueryChange { replace?: boolean }

/**
 * Filters and the page number live in the URL, so a filtered list is a link to share and the
 * back button restores it. A discrete change (a select, a page) is a history entry of its own; a
 * text filter's later values while it is typed replace its first (FilterInput), so that Back
 * goes to the list before the typing, not to each word typed. A change to what the URL already
 * says adds nothing.
 */
export function useQueryState<K extends string>(keys: readonly K[]): [Record<K, string>, (next: Partial<Record<K, string>>, how?: QueryChange) => void] {
  const raw = useRawSearch();
  const values = queryValues(raw, keys);
  const [location, navigate] = useLocation();
  const set = (next: Partial<Record<K, string>>, how: QueryChange = {}) => {
    const s = mergedSearch(keys, values, next);
    if (s === mergedSearch(keys, values, {})) return;
    navigate(s ? `${location}?${s}` : location, { replace: how.replace ?? false });
  };
  return [values, set];
}
