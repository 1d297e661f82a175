import type { ClassifiedStatus } from '../job-phase';

const AWX_ACTIVE_STATUSES = ['new', 'pending', 'waiting', 'running'] as const;
const AWX_FAILED_STATUSES = ['failed', 'error', 'canceled'] as const;

/**
 * AWX job / workflow job status → phase. new, pending, waiting, running are in progress;
 * successful succeeds; failed, error, canceled fail, and the original status is kept in the reason.
 */
export function classifyAwxStatus(status: string | null | undefined): ClassifiedStatus {
  const s = (status ?? '').toLowerCase();
  if ((AWX_ACTIVE_STATUSES as readonly string[]).includes(s)) return { phase: 'IN_PROGRESS' };
  if (s === 'successful') return { phase: 'SUCCESS' };
  if ((AWX_FAILED_STATUSES as readonly string[]).includes(s)) return { phase: 'FAILURE', reason: `status ${s}` };
  return { phase: 'IN_PROGRESS', unknown: true };
}
