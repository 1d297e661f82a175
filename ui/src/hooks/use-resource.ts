import { useCallback, useEffect, useRef, useState } from 'preact/hooks';

export interface Resource<T> { data?: T; error?: Error; loading: boolean; reload: () => void }

/**
 * Loads from the API when `key` changes and, with `intervalMs`, again after each answer (short
 * polling: one request in flight at a time, paused while the tab is hidden). The last good data
 * stays on screen while a reload fails.
 */
export function useResource<T>(load: () => Promise<T>, key: string, intervalMs?: number | ((data: T | undefined) => number | undefined)): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; key: string }>({ loading: true, key });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | undefined;
    const run = async () => {
      if (document.hidden && last !== undefined) {
        timer = setTimeout(run, 1000);
        return;
      }
      try {
        last = await loadRef.current();
        if (alive) setState({ data: last, loading: false, key });
      } catch (e) {
        if (alive) setState((s) => ({ data: s.key === key ? s.data : undefined, error: e as Error, loading: false, key }));
      }
      const every = typeof intervalMs === 'function' ? intervalMs(last) : intervalMs;
      if (alive && every) timer = setTimeout(run, every);
    };
    setState((s) => (s.key === key ? { ...s, loading: true } : { loading: true, key }));
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [key, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { data: state.key === key ? state.data : undefined, error: state.error, loading: state.loading, reload };
}
