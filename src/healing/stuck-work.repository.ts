import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OnDeadline } from '../engine/core/deadline-action';
import { DataSource } from 'typeorm';

export interface OverdueAttempt {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  attempt: number;
  deadlineAt: Date;
}

/**
 * Finds candidates for the healer. These reads take no locks: exactly-once is decided when a
 * candidate is acted on (a version-guarded run write, or a SKIP LOCKED template claim).
 */
/** The timeline event that records a run's deadline was handled: it is handled once. */
export const DEADLINE_EXCEEDED = 'DEADLINE_EXCEEDED';

@Injectable()
export class StuckWorkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  overdueAttempts(limit: number): Promise<OverdueAttempt[]> {
    return this.dataSource.query(
      `SELECT flow_id AS "flowId", step_name AS "stepName", action, attempt, deadline_at AS "deadlineAt"
       FROM orchestration_step_run WHERE status = 'DISPATCHED' AND deadline_at < now()
       ORDER BY deadline_at LIMIT $1`, [limit]);
  }

  /** Parked runs whose template is READY, or whose wait has expired. */
  parkedRunsToSettle(limit: number): Promise<{ flowId: string; expiresAt: Date | null }[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.expires_at AS "expiresAt" FROM orchestration_run r
       JOIN orchestration_template t ON t.orch_name = r.orch_name
       WHERE r.status = 'WAITING_FOR_WORKERS' AND (t.status = 'READY' OR r.expires_at <= now())
       ORDER BY r.created_at LIMIT $1`, [limit]);
  }

  /** Active runs that have not moved for `graceMs`, with how many attempts they have in flight. */
  quietActiveRuns(graceMs: number, limit: number): Promise<{ flowId: string; status: string; updatedAt: Date; inFlight: number }[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.status, r.updated_at AS "updatedAt",
         (SELECT count(*)::int FROM orchestration_step_run s WHERE s.flow_id = r.flow_id AND s.status = 'DISPATCHED') AS "inFlight"
       FROM orchestration_run r
       WHERE r.status IN ('RUNNING', 'COMPENSATING', 'UNDOING') AND r.updated_at < now() - make_interval(secs => $1)
       ORDER BY r.updated_at LIMIT $2`, [graceMs / 1000, limit]);
  }

  /** READY templates that have worker steps (built-in steps need no live worker), least recently checked first. */
  readyWorkerTemplateNames(limit: number): Promise<{ orchName: string }[]> {
    return this.dataSource.query(
      `SELECT t.orch_name AS "orchName" FROM orchestration_template t WHERE t.status = 'READY' AND EXISTS (
         SELECT 1 FROM orchestration_step_template s WHERE s.template_id = t.id AND s.version = t.current_version
           AND s.handler->>'type' = 'worker') ORDER BY t.updated_at LIMIT $1`, [limit]);
  }

  /** Unfinished runs past their deadline that the healer has not handled yet (no DEADLINE_EXCEEDED on their timeline). */
  overdueRuns(limit: number): Promise<{ flowId: string; deadlineAt: Date; onDeadline: OnDeadline }[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.deadline_at AS "deadlineAt", r.on_deadline AS "onDeadline" FROM orchestration_run r
       WHERE r.deadline_at < now() AND r.status IN ('WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED')
         AND NOT EXISTS (SELECT 1 FROM run_event e WHERE e.flow_id = r.flow_id AND e.kind = '${DEADLINE_EXCEEDED}')
       ORDER BY r.deadline_at LIMIT $1`, [limit]);
  }

  async deadlineHandled(flowId: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM run_event WHERE flow_id = $1 AND kind = $2 LIMIT 1`, [flowId, DEADLINE_EXCEEDED]);
    return rows.length > 0;
  }

  /** Seconds to the nearest deadline of an unfinished run, or null when none has one. */
  async nearestDeadlineSeconds(): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM min(deadline_at) - now())::float8 AS s FROM orchestration_run
       WHERE deadline_at IS NOT NULL AND status IN ('WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED')`);
    return row?.s ?? null;
  }

  pendingTemplateNames(limit: number): Promise<{ orchName: string }[]> {
    return this.dataSource.query(
      `SELECT orch_name AS "orchName" FROM orchestration_template WHERE status = 'PENDING' ORDER BY updated_at LIMIT $1`, [limit]);
  }
}
