/** The memory host's consumer group on the status topic. */
export const HOST_STATUS_GROUP = 'bench-observer';

export const TERMINAL_STATUSES = ['COMPLETED', 'FAILED', 'COMPENSATION_FAILED', 'UNDONE', 'UNDO_FAILED', 'EXPIRED'];

export function isTerminal(status: string): boolean {
  return TERMINAL_STATUSES.includes(status);
}

/** Memory host → parent: a run ended (besides the worker's stats answers). */
export interface HostMessage {
  type: 'run-end';
  flowId: string;
  correlationId: string;
  status: string;
}
