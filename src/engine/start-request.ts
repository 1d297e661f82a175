import type { RunStatus } from './core/run-status';

/** What starting a run asks (REST, the start topic, the Orca adapter) and what it answers. */
export interface StartRequest {
  orchName: string;
  payload: Buffer;
  contentType: string;
  correlationId: string;
  idempotencyKey?: string;
  /**
   * The run's id when the caller's own id must be it (the Orca adapter: RequestId). The caller
   * makes sure it is new; a run that already has it makes the insert fail.
   */
  flowId?: string;
  /** This run's deadline, instead of its template's. */
  deadlineSeconds?: number;
  /**
   * A service caller's own name (ownServiceOnly in auth/service-scope): it may start only templates it owns, and
   * another service's is not found, as on every read (a 403 would confirm the template exists, and
   * an idempotency key shared with its owner would give away the owner's run).
   */
  ownerService?: string;
}

export interface StartedRun {
  flowId: string;
  status: RunStatus;
  correlationId: string;
  /** False when an earlier request with the same idempotency key created the run. */
  created: boolean;
  missingSteps: string[];
}
