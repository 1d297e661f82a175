import { durationMs } from './time';

/** The run detail's deadline fields; each null when the run has none (or, for the seconds left, once it finished). */
export interface RunDeadline {
  deadlineAt?: string | null;
  onDeadline?: string | null;
  deadlineRemainingSeconds?: number | null;
}

/** What passing the deadline does to an unfinished run, as the engine applies it (deadlineVerdict). */
const EFFECT: Record<string, string> = {
  compensate: 'then the run is compensated (its succeeded steps undone)',
  pause: 'then a running run is paused',
  alert: 'then Baton only reports it (on the run status topic)',
};

/**
 * How far the deadline is, from the seconds the API counted when it answered ("in 12 min 0 s",
 * "passed 3 min 4 s ago"), and what passing it does; null when the run has no deadline. On a
 * finished run the API counts nothing: its deadline no longer applies.
 */
export function deadlineNote(run: RunDeadline): { at: string; when: string | null; effect: string | null } | null {
  if (!run.deadlineAt) return null;
  const left = run.deadlineRemainingSeconds;
  const when = left === null || left === undefined ? null
    : left >= 0 ? `in ${durationMs(left * 1000)}` : `passed ${durationMs(-left * 1000)} ago`;
  const effect = when === null ? null : run.onDeadline ? (EFFECT[run.onDeadline] ?? `then ${run.onDeadline}`) : null;
  return { at: run.deadlineAt, when, effect };
}
