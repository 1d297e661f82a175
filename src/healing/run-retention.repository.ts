import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { TERMINAL_RUN_STATUSES } from '../engine/core/run-status';

/**
 * RUN_RETENTION_DAYS: finished runs are removed with everything recorded about them (attempts,
 * timeline events, built-in steps' job rows), a batch per healer tick. The outbox and inbox keep
 * their own, shorter retention.
 */
@Injectable()
export class RunRetentionRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Removes at most `batch` runs in a terminal status that finished before `cutoff`, oldest
   * first, and answers how many. A run being written to meanwhile (an operator's undo of a
   * finished run) is skipped this time: it is locked, or no longer finished.
   */
  async pruneFinishedBefore(cutoff: Date, batch: number): Promise<number> {
    const [row]: Array<{ n: number }> = await this.dataSource.query(
      `WITH gone AS (
         SELECT flow_id FROM orchestration_run WHERE finished_at < $1 AND status = ANY($3)
         ORDER BY finished_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), attempts AS (
         DELETE FROM orchestration_step_run WHERE flow_id IN (SELECT flow_id FROM gone)
       ), events AS (
         DELETE FROM run_event WHERE flow_id IN (SELECT flow_id FROM gone)
       ), jobs AS (
         DELETE FROM job_execution WHERE flow_id IN (SELECT flow_id FROM gone)
       ), runs AS (
         DELETE FROM orchestration_run WHERE flow_id IN (SELECT flow_id FROM gone) RETURNING 1
       ) SELECT count(*)::int AS n FROM runs`,
      [cutoff, batch, TERMINAL_RUN_STATUSES],
    );
    return row.n;
  }
}
