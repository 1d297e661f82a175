import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import type { Attempt } from './core/plan';
import type { InboxKey } from './dispatch/step-result';
import type { RunStatus, StepAction, StepRunStatus } from './core/run-status';

/** The run as a transition needs it, read while taking its row lock. */
export interface LockedRun {
  flowId: string;
  orchName: string;
  templateId: string;
  templateVersion: number;
  status: RunStatus;
  correlationId: string;
  payload: Buffer;
  contentType: string;
  failedStep: string | null;
}

export interface NewRun {
  flowId: string;
  orchName: string;
  templateId: string;
  templateVersion: number;
  status: RunStatus;
  payload: Buffer;
  contentType: string;
  correlationId: string;
  idempotencyKey: string | null;
  payloadHash: string;
  expiresAt: Date | null;
}

export interface AttemptRow extends Attempt {
  output: unknown;
  error: string | null;
}

export interface NewAttempt {
  flowId: string;
  stepName: string;
  seq: number;
  action: StepAction;
  attempt: number;
  commandId: string;
  handlerType: string;
  target: string | null;
  dispatchedAt: Date;
  deadlineAt: Date;
}

export interface AttemptResult {
  flowId: string;
  stepName: string;
  action: StepAction;
  status: Extract<StepRunStatus, 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT'>;
  attempt?: number;
  commandId?: string;
  output?: unknown;
  error?: string | null;
}

export type RecordedResult =
  | { outcome: 'applied'; run: LockedRun }
  | { outcome: 'duplicate' | 'unknown-flow' | 'not-in-flight' };

const RUN_COLUMNS = `flow_id AS "flowId", orch_name AS "orchName", template_id AS "templateId",
  template_version AS "templateVersion", status, correlation_id AS "correlationId", payload,
  content_type AS "contentType", failed_step AS "failedStep"`;

/**
 * Runs and step attempts, in raw SQL: this is the engine's hot path, and each transition is a
 * handful of short statements on one run's rows (see NOTES on PostgreSQL throughput).
 */
@Injectable()
export class RunRepository {
  /** Inserts the run unless its idempotency key was used; returns whether it was inserted. */
  async insertRun(m: EntityManager, run: NewRun): Promise<boolean> {
    const rows = await m.query(
      `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type,
         correlation_id, idempotency_key, payload_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (orch_name, idempotency_key) DO NOTHING RETURNING 1`,
      [run.flowId, run.orchName, run.templateId, run.templateVersion, run.status, run.payload, run.contentType,
        run.correlationId, run.idempotencyKey, run.payloadHash, run.expiresAt]);
    return rows.length === 1;
  }

  async findByIdempotencyKey(m: EntityManager, orchName: string, key: string): Promise<{ flowId: string; status: RunStatus; payloadHash: string; correlationId: string } | undefined> {
    const rows = await m.query(
      `SELECT flow_id AS "flowId", status, payload_hash AS "payloadHash", correlation_id AS "correlationId"
       FROM orchestration_run WHERE orch_name = $1 AND idempotency_key = $2`, [orchName, key]);
    return rows[0];
  }

  /**
   * Takes the run's row lock for the rest of the transaction and reads it. Every transition of a
   * run starts here, so two events for one run (two replies, two engine instances) apply one after
   * the other and the second sees what the first committed.
   */
  async lockRun(m: EntityManager, flowId: string): Promise<LockedRun | undefined> {
    // TypeORM answers an UPDATE with [rows, rowCount].
    const [rows] = await m.query(
      `UPDATE orchestration_run SET version = version + 1, updated_at = now() WHERE flow_id = $1 RETURNING ${RUN_COLUMNS}`, [flowId]);
    return rows[0];
  }

  /**
   * Like lockRun, but skips a run another transaction holds: the healer's claim, so that several
   * instances never heal the same run at once.
   */
  async claimRun(m: EntityManager, flowId: string): Promise<LockedRun | undefined> {
    const [rows] = await m.query(
      `UPDATE orchestration_run SET version = version + 1, updated_at = now()
       WHERE flow_id = (SELECT flow_id FROM orchestration_run WHERE flow_id = $1 FOR UPDATE SKIP LOCKED)
       RETURNING ${RUN_COLUMNS}`, [flowId]);
    return rows[0];
  }

  /** Moves a parked run onto the template version that is current when it finally starts. */
  async repinVersion(m: EntityManager, flowId: string, version: number): Promise<void> {
    await m.query(`UPDATE orchestration_run SET template_version = $2 WHERE flow_id = $1`, [flowId, version]);
  }

