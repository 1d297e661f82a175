import type { RunSummary } from '../api/types';
import { serverNow } from './server-clock';
import { duration } from './time';

/** A run's Duration as the runs list shows it; `open` while the run has not finished, `title` saying what its value is then. */
export interface RunDuration { text: string; open: boolean; title?: string }

/**
 * How long a run took; while it has not finished (no `finishedAt`: running, waiting, paused),
 * how long it has taken so far, said as such: a bare "10.2 s" reads as the whole of it, and a run
 * still waiting for a worker would look done.
 */
export function runDuration(run: Pick<RunSummary, 'createdAt' | 'finishedAt'>, now = serverNow()): RunDuration {
  const took = duration(run.createdAt, run.finishedAt, now);
  if (run.finishedAt) return { text: took, open: false };
  // A run created after now (the skew left within SKEW_MS) gives no span at all: "– so far" would say no more than "–".
  return { text: took === '–' ? took : `${took} so far`, open: true, title: 'Not finished yet: the time since the run was created' };
}
