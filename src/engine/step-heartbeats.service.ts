import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { attemptWindowSeconds } from './core/attempt-window';
import { heartbeatDeadline } from './core/heartbeat-deadline';
import { attemptFields } from '../common/logging/attempt-fields';

export interface Heartbeat {
  flowId: string;
  stepName: string;
  action: 'DO' | 'UNDO';
  commandId?: string;
  attempt?: number;
}

interface InFlightAttempt {
  id: string;
  deadline_at: Date;
  dispatched_at: Date;
  /** The database's clock, which the healer compares the deadline with: this instance's may differ. */
  now: Date;
  timeout_seconds: number | null;
  heartbeat_seconds: number | null;
}

/**
 * HEARTBEAT replies: the attempt in flight gets its deadline moved forward by the step's timeout
 * (or its heartbeatSeconds, when it declares them, up to its declared timeoutSeconds from
 * dispatch) and its last heartbeat recorded. The run itself does not change (no version bump), so this
 * never races a transition; a heartbeat for an attempt that is no longer in flight changes nothing.
 */
@Injectable()
export class StepHeartbeats {
  private readonly logger = new Logger(StepHeartbeats.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig, private readonly metrics: Metrics) {}

  /**
   * Records the heartbeat; null if its attempt is not in flight, else how long the attempt now has
   * until its deadline, by the database's clock: what an HTTP lease renewed by the heartbeat needs.
   */
  async record(h: Heartbeat): Promise<number | null> {
    const [attempt] = await this.findInFlight(h);
    if (!attempt) return this.notInFlight();
    const timeoutSeconds = attempt.timeout_seconds ?? this.config.STEP_TIMEOUT_SECONDS;
    const window = attemptWindowSeconds(timeoutSeconds, attempt.heartbeat_seconds);
    // A step that declares both bounds the attempt as a whole by its timeoutSeconds; otherwise each
    // heartbeat grants another window, as long as its worker lives (what the SDK's auto heartbeats rely on).
    const cap = attempt.heartbeat_seconds && attempt.timeout_seconds !== null
      ? new Date(attempt.dispatched_at.getTime() + attempt.timeout_seconds * 1000) : undefined;
    const deadline = heartbeatDeadline(attempt.now, attempt.deadline_at, window, cap);
    // By the database's clock: an HTTP worker's lease, held by another instance, asks how long ago it was (CommandAttempts).
    // Counted in SQL (TypeORM answers a bare UPDATE with [rows, rowCount]): an attempt that ended since
    // the read (its reply, a timeout, an operator) is not in flight, and its worker must hear so.
    const [{ moved }]: Array<{ moved: number }> = await this.dataSource.query(
      `WITH moved AS (
         UPDATE orchestration_step_run SET deadline_at = $2, last_heartbeat_at = clock_timestamp() WHERE id = $1 AND status = 'DISPATCHED' RETURNING 1
       ) SELECT count(*)::int AS moved FROM moved`,
      [attempt.id, deadline]);
    if (moved === 0) return this.notInFlight();
    this.logger.debug({ ...attemptFields(h), deadline }, 'heartbeat');
    return deadline.getTime() - attempt.now.getTime();
  }

  private notInFlight(): null {
    this.metrics.ignoredReplies.inc({ reason: 'heartbeat-not-in-flight' });
    return null;
  }

  private findInFlight(h: Heartbeat): Promise<InFlightAttempt[]> {
    return this.dataSource.query(
      `SELECT sr.id, sr.deadline_at, sr.dispatched_at, clock_timestamp() AS now, st.timeout_seconds, st.heartbeat_seconds
         FROM orchestration_step_run sr
         JOIN orchestration_run r ON r.flow_id = sr.flow_id
         LEFT JOIN orchestration_step_template st
           ON st.template_id = r.template_id AND st.version = r.template_version AND st.name = sr.step_name
        WHERE sr.flow_id = $1 AND sr.step_name = $2 AND sr.action = $3 AND sr.status = 'DISPATCHED'
          AND ($4::uuid IS NULL OR sr.command_id = $4::uuid) AND ($5::int IS NULL OR sr.attempt = $5::int)
        ORDER BY sr.attempt DESC LIMIT 1`,
      [h.flowId, h.stepName, h.action, h.commandId ?? null, h.attempt ?? null]);
  }
}
