import type { RunChanges } from './run-changes';
import type { WriteResult } from './run.repository';

/** A command a written transition meant to drop but did not, as a warning: what it concerns, and what became of it. */
export interface LostVoid {
  fields: Record<string, unknown>;
  message: string;
}

/**
 * What a written transition meant to drop but did not: a command that went out in the instant
 * between the write's check and its update (void-statement). A retry to void is then in flight
 * after all (or abandoned, on a terminated run). A retry to withdraw (a late reply completed its
 * attempt) went out with its attempt complete: its worker runs the step again, and its reply is
 * ignored. Either way the copy of the run the transition leaves is wrong about it. Empty when
 * nothing was lost.
 */
export function lostVoids(changes: Pick<RunChanges, 'voided' | 'withdrawn' | 'completion'>, written: Pick<WriteResult, 'voided' | 'withdrawn'>):
  LostVoid[] {
  const lost: LostVoid[] = [];
  if (changes.voided && written.voided !== changes.voided.commandIds.length) {
    lost.push({ fields: {}, message: 'a retry to void was sent meanwhile: it stays in flight, or is abandoned if the run was terminated' });
  }
  const c = changes.completion;
  if (changes.withdrawn && written.withdrawn !== true) {
    lost.push({
      fields: { step: c?.stepName, action: c?.action, attempt: c?.attempt, commandId: changes.withdrawn },
      message: 'a retry to withdraw was sent meanwhile: its attempt is complete, and its worker runs the step again (its reply is ignored)',
    });
  }
  return lost;
}
