import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { DataSource } from 'typeorm';
import { recordsetInsert } from '../database/recordset-insert';
import { InsertedOutboxRow, OutboxRecord, OutboxService } from '../messaging/outbox/outbox.service';
import type { RunStatus } from './core/run-status';
import type { InboxKey } from './dispatch/step-result';
import type { RunChanges, RunState } from './run-changes';

const WRITTEN = 'EXISTS (SELECT 1 FROM run)';

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

/** `written` is false when the guard failed: nothing was written (the run changed meanwhile, or the idempotency key was taken). */
export interface WriteResult {
  written: boolean;
  /** The outbox rows written, for the relay's fast path. */
  messages: OutboxRecord[];
}

/**
 * Runs and their attempts, in raw SQL: this is the engine's hot path. A transition is one read
 * (`load`) and one write (`create` or `update`): the write is a single statement whose first
 * CTE inserts the run or bumps its version only if it is still the version that was read, and
 * whose every other part writes only if that succeeded. No transaction is held open across
 * round trips, so no lock is held while the engine decides (see NOTES on PostgreSQL throughput).
 */
@Injectable()
export class RunRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly outbox: OutboxService) {}

  /** The run with every attempt, in one statement; undefined for an unknown run. */
  async load(flowId: string): Promise<RunState | undefined> {
    const rows = await this.dataSource.query(
      `SELECT flow_id AS "flowId", orch_name AS "orchName", template_id AS "templateId",
         template_version AS "templateVersion", status, correlation_id AS "correlationId", payload,
         content_type AS "contentType", failed_step AS "failedStep", version,
         (SELECT COALESCE(json_agg(json_build_object('id', s.id::text, 'stepName', s.step_name, 'action', s.action,
            'attempt', s.attempt, 'status', s.status, 'commandId', s.command_id, 'output', s.output, 'error', s.error)
            ORDER BY s.id), '[]')
          FROM orchestration_step_run s WHERE s.flow_id = r.flow_id) AS attempts
       FROM orchestration_run r WHERE flow_id = $1`, [flowId]);
    return rows[0];
  }

  async seenInbox(key: InboxKey): Promise<boolean> {
    const rows = await this.dataSource.query('SELECT 1 FROM inbox WHERE consumer = $1 AND message_id = $2', [key.consumer, key.messageId]);
    return rows.length > 0;
  }

  async findByIdempotencyKey(orchName: string, key: string): Promise<{ flowId: string; status: RunStatus; payloadHash: string; correlationId: string } | undefined> {
    const rows = await this.dataSource.query(
      `SELECT flow_id AS "flowId", status, payload_hash AS "payloadHash", correlation_id AS "correlationId"
       FROM orchestration_run WHERE orch_name = $1 AND idempotency_key = $2`, [orchName, key]);
    return rows[0];
  }

  /** Inserts the run with its first changes, unless its idempotency key was used before. */
  create(run: NewRun, changes: RunChanges): Promise<WriteResult> {
    return this.write(
      `INSERT INTO orchestration_run (flow_id, orch_name, template_id, template_version, status, payload, content_type,
         correlation_id, idempotency_key, payload_hash, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
       ON CONFLICT (orch_name, idempotency_key) DO NOTHING RETURNING flow_id`,
      [run.flowId, run.orchName, run.templateId, run.templateVersion, run.status, run.payload, run.contentType,
        run.correlationId, run.idempotencyKey, run.payloadHash, run.expiresAt], changes);
  }

  /** Writes a transition of a run loaded at `version`, unless another one was written since. */
  update(run: Pick<RunState, 'flowId' | 'version'>, changes: RunChanges): Promise<WriteResult> {
    const s = changes.status;
    const c = changes.completion;
    return this.write(
      `UPDATE orchestration_run SET version = version + 1, updated_at = now(),
         status = COALESCE($3, status), failed_step = COALESCE(failed_step, $4), error = COALESCE(error, $5),
         finished_at = CASE WHEN $3 IS NULL THEN finished_at WHEN $6 THEN now() END,
         expires_at = CASE WHEN $3 IS NULL THEN expires_at END,
         template_version = COALESCE($7, template_version)
       WHERE flow_id = $1 AND version = $2 RETURNING flow_id`,
      [run.flowId, run.version, s?.status ?? null, s?.failedStep ?? null, s?.error ?? null, s?.terminal ?? false,
        changes.templateVersion ?? null, c?.attemptId ?? null, c?.status ?? null,
        c?.output === undefined ? null : JSON.stringify(c.output), c?.error ?? null], changes,
      [`completed AS (UPDATE orchestration_step_run SET status = $9, output = $10, error = $11, completed_at = now()
         WHERE id = $8 AND ${WRITTEN})`]);
  }

  /** `runWrite` returns a row if, and only if, the run's own write happened; every other part is guarded by it. */
  private async write(runWrite: string, params: unknown[], changes: RunChanges, guarded: string[] = []): Promise<WriteResult> {
    const ctes = [`run AS (${runWrite})`, ...guarded];
    for (const [entity, { rows, ignoreConflicts }] of changes.inserts) {
      const insert = recordsetInsert(this.dataSource.getMetadata(entity), rows, `$${params.length + 1}`, WRITTEN, ignoreConflicts);
      params.push(insert.json);
      ctes.push(`insert${ctes.length} AS (${insert.sql})`);
    }
    const staged = changes.messages.length > 0 ? this.outbox.stage(changes.messages) : undefined;
    if (staged) {
      params.push(staged.json);
      ctes.push(`sent AS (${OutboxService.insertSql(`$${params.length}`, WRITTEN)})`);
    }
    const [row]: Array<{ written: boolean; sent: InsertedOutboxRow[] | null }> = await this.dataSource.query(
      `WITH ${ctes.join(', ')} SELECT ${WRITTEN} AS written, ${staged ? '(SELECT json_agg(sent) FROM sent)' : 'NULL'} AS sent`, params);
    return { written: row.written, messages: staged && row.written ? this.outbox.recordsOf(staged, row.sent ?? []) : [] };
  }
}
