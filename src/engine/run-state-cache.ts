import { Injectable } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { isTerminal } from './core/run-status';
import type { RunState } from './run-changes';

/** Enough for every run in flight at the throughput one engine reaches; the least recently used go first. */
const MAX_RUNS = 20_000;
/** Payloads may be up to BODY_LIMIT_BYTES each: the cache is bounded by their size too. */
const MAX_BYTES = 64 * 1024 * 1024;
/** What a run costs besides its payload, per attempt (step outputs are usually small). */
const ATTEMPT_BYTES = 1024;

const sizeOf = (run: RunState) => run.payload.length + ATTEMPT_BYTES * (1 + run.attempts.length);

/**
 * The state of the runs this process wrote last, so that their next event needs no read. Safe
 * because every write is guarded by the version it read: if another instance (or anything else)
 * wrote the run since, the write fails and the executor reads the run again. Terminal runs are
 * not kept: late replies and undo requests for them read the database.
 */
@Injectable()
export class RunStateCache {
  private readonly runs = new LRUCache<string, RunState>({ max: MAX_RUNS, maxSize: MAX_BYTES, sizeCalculation: sizeOf });

  /** A copy: a transition changes the run it decides on, and may then lose its race. */
  take(flowId: string): RunState | undefined {
    const run = this.runs.get(flowId);
    return run && { ...run };
  }

  /** Keeps the run as its write left it (version included), as the most recent entry. */
  remember(run: RunState): void {
    if (isTerminal(run.status)) this.forget(run.flowId);
    else this.runs.set(run.flowId, run);
  }

  forget(flowId: string): void {
    // lru-cache's delete() of its last entry clears the whole cache, which sweeps all MAX_RUNS
    // preallocated slots: with one run in flight that was every run's end (2% of the engine's
    // CPU). pop() removes the only entry without the sweep.
    if (this.runs.size === 1 && this.runs.has(flowId)) this.runs.pop();
    else this.runs.delete(flowId);
  }
}
