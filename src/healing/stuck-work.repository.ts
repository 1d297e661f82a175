import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { OnDeadline } from '../engine/core/deadline-action';
import { TERMINAL_RUN_STATUSES } from '../engine/core/run-status';
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

/** A run waiting for workers, with what its start must know: when it expires, and its deadline. */
export interface ParkedRun {
  flowId: string;
  expiresAt: Date | null;
  /** Whether its wait had expired when read, by the database's clock, which set expiresAt: an instance's clock may lag. */
  expired: boolean;
  deadlineAt: Date | null;
  onDeadline: OnDeadline | null;
  /** Whether the deadline had passed when read, by the database's clock: the healer's (overdueRuns). */
  deadlinePassed: boolean;
}

@Injectable()
export class StuckWorkRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Worker attempts in flight past their deadline, of runs still going: a terminated run leaves its
   * attempts in flight on purpose (its effects stay as they are), and no finished run is decided
   * again, so timing those out would only add events to a run that is over. A built-in step's
   * attempt (AWX, OO, http) is left to its job row, which bounds launches and polls itself and
   * reports the failure: timed out here, its retry would start a second job while the first one
   * still runs (an OO flow paused for an operator may wait longer than any deadline).
   */
  overdueAttempts(limit: number): Promise<OverdueAttempt[]> {
    return this.dataSource.query(
      `SELECT s.flow_id AS "flowId", s.step_name AS "stepName", s.action, s.attempt, s.deadline_at AS "deadlineAt"
       FROM orchestration_step_run s JOIN orchestration_run r ON r.flow_id = s.flow_id
       WHERE s.status = 'DISPATCHED' AND s.handler_type = 'worker' AND s.deadline_at < now() AND r.status <> ALL($2)
       ORDER BY s.deadline_at LIMIT $1`, [limit, TERMINAL_RUN_STATUSES]);
  }

  /**
   * Whether the attempt is still in flight past its deadline, read again at the moment of its
   * timeout: a heartbeat since the batch was read may have moved the deadline (and told its worker
   * it has time), and the run's version, which heartbeats leave alone, would not show it.
   */
  async stillOverdue(a: { flowId: string; stepName: string; action: string; attempt: number }): Promise<boolean> {
    const rows: unknown[] = await this.dataSource.query(
      `SELECT 1 FROM orchestration_step_run WHERE flow_id = $1 AND step_name = $2 AND action = $3 AND attempt = $4
         AND status = 'DISPATCHED' AND deadline_at < clock_timestamp()`, [a.flowId, a.stepName, a.action, a.attempt]);
    return rows.length > 0;
  }

  /** Parked runs whose template is READY, or whose wait has expired. */
  parkedRunsToSettle(limit: number): Promise<ParkedRun[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.expires_at AS "expiresAt", r.deadline_at AS "deadlineAt", r.on_deadline AS "onDeadline",
         COALESCE(r.expires_at <= now(), false) AS "expired", COALESCE(r.deadline_at <= now(), false) AS "deadlinePassed"
       FROM orchestration_run r
       JOIN orchestration_template t ON t.orch_name = r.orch_name
       WHERE r.status = 'WAITING_FOR_WORKERS' AND (t.status = 'READY' OR r.expires_at <= now())
       ORDER BY r.created_at LIMIT $1`, [limit]);
  }

  /**
   * Stalled runs: active, nothing in flight, and not moved for longer than `graceMs`. A crash
   * between commit and dispatch decision lost their next step; the grace period keeps the healer
   * from racing a transition that is simply in progress. All of it is filtered before the limit:
   * runs waiting on long steps (an AWX job may run for days) are the oldest quiet ones, and would
   * otherwise fill every batch ahead of the stalled.
   */
  stalledRuns(graceMs: number, limit: number): Promise<{ flowId: string; status: string }[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.status FROM orchestration_run r
       WHERE r.status IN ('RUNNING', 'COMPENSATING', 'UNDOING') AND r.updated_at < now() - make_interval(secs => $1)
         AND NOT EXISTS (SELECT 1 FROM orchestration_step_run s WHERE s.flow_id = r.flow_id AND s.status = 'DISPATCHED')
       ORDER BY r.updated_at LIMIT $2`, [graceMs / 1000, limit]);
  }

  /** READY templates that have worker steps (built-in steps need no live worker), by name after `after` (see NameCursor). */
  readyWorkerTemplateNames(after: string, limit: number): Promise<{ orchName: string }[]> {
    return this.dataSource.query(
      `SELECT t.orch_name AS "orchName" FROM orchestration_template t WHERE t.status = 'READY' AND t.orch_name > $1 AND EXISTS (
         SELECT 1 FROM orchestration_step_template s WHERE s.template_id = t.id AND s.version = t.current_version
           AND s.handler->>'type' = 'worker') ORDER BY t.orch_name LIMIT $2`, [after, limit]);
  }

  /** Unfinished runs past their deadline that the healer has not handled yet (no DEADLINE_EXCEEDED on their timeline). */
  overdueRuns(limit: number): Promise<{ flowId: string; deadlineAt: Date; onDeadline: OnDeadline }[]> {
    return this.dataSource.query(
      `SELECT r.flow_id AS "flowId", r.deadline_at AS "deadlineAt", r.on_deadline AS "onDeadline" FROM orchestration_run r
       WHERE r.deadline_at < now() AND r.status IN ('WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED')
         AND NOT EXISTS (SELECT 1 FROM run_event e WHERE e.flow_id = r.flow_id AND e.kind = '${DEADLINE_EXCEEDED}')
       ORDER BY r.deadline_at LIMIT $1`, [limit]);
  }

  /**
   * The run's deadline when it has passed, read now by the database's clock, and the healer has not
   * handled it yet (as overdueRuns lists it): applied before the healer sends anything for the run.
   */
  async pendingDeadline(flowId: string): Promise<{ deadlineAt: Date; onDeadline: OnDeadline } | undefined> {
    const [row] = await this.dataSource.query(
      `SELECT r.deadline_at AS "deadlineAt", r.on_deadline AS "onDeadline" FROM orchestration_run r
       WHERE r.flow_id = $1 AND r.deadline_at < clock_timestamp() AND r.status IN ('WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED')
         AND NOT EXISTS (SELECT 1 FROM run_event e WHERE e.flow_id = r.flow_id AND e.kind = '${DEADLINE_EXCEEDED}')`, [flowId]);
    return row;
  }

  async deadlineHandled(flowId: string): Promise<boolean> {
    const rows = await this.dataSource.query(`SELECT 1 FROM run_event WHERE flow_id = $1 AND kind = $2 LIMIT 1`, [flowId, DEADLINE_EXCEEDED]);
    return rows.length > 0;
  }

  /**
   * Seconds to the nearest deadline of an unfinished run not handled yet, or null when there is
   * none. A handled deadline stays in the past (an `alert` run goes on, a paused run waits), and
   * would hold the gauge below zero for ever.
   */
  async nearestDeadlineSeconds(): Promise<number | null> {
    const [row] = await this.dataSource.query(
      `SELECT EXTRACT(EPOCH FROM min(r.deadline_at) - now())::float8 AS s FROM orchestration_run r
       WHERE r.deadline_at IS NOT NULL AND r.status IN ('WAITING_FOR_WORKERS', 'RUNNING', 'PAUSED')
         AND NOT EXISTS (SELECT 1 FROM run_event e WHERE e.flow_id = r.flow_id AND e.kind = '${DEADLINE_EXCEEDED}')`);
    return row?.s ?? null;
  }

  /** PENDING templates by name after `after` (see NameCursor). */
  pendingTemplateNames(after: string, limit: number): Promise<{ orchName: string }[]> {
    return this.dataSource.query(
      `SELECT orch_name AS "orchName" FROM orchestration_template WHERE status = 'PENDING' AND orch_name > $1
       ORDER BY orch_name LIMIT $2`, [after, limit]);
  }
}
