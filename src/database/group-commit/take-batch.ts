/**
 * Removes from the head of `queue`, in order, up to `max` items whose keys no item taken before
 * it holds, and returns them. An item that shares a key with one already taken stays queued, in
 * its place, for a later batch: two writes of one run in one statement would update the same
 * row twice, which PostgreSQL does not order.
 */
export function takeBatch<T>(queue: T[], max: number, keysOf: (item: T) => readonly string[]): T[] {
  const taken: T[] = [];
  const held = new Set<string>();
  let kept = 0;
  for (let i = 0; i < queue.length; i++) {
    const item = queue[i];
    const keys = keysOf(item);
    if (taken.length < max && !keys.some((k) => held.has(k))) {
      taken.push(item);
      for (const k of keys) held.add(k);
    } else {
      queue[kept++] = item;
    }
  }
  queue.length = kept;
  return taken;
}
