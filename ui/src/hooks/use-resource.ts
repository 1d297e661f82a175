import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { ApiError } from '../api/client';
import { serverNow } from '../lib/server-clock';

export interface Resource<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  /** When `data` arrived (epoch ms, Baton's clock, as the times it answers): once a reload fails, what is shown is as of then. */
  answeredAt?: number;
  reload: () => void;
}

/** How often to load again: fixed, or from the last good data; undefined loads once. */
export type Interval<T> = number | ((data: T | undefined) => number | undefined) | undefined;

/**
 * When to load again after an answer, if at all. Not after a refusal that asking again will not
 * change (a run that does not exist, a role without access, a bad filter); a timeout or too many
 * requests (408, 429) pass, and a 401 brings the login, whose return mounts the page anew.
 */
export function nextPoll<T>(interval: Interval<T>, data: T | undefined, error: unknown): number | undefined {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500 && error.status !== 408 && error.status !== 429) return undefined;
  return typeof interval === 'function' ? interval(data) : interval;
}

/**
 * Loads from the API when `key` changes and, with `intervalMs`, again after each answer (short
 * polling: one request in flight at a time, paused while the tab is hidden). The last good data
 * stays on screen while a reload fails. Going from no interval to one (or back) loads at once
 * and polls from then on (or stops).
 */
export function useResource<T>(load: () => Promise<T>, key: string, intervalMs?: Interval<T>): Resource<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean; key: string; answeredAt?: number }>({ loading: true, key });
  const [tick, setTick] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  const intervalRef = useRef(intervalMs);
  intervalRef.current = intervalMs;
  const polled = intervalMs !== undefined;
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let last: T | undefined;
    const run = async () => {
      if (document.hidden && last !== undefined) {
        timer = setTimeout(run, 1000);
        return;
      }
      let error: unknown;
      try {
        last = await loadRef.current();
        if (alive) setState({ data: last, loading: false, key, answeredAt: serverNow() });
      } catch (e) {
        error = e;
        if (alive) {
          setState((s) => (s.key === key ? { ...s, error: e as Error, loading: false } : { error: e as Error, loading: false, key }));
        }
      }
      const every = nextPoll(intervalRef.current, last, error);
      if (alive && every) timer = setTimeout(run, every);
    };
    setState((s) => (s.key === key ? { ...s, loading: true } : { loading: true, key }));
    void run();
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [key, tick, polled]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: state.error, loading: state.loading, answeredAt: current ? state.answeredAt : undefined, reload };
}
