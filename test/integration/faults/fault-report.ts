import { appendFileSync } from 'node:fs';
import type { CrashFigures } from '../crash/crash-checks';

export const log = (line: string) => process.stdout.write(`[faults] ${line}\n`);

/** What every scenario prints (and appends to FAULT_FIGURES_FILE for the CI summary). */
export interface FaultFigures {
  accepted: number;
  completed: number;
  compensated: number;
  lost: number;
  stuck: number;
  /** Steps the worker ran again as a new attempt although it had run and answered an earlier one. */
  doubleExecuted: number;
  /** Attempts recorded whose command never reached the worker (nor stayed in the outbox). */
  lostInTransit: number;
  /** Commands a worker received after their attempt had timed out. */
  staleCommands: number;
  /** Commands dropped unpublished because their attempt had already timed out. */
  expiredDropped: number;
  serverErrors: number;
  /** Steps sent again as a new attempt after a timeout, and how many of those the scenario forced (lossy runs). */
  resentAfterTimeout: number;
  forcedResends: number;
  /** Commands the broker delivered again with the same commandId (at least once): the worker's store answers them. */
  redelivered: number;
  /** Start requests the load generator sent again after a refused or unanswered one. */
  startRetries: number;
  /** Server or engine down → engine healthy again, per restart, in ms. */
  restartMs: number[];
  /** CPU the restarted engine used until healthy, per engine restart, in ms. */
  restartCpuMs: number[];
  /** Server back → outbox empty, per restart, in ms. */
  drainMs: number[];
}

export function figuresOf(c: CrashFigures, extra: Partial<FaultFigures> = {}): FaultFigures {
  return {
    accepted: c.accepted, completed: c.completed, compensated: c.compensated, lost: c.lost, stuck: c.stuck,
    doubleExecuted: c.doubleExecuted, lostInTransit: c.lostInTransit, staleCommands: c.staleDeliveries, expiredDropped: c.expiredCommands,
    serverErrors: c.serverErrors, resentAfterTimeout: c.reexecutedAfterTimeout, forcedResends: c.lossy, redelivered: c.duplicatedEffects, startRetries: c.startRetries, restartMs: c.restartMs, restartCpuMs: c.restartCpuMs, drainMs: [], ...extra,
  };
}

const seconds = (ms: number[]) => (ms.length === 0 ? '-' : ms.map((v) => (v / 1000).toFixed(1)).join(', '));

export function reportFigures(scenario: string, f: FaultFigures): void {
  const line = `${scenario}: accepted ${f.accepted} / completed ${f.completed} / compensated ${f.compensated} / lost ${f.lost} / `
    + `stuck ${f.stuck} / double-executed ${f.doubleExecuted} / lost in transit ${f.lostInTransit} / stale commands ${f.staleCommands} / expired commands dropped ${f.expiredDropped} / 500s ${f.serverErrors} / `
    + `re-sent after a timeout ${f.resentAfterTimeout} (${f.forcedResends} forced) / redelivered ${f.redelivered} / start retries ${f.startRetries} / `
    + `restart ${seconds(f.restartMs)} s${f.restartCpuMs.length > 0 ? ` (CPU ${seconds(f.restartCpuMs)} s)` : ''} / drain ${seconds(f.drainMs)} s`;
  recordLine(line);
}

/** Prints a figures line and appends it to FAULT_FIGURES_FILE (the CI summary shows that file). */
export function recordLine(line: string): void {
  log(line);
  if (process.env.FAULT_FIGURES_FILE) appendFileSync(process.env.FAULT_FIGURES_FILE, `${line}\n`);
}
