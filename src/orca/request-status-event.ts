import type { OutboxEntry } from '../messaging/outbox/outbox.service';
import { OrcaStatus, orcaResultTypeOf } from './orca-codes';

/** Orca's `RequestStatusUpdatedEvent`, field for field. */
export interface RequestStatusUpdatedEvent {
  RequestId: string;
  /** 1 running, 2 success, 3 failed. */
  Status: OrcaStatus;
  /** OO only: 0 RESOLVED, 1 DIAGNOSED, 2 NO_ACTION_TAKEN. */
  ResultType: number | null;
  /** The status AWX or OO reported ("running" right after the launch). */
  AwxOoExecutionStatus: string | null;
  /** The AWX job or OO execution id. */
  ExecutionId: string | null;
  ErrorMessage: string | null;
  UpdatedAtUtc: string;
}

/** What a status event is made from: a launched job row, or the step's last attempt when the run ends. */
export interface StatusFacts {
  requestId: string;
  status: OrcaStatus;
  target: 'AWX' | 'OO';
  externalStatus: string | null;
  resultStatusType: string | null;
  executionId: string | null;
  error: string | null;
  at: Date;
}

export function requestStatusEvent(f: StatusFacts): RequestStatusUpdatedEvent {
  return {
    RequestId: f.requestId,
    Status: f.status,
    // Orca reported a result type only for a finished OO flow.
    ResultType: f.target === 'OO' && f.status !== OrcaStatus.Running ? orcaResultTypeOf(f.resultStatusType) : null,
    AwxOoExecutionStatus: f.externalStatus,
    ExecutionId: f.executionId,
    ErrorMessage: f.status === OrcaStatus.Failed ? f.error ?? 'failed' : null,
    UpdatedAtUtc: f.at.toISOString(),
  };
}

/** The outbox entry: keyed by RequestId, so one request's events keep their order. */
export function statusMessage(topic: string, event: RequestStatusUpdatedEvent, correlationId: string): OutboxEntry {
  return {
    topic, key: event.RequestId,
    headers: { 'content-type': 'application/json', 'x-correlation-id': correlationId },
    body: Buffer.from(JSON.stringify(event)),
  };
}
