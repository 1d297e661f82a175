import type { StepAction } from '../core/run-status';
import type { RetryPolicy } from '../core/plan';
import type { HandlerSpec } from '../../registry/entities/step-template.entity';
import type { RunChanges } from '../run-changes';

/** Everything a handler needs to perform one attempt of one DO or UNDO. */
export interface StepCommand {
  flowId: string;
  orchName: string;
  stepName: string;
  action: StepAction;
  attempt: number;
  /** Unique per attempt: identifies one delivery of one attempt (a retry gets a new one). */
  commandId: string;
  objectType: string;
  /** The run payload: parsed JSON when the run was started with JSON, else a string (base64 for binary). */
  payload: unknown;
  payloadEncoding: 'json' | 'text' | 'base64';
  /** Outputs of the steps that succeeded so far, by step name. */
  outputs: Record<string, unknown>;
  correlationId: string;
  /** For DO, the step's handler; for UNDO, the step's undo spec (a worker UNDO is `{type: 'worker'}`). */
  handler: HandlerSpec;
  /** Not before this time (retry backoff). */
  notBefore: Date;
  timeoutSeconds: number;
  /** The step's retry policy: a handler that retries its own calls (http) spends it there. */
  retry?: RetryPolicy | null;
  /**
   * The service that owns the run's template. A built-in step's connection is checked against it at
   * launch too: a template registered before its connection was closed to its service (SERVICES) must not go on using it.
   */
  ownerService?: string;
}

/**
 * Sends a step command on its way as part of the transition's changes: a worker command becomes
 * an outbox row, a built-in handler's command becomes a job row its runner claims. One per
 * handler type. Nothing happens unless the transition is written.
 */
export abstract class StepDispatcher {
  abstract readonly type: string;
  /**
   * Returns where the command went (a topic, a connection name), for the step run's `target`, or
   * null when there is nowhere to send it now (no worker). Throws only when the transition must
   * not be written (the database is unavailable): it is then retried as a whole.
   */
  abstract dispatch(changes: RunChanges, command: StepCommand): Promise<string | null>;
}

/** Stable per (flowId, step, action), the same for every attempt: the key of the step's effect. */
export function idempotencyKeyOf(c: Pick<StepCommand, 'flowId' | 'stepName' | 'action'>): string {
  return `${c.flowId}:${c.stepName}:${c.action}`;
}
