import { performance } from 'node:perf_hooks';

/** A run's terminal status event as the benchmark process received it. */
export interface RunEnd {
  flowId: string;
  correlationId: string;
  status: string;
  /** performance.now() in this process when the event arrived. */
  at: number;
}

/**
 * Matches terminal status events to the runs that wait for them, by correlation id: the caller
 * chooses it (X-Correlation-ID) before sending the request, so an event that overtakes the 202
 * response still finds its run.
 */
export class RunTracker {
  private readonly waiting = new Map<string, (end: RunEnd) => void>();
  private readonly early = new Map<string, RunEnd>();
  readonly counts = new Map<string, number>();

  /** Called by the observer for every terminal event. */
  ended(event: Omit<RunEnd, 'at'>): void {
    const end = { ...event, at: performance.now() };
    this.counts.set(end.status, (this.counts.get(end.status) ?? 0) + 1);
    const resolve = this.waiting.get(end.correlationId);
    if (resolve) {
      this.waiting.delete(end.correlationId);
      resolve(end);
    } else {
      this.early.set(end.correlationId, end);
    }
  }

  /** Resolves when the run with this correlation id ends; call before or after starting it. */
  expect(correlationId: string): Promise<RunEnd> {
    const end = this.early.get(correlationId);
    if (end) {
      this.early.delete(correlationId);
      return Promise.resolve(end);
    }
    return new Promise((resolve) => this.waiting.set(correlationId, resolve));
  }

  /** Stops waiting for a run (its start failed, or the phase gave up on it). */
  forget(correlationId: string): void {
    this.waiting.delete(correlationId);
    this.early.delete(correlationId);
  }

  get pending(): number {
    return this.waiting.size;
  }

  completed(status = 'COMPLETED'): number {
    return this.counts.get(status) ?? 0;
  }
}
