import type { RunStatus } from './core/run-status';

/** Where a start carries what a refusal of it may be about, so that the refusal's problems name the caller's own fields. */
export interface StartFields {
  idempotencyKey: string;
  deadlineSeconds: string;
  /** The root of the payload's problems. */
  payload: string;
}

/** An HTTP start's: the headers and the body (the start topic's message has fields of its own). */
export const HTTP_START_FIELDS: StartFields = { idempotencyKey: 'headers.idempotency-key', deadlineSeconds: 'headers.x-deadline-seconds', payload: 'body' };

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
  /** Where this start carries its key, deadline and payload; an HTTP request's when left out. */
  fields?: StartFields;
}

export interface StartedRun {
  flowId: string;
  status: RunStatus;
  correlationId: string;
  /** False when an earlier request with the same idempotency key created the run. */
  created: boolean;
  missingSteps: string[];
}
