import type { ActionName } from './run-actions';

/**
 * The statuses each action is allowed on, for an engine that does not say (older engines send
 * neither `actions` nor `allowedActions`): the engine's own rules (decideOperatorAction, and
 * requestUndo for undo), so that the console never offers what the API refuses. Retry and skip
 * also need a failed step (actionableSteps), and resume none: the engine has it retried, skipped
 * or compensated first.
 */
export const ALLOWED_ON: Record<ActionName, readonly string[]> = {
  // A finished run, or one whose compensation or undo failed: each failed undo gets one more attempt.
  undo: ['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDO_FAILED'],
  retry: ['RUNNING', 'PAUSED'],
  skip: ['RUNNING', 'PAUSED'],
  pause: ['RUNNING'],
  resume: ['PAUSED'],
  // Only on request of a PAUSED run: a RUNNING one is paused first, or terminated with its undo.
  compensate: ['PAUSED'],
  // Not a run being undone; a COMPENSATING one only with compensate=false (terminateChoices).
  terminate: ['WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED', 'COMPENSATING'],
};
