/** How long a health probe or a scrape waits for the database before it counts it down. */
export const DATABASE_PROBE_MS = 1_000;

/** Resolves to what `read` gives within DATABASE_PROBE_MS, else undefined (a hung database must not hang the probe past its timeout). */
export async function withinProbe<T>(read: () => Promise<T>): Promise<T | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => { timer = setTimeout(() => resolve(undefined), DATABASE_PROBE_MS); });
  try {
    return await Promise.race([read().catch(() => undefined), late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * `read`, one at a time: the callers that come while it is in flight, and for `keepMs` after it
 * ended, share it (several Prometheus servers, the two gauges of one query, every load balancer's
 * probe). Each caller waits for it at most DATABASE_PROBE_MS: undefined if it failed or took
 * longer. A read the database holds (no free connection in the pool, an outage) is not asked
 * again until it ends, so probes every few seconds do not queue a statement each behind it.
 */
export function sharedRead<T>(read: () => Promise<T>, keepMs = 0): () => Promise<T | undefined> {
  let current: Promise<T | undefined> | undefined;
  let endedAt: number | undefined;
  return () => {
    if (!current || (endedAt !== undefined && Date.now() - endedAt >= keepMs)) {
      const started = read().catch(() => undefined);
      current = started;
      endedAt = undefined;
      void started.then(() => { if (current === started) endedAt = Date.now(); });
    }
    const shared = current;
    return withinProbe(() => shared);
  };
}
