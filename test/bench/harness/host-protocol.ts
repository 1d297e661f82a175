import { TERMINAL_RUN_STATUSES } from '../../../src/engine/core/run-status';

/** The memory host's consumer group on the status topic. */
export const HOST_STATUS_GROUP = 'bench-observer';

export function isTerminal(status: string): boolean {
  return (TERMINAL_RUN_STATUSES as readonly string[]).includes(status);
}

/** Memory host → parent: a run ended (besides the worker's stats answers). */
export interface HostMessage {
  type: 'run-end';
  flowId: string;
  correlationId: string;
  status: string;
}
