import type { ClassifiedStatus } from '../job-phase';

export const OO_RESULT_TYPES = ['RESOLVED', 'DIAGNOSED', 'NO_ACTION_TAKEN', 'ERROR'] as const;
export type OoResultType = (typeof OO_RESULT_TYPES)[number];
export const DEFAULT_SUCCESS_RESULT_TYPES: readonly OoResultType[] = ['RESOLVED'];

const IN_PROGRESS = ['RUNNING', 'PENDING_PAUSE', 'PENDING_CANCEL'];

/**
 * OO execution status (+ result type) → phase. RUNNING, PENDING_PAUSE and PENDING_CANCEL are in
 * progress; PAUSED waits for a person (or for workers) and is surfaced, never failed; COMPLETED
 * succeeds only with a result type in `successResultTypes` (default: RESOLVED);
 * SYSTEM_FAILURE and CANCELED fail.
 */
export function classifyOoStatus(
  status: string | null | undefined,
  resultStatusType: string | null | undefined,
  successResultTypes: readonly string[] = DEFAULT_SUCCESS_RESULT_TYPES,
): ClassifiedStatus {
  const s = (status ?? '').toUpperCase();
  const result = resultStatusType ? resultStatusType.toUpperCase() : null;
  if (IN_PROGRESS.includes(s)) return { phase: 'IN_PROGRESS' };
  if (s === 'PAUSED') return { phase: 'WAITING_FOR_OPERATOR', reason: 'status PAUSED (waiting for an operator or for workers)' };
  if (s === 'COMPLETED') {
    if (result && successResultTypes.map((t) => t.toUpperCase()).includes(result)) return { phase: 'SUCCESS' };
    return { phase: 'FAILURE', reason: `status COMPLETED with result ${result ?? 'none'} (success: ${successResultTypes.join(', ')})` };
  }
  if (s === 'SYSTEM_FAILURE' || s === 'CANCELED') return { phase: 'FAILURE', reason: `status ${s}` };
  return { phase: 'IN_PROGRESS', unknown: true };
}
