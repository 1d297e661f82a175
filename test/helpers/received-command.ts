import type { WireCommand } from '@baton/worker';

/** Step names a payload field applies to: one name or several. */
export type StepList = string | string[] | undefined;

/**
 * A step command as a worker receives it (the SDK's WireCommand), with the payload fields that
 * steer the test workers; each worker's doc says which it reads and how. A module of its own so
 * the bench's echo worker gets it without the Nest test app of test-worker.ts.
 */
export interface ReceivedCommand extends Omit<WireCommand, 'payload' | 'correlationId'> {
  /** Also in the x-correlation-id header, which the echo worker falls back to. */
  correlationId?: string;
  payload: {
    failAt?: StepList; failAttempts?: number; failUndoAt?: StepList; failUndoAttempts?: number;
    silentAt?: StepList; silentUndoAt?: StepList; silentAttempts?: number; silentFirstAt?: StepList;
    /** Reply twice to every command, as a redelivery would. */
    duplicateReplies?: boolean;
    /** After each DO's reply, a FAILED one for the same attempt, as a confused worker might send. */
    contradictingReplies?: boolean;
    /** Steps whose DO the test worker answers only once the suite calls `release()`. */
    heldAt?: StepList;
  } | null;
}
