import { createHash } from 'node:crypto';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { StartFields } from './start-request';

/** A start's payload_hash: what a replay's payload and content type must match. */
export function payloadFingerprint(contentType: string, payload: Buffer): string {
  return createHash('sha256').update(contentType).update('\0').update(payload).digest('hex');
}

/** The run an idempotency key made, as a replay is judged against it. */
export interface KeyedRun {
  flowId: string;
  payloadHash: string;
  /** The deadline it was started with (its own or its template's), or null for none. */
  deadlineSeconds: number | null;
}

/**
 * Why a start with an idempotency key is no replay of the run the key made, or undefined when it
 * is. The deadline is compared with the run's own, not hashed into payload_hash: runs of earlier
 * versions hold the plain hash, and a start redelivered across an upgrade must still match. A
 * start naming no deadline is a replay whatever the run's (it asks nothing the run lacks); one
 * naming a deadline must name the run's, since a replay would not apply another. The message
 * names no field, the same over HTTP and the start topic; each problem points at the start's own
 * (`fields`: a header, or the start message's field).
 */
export function replayRefusal(key: string, run: KeyedRun, payloadHash: string, deadlineSeconds: number | undefined,
  fields: StartFields): AppError | undefined {
  if (run.payloadHash !== payloadHash) {
    return new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, `Idempotency-Key ${key} was used for run ${run.flowId} with a different payload or content type`,
      [{ path: fields.idempotencyKey, message: `was used for run ${run.flowId} with a different payload or content type` }], { flowId: run.flowId });
  }
  if (deadlineSeconds === undefined || deadlineSeconds === run.deadlineSeconds) return undefined;
  const [started, asked] = run.deadlineSeconds === null
    ? ['without a deadline: a replay names none', `must be left out: run ${run.flowId} was started without a deadline`]
    : [`with a deadline of ${run.deadlineSeconds} seconds: a replay names that deadline or none`,
      `must be ${run.deadlineSeconds}, the deadline run ${run.flowId} was started with, or left out`];
  return new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED,
    `Idempotency key ${key} was used for run ${run.flowId}, started ${started}, not ${deadlineSeconds} seconds`,
    [{ path: fields.deadlineSeconds, message: asked }], { flowId: run.flowId });
}
