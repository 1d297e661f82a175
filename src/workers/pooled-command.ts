import type { CommandRef } from './command-attempts';

/** A command Baton holds for HTTP pollers; `done` acknowledges (or, with an error, returns) it to the broker. */
export interface PooledCommand {
  commandId: string;
  body: unknown;
  /** The command message's `traceparent`/`tracestate`, handed to the poller with it. */
  trace?: Record<string, string>;
  /** The attempt the command was sent for, when its body names it: what an expired lease asks about, and what its lease id names. */
  attempt?: Required<Omit<CommandRef, 'commandId'>>;
  /** The command's deadline (ms since the epoch), when its body gives one: no first lease outlives it by much. */
  deadlineAt?: number;
  done: (error?: Error) => void;
  /** Set once its delivery was handed over (a Kafka rebalance): another consumer may read it again, so this pool never offers it again. */
  handedOver?: boolean;
}

/** A command as a poll hands it out: the lease id names the command (lease-id.ts). */
export interface Lease {
  leaseId: string;
  leaseExpiresAt: string;
  command: unknown;
  trace?: Record<string, string>;
}
