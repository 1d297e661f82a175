import type { OutboxRecord } from './outbox.service';

const FAST_PATH_BATCH = 1000;

/** Rows handed to the fast path by one publishNow call, and what to call once they are settled. */
export interface HandedOver {
  records: OutboxRecord[];
  done: () => void;
}

/** One publish of the fast path: its calls, their rows to publish, and the commands past their attempt deadline. */
export interface FastPathBatch {
  calls: HandedOver[];
  live: OutboxRecord[];
  expired: string[];
}

/**
 * Takes the next batch off `queued` (not empty): the oldest call, and those after it, in order,
 * while the batch stays within FAST_PATH_BATCH rows. A command whose deadline is past at `now` is
 * void: dropped, never published.
 */
export function takeBatch(queued: HandedOver[], now: number): FastPathBatch {
  const calls = queued.splice(0, 1);
  let count = calls[0].records.length;
  while (queued.length > 0 && count + queued[0].records.length <= FAST_PATH_BATCH) {
    count += queued[0].records.length;
    calls.push(queued.shift()!);
  }
  const live: OutboxRecord[] = [];
  const expired: string[] = [];
  for (const call of calls) {
    for (const r of call.records) {
      if (!r.expiresAt || r.expiresAt.getTime() > now) live.push(r);
      else expired.push(r.id);
    }
  }
  return { calls, live, expired };
}

/** The lowest id of `records` and `lowest` (the lowest handed over before, if any). */
export function lowestId(records: OutboxRecord[], lowest?: number): number | undefined {
  for (const r of records) {
    const id = Number(r.id); // exact below 2^53: nine quadrillion rows
    if (lowest === undefined || id < lowest) lowest = id;
  }
  return lowest;
}
