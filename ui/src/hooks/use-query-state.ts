import { useLocation, useSearch } from 'wouter-preact';

/**
 * Filters and the page number live in the URL, so a filtered list is a link to share and the
 * back button restores it.
 */
export function useQueryState<K extends string>(keys: readonly K[]): [Record<K, string>, (next: Partial<Record<K, string>>) => void] {
  const search = useSearch();
  const [location, navigate] = useLocation();
  const params = new URLSearchParams(search);
  const values = Object.fromEntries(keys.map((k) => [k, params.get(k) ?? ''])) as Record<K, string>;
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
