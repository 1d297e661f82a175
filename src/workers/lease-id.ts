import { randomUUID } from 'node:crypto';

/** The command a lease id names: enough to find its attempt through the (flow, …) index. */
export interface LeasedCommand {
  flowId: string;
  commandId: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const NAMED = new RegExp(`^(${UUID})_(${UUID})_[0-9a-f-]{36}$`);

/**
 * `<flowId>_<commandId>_<random>`, or the random part alone for a command whose body names no
 * flow (and from Baton versions before this form). The lease lives in one instance's memory, while
 * a worker's drop may reach any instance: the id is all a drop carries, so it names the command.
 * The random part keeps the leases of one command apart.
 */
export const LEASE_ID_PATTERN = new RegExp(`^(?:${UUID}_${UUID}_)?[0-9a-f-]{36}$`);

export function newLeaseId(command: LeasedCommand | undefined): string {
  const random = randomUUID();
  return command ? `${command.flowId.toLowerCase()}_${command.commandId.toLowerCase()}_${random}` : random;
}

/** The command a lease id names, or undefined for one that names none. */
export function commandOfLease(leaseId: string): LeasedCommand | undefined {
  const named = NAMED.exec(leaseId);
  return named ? { flowId: named[1], commandId: named[2] } : undefined;
}
