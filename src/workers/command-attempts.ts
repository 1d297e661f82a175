import type { StepAction } from '../engine/core/run-status';

/** A command as its worker's reply, its body or its lease id names it: enough to find the one attempt it was sent for. */
export interface CommandRef {
  flowId: string;
  commandId: string;
  /** Absent for a lease id, which names only the flow and the command: the command id then tells the attempt. */
  stepName?: string;
  action?: StepAction;
  /** Absent in a reply that leaves it out: the command id alone then tells the attempt. */
  attempt?: number;
}

/** What the database says now of the worker attempt a command was sent for. */
export interface CommandAttempt {
  /** The topic the command went to: `<COMMAND_TOPIC_PREFIX><service>` for the service whose pollers may answer it. */
  target: string | null;
  /** No result applied yet (DISPATCHED). */
  inFlight: boolean;
  /** Its deadline has passed by the database's clock, the one the healer times attempts out by. */
  pastDeadline: boolean;
  /**
   * How long ago its worker's last heartbeat was recorded, by the database's clock alone: the
   * instance that asks compares it with its own lease's age, so neither clock is read against the other.
   */
  heartbeatAgeMs: number | null;
  /** How long until its deadline (negative past it), by the database's clock: how far a lease renewed for a heartbeat may run. */
  untilDeadlineMs?: number;
}

/**
 * Port to the step runs, for the HTTP worker transport. Leases live in one instance's memory while
 * replies, heartbeats and drops may reach any instance: the database is what all of them share.
 */
export abstract class CommandAttempts {
  /** The worker attempt with every detail the ref gives, or undefined when there is none. */
  abstract attemptOfCommand(ref: CommandRef): Promise<CommandAttempt | undefined>;

  /** Of these commands, the ids of those whose attempt has a result applied (no longer DISPATCHED). */
  abstract answeredAmong(commands: Array<{ flowId: string; commandId: string }>): Promise<Set<string>>;
}
