import { Injectable } from '@nestjs/common';
import { isTerminal } from './core/run-status';
import type { RunState } from './run-changes';

/** Enough for every run in flight at the throughput one engine reaches; older entries are dropped first. */
const MAX_RUNS = 20_000;

/**
 * The state of the runs this process wrote last, so that their next event needs no read. Safe
 * because every write is guarded by the version it read: if another instance (or anything else)
 * wrote the run since, the write fails and the executor reads the run again. Terminal runs are
 * not kept: late replies and undo requests for them read the database.
 */
@Injectable()
export class RunStateCache {
  private readonly runs = new Map<string, RunState>();

  /** A copy: a transition changes the run it decides on, and may then lose its race. */
  take(flowId: string): RunState | undefined {
    const run = this.runs.get(flowId);
    return run && { ...run };
  }

  /** Keeps the run as its write left it (version included). */
  remember(run: RunState): void {
    this.runs.delete(run.flowId);
    if (isTerminal(run.status)) return;
    this.runs.set(run.flowId, run);
    if (this.runs.size > MAX_RUNS) this.runs.delete(this.runs.keys().next().value!);
  }

  forget(flowId: string): void {
    this.runs.delete(flowId);
  }
}
