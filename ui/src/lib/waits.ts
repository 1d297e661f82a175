import type { RunSummary } from '../api/types';

/** One thing a run waits for, its time kept apart so that the page shows it in local time (UTC on hover). */
export interface WaitPart {
  what: string;
  time?: { label: 'deadline' | 'retry due'; at: string };
}

/** From the structured `waits`; an older engine sends only the `waitingFor` text, shown as it is. */
export function waitParts(run: Pick<RunSummary, 'waits' | 'waitingFor'>): WaitPart[] {
  if (!run.waits) return run.waitingFor ? [{ what: run.waitingFor }] : [];
  return run.waits.map((w): WaitPart => {
    if (w.retryAt) return { what: w.what, time: { label: 'retry due', at: w.retryAt } };
    if (w.deadlineAt) return { what: w.what, time: { label: 'deadline', at: w.deadlineAt } };
    return { what: w.what };
  });
}
