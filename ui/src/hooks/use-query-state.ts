import { useLocation } from 'wouter-preact';
// The address bar's search as it is: wouter's own useSearch() decodeURI()s it first, and
// URLSearchParams then decodes it again, so a filter `ab%41c` came back as `abAc`.
import { useSearch as useRawSearch } from 'wouter-preact/use-browser-location';

/** The values of `keys` in a search string as the address bar holds it (`?a=1&b=x`), '' for those absent. */
export function queryValues<K extends string>(rawSearch: string, keys: readonly K[]): Record<K, string> {
  const params = new URLSearchParams(rawSearch);
  return Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
}

/**
 * Filters and the page number live in the URL, so a filtered list is a link to share and the
 * back button restores it.
 */
export function useQueryState<K extends string>(keys: readonly K[]): [Record<K, string>, (next: Partial<Record<K, string>>) => void] {
  const values = queryValues(useRawSearch(), keys);
  const [location, navigate] = useLocation();
  const set = (next: Partial<Record<K, string>>) => {
    const merged = new URLSearchParams();
    for (const k of keys) {
      const v = k in next ? next[k] : values[k];
      if (v) merged.set(k, v);
    }
    const s = merged.toString();
    navigate(s ? `${location}?${s}` : location);
  };
  return [values, set];
}
