import { canRetryUndos } from './retry-undos';
import type { RunStatus } from './run-status';

/** What an operator's undo (POST /undo/{flowId}) does to a run in its current state. */
export type UndoVerdict =
  /** Its compensation or undo already ran and some undos failed: each failed undo gets one more attempt. */
  | { kind: 'retry-undos' }
  /** A finished run (COMPLETED, or FAILED and compensated): its succeeded steps are undone and it ends UNDONE or UNDO_FAILED. */
  | { kind: 'undo' }
  /**
   * `reason` finishes "cannot undo it because …". `alreadyDone`: the run is undone or being undone,
   * so a repeated undo (a double click) is answered as done, 202 `changed: false`, as every operator
   * action is; the run's `actions` still offer no undo, there being nothing left to do.
   */
  | { kind: 'refused'; code: 'RUN_NOT_UNDOABLE'; reason: string; alreadyDone?: true };

const UNDOABLE: readonly RunStatus[] = ['COMPLETED', 'FAILED'];
/** Where an operator's undo has taken the run already: only an undo puts a run there. */
const UNDONE_OR_UNDOING: readonly RunStatus[] = ['UNDOING', 'UNDONE'];

/** Why a run in each state that takes no undo refuses it; every other unfinished state is "still running". */
const REFUSED: Partial<Record<RunStatus, string>> = {
  UNDONE: 'it is already undone or being undone',
  UNDOING: 'it is already undone or being undone',
  EXPIRED: 'it never started',
  TERMINATED: 'it was terminated with its effects left in place',
};

/**
 * Whether a run may be undone by an operator, and how. Only a run that has ended can be: undoing
 * one still running would race its own steps (an operator terminates or compensates it instead).
 * The executor applies it (requestUndo) and the run's `actions` list reports it, so a console
 * offers undo exactly when the API accepts it.
 */
export function decideUndo(status: RunStatus): UndoVerdict {
  if (canRetryUndos(status)) return { kind: 'retry-undos' };
  if (UNDOABLE.includes(status)) return { kind: 'undo' };
  const refused = { kind: 'refused', code: 'RUN_NOT_UNDOABLE', reason: REFUSED[status] ?? 'it is still running' } as const;
  return UNDONE_OR_UNDOING.includes(status) ? { ...refused, alreadyDone: true } : refused;
}

/** A refused undo in words: `subject` names the run ("Run <flowId>" in an error, "the run" beside a button). */
export const undoRefusal = (subject: string, status: RunStatus, reason: string): string =>
  `${subject} is ${status}: cannot undo it because ${reason}`;
