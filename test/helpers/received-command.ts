/** Step names a payload field applies to: one name or several. */
export type StepList = string | string[] | undefined;

/**
 * A step command as a worker receives it (see WorkerStepDispatcher), as far as the test workers
 * read it. The payload fields steer them; each worker's doc says which it reads and how. A module
 * of its own so the bench's echo worker gets it without the Nest test app of test-worker.ts.
 */
export interface ReceivedCommand {
  flowId: string;
  orchName: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  commandId: string;
  /** Stable per (flowId, step, action) across retries and redeliveries. */
  idempotencyKey: string;
  /** ISO time after which the attempt is void. */
  deadline: string;
  /** Also in the x-correlation-id header, which the echo worker falls back to. */
  correlationId?: string;
  payload: {
    failAt?: StepList; failAttempts?: number; failUndoAt?: StepList; failUndoAttempts?: number;
    silentAt?: StepList; silentUndoAt?: StepList; silentAttempts?: number; silentFirstAt?: StepList;
    /** Reply twice to every command, as a redelivery would. */
    duplicateReplies?: boolean;
  } | null;
  outputs: Record<string, unknown>;
}