  /**
   * A step result in one statement: records the inbox message (if any), takes the run's row lock,
   * and completes the attempt if, and only if, it is still in flight. The caller must read the
   * attempts in a later statement: only then does its snapshot include what the transaction that
   * held the lock before it committed.
   */
  async recordResult(m: EntityManager, r: AttemptResult, inbox?: InboxKey): Promise<RecordedResult> {
    const [row] = await m.query(
      `WITH inbox_row AS (
         INSERT INTO inbox (consumer, message_id) SELECT $9::varchar, $10::varchar WHERE $10::varchar IS NOT NULL
         ON CONFLICT DO NOTHING RETURNING 1
       ), fresh AS (SELECT $10::varchar IS NULL OR EXISTS (SELECT 1 FROM inbox_row) AS ok),
       locked AS (
         UPDATE orchestration_run SET version = version + 1, updated_at = now()
         WHERE flow_id = $1 AND (SELECT ok FROM fresh) RETURNING ${RUN_COLUMNS}
       ), completed AS (
         UPDATE orchestration_step_run SET status = $4, output = $5, error = $6, completed_at = now()
         WHERE flow_id = $1 AND step_name = $2 AND action = $3 AND status = 'DISPATCHED'
           AND ($7::int IS NULL OR attempt = $7) AND ($8::uuid IS NULL OR command_id = $8)
           AND EXISTS (SELECT 1 FROM locked)
         RETURNING 1
       )
       SELECT (SELECT ok FROM fresh) AS fresh, (SELECT count(*)::int FROM completed) AS completed, locked.*
       FROM (SELECT 1) one LEFT JOIN locked ON true`,
      [r.flowId, r.stepName, r.action, r.status, r.output === undefined ? null : JSON.stringify(r.output),
        r.error ?? null, r.attempt ?? null, r.commandId ?? null, inbox?.consumer ?? null, inbox?.messageId ?? null]);
    const { fresh, completed, ...run } = row;
    if (!fresh) return { outcome: 'duplicate' };
    if (!run.flowId) return { outcome: 'unknown-flow' };
    return completed > 0 ? { outcome: 'applied', run: run as LockedRun } : { outcome: 'not-in-flight' };
  }

  /** Records an attempt's result if, and only if, that attempt is still in flight. */
  async completeAttempt(m: EntityManager, r: AttemptResult): Promise<boolean> {
    const [, count] = await m.query(
      `UPDATE orchestration_step_run SET status = $4, output = $5, error = $6, completed_at = now()
       WHERE flow_id = $1 AND step_name = $2 AND action = $3 AND status = 'DISPATCHED'
         AND ($7::int IS NULL OR attempt = $7) AND ($8::uuid IS NULL OR command_id = $8)`,
      [r.flowId, r.stepName, r.action, r.status, r.output === undefined ? null : JSON.stringify(r.output),
        r.error ?? null, r.attempt ?? null, r.commandId ?? null]);
    return count > 0;
  }

  attemptsOf(m: EntityManager, flowId: string): Promise<AttemptRow[]> {
    return m.query(
      `SELECT step_name AS "stepName", action, attempt, status, output, error FROM orchestration_step_run WHERE flow_id = $1 ORDER BY id`,
      [flowId]);
  }

  async insertAttempts(m: EntityManager, attempts: NewAttempt[]): Promise<void> {
    if (attempts.length === 0) return;
    const params: unknown[] = [];
    const values = attempts.map((a) => {
      params.push(a.flowId, a.stepName, a.seq, a.action, a.attempt, a.commandId, a.handlerType, a.target, a.dispatchedAt, a.deadlineAt);
      const n = params.length - 10;
      return `($${n + 1}, $${n + 2}, $${n + 3}, $${n + 4}, $${n + 5}, $${n + 6}, 'DISPATCHED', $${n + 7}, $${n + 8}, $${n + 9}, $${n + 10})`;
    });
    await m.query(
      `INSERT INTO orchestration_step_run (flow_id, step_name, seq, action, attempt, command_id, status, handler_type, target,
         dispatched_at, deadline_at) VALUES ${values.join(', ')}`, params);
  }

  async setStatus(m: EntityManager, flowId: string, status: RunStatus, failedStep: string | null, error: string | null,
    terminal: boolean): Promise<void> {
    await m.query(
      `UPDATE orchestration_run SET status = $2, failed_step = COALESCE(failed_step, $3), error = COALESCE(error, $4),
         updated_at = now(), finished_at = CASE WHEN $5 THEN now() ELSE NULL END, expires_at = NULL
       WHERE flow_id = $1`,
      [flowId, status, failedStep, error, terminal]);
  }

  async recordEvent(m: EntityManager, flowId: string, kind: string, reason: string, stepName: string | null = null): Promise<void> {
    await m.query(`INSERT INTO run_event (flow_id, kind, step_name, reason) VALUES ($1, $2, $3, $4)`, [flowId, kind, stepName, reason]);
  }
}
