import { Injectable, OnModuleInit } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { RunStateCache } from '../engine/run-state-cache';
import { RunStatusListeners } from '../engine/run-status-listeners';
import type { JobExecutionEntity } from '../handlers/job-execution.entity';
import { JobLaunchEvents } from '../handlers/job-launch-events';
import type { OutboxEntry } from '../messaging/outbox/outbox.service';
import { OrcaStatus, orcaExternalStatusOf } from './orca-codes';
import { ORCA_SERVICE, ORCA_STEP, ORCA_TEMPLATE_PREFIX } from './orca-template';
import { RequestStatusUpdatedEvent, requestStatusEvent, statusMessage } from './request-status-event';
import { finalFacts, launchOutput } from './run-outcome';

/**
 * The launch's facts on its attempt, and the run's version moved on (keepLaunchOnAttempt). This
 * transaction already holds the job's row, which a run's write may be waiting for (a terminate
 * abandons the job): run and attempt are taken only if free (SKIP LOCKED), never waited for, so
 * the two cannot deadlock. A run being written this instant keeps its decision, made without the job.
 */
const KEEP_LAUNCH = `WITH run AS (SELECT flow_id FROM orchestration_run WHERE flow_id = $1 FOR UPDATE SKIP LOCKED),
    attempt AS (SELECT id FROM orchestration_step_run WHERE flow_id IN (SELECT flow_id FROM run) AND command_id = $2
      AND status = 'DISPATCHED' FOR UPDATE SKIP LOCKED),
    kept AS (UPDATE orchestration_step_run SET output = $3::jsonb WHERE id IN (SELECT id FROM attempt) RETURNING flow_id)
  UPDATE orchestration_run SET version = version + 1 WHERE flow_id IN (SELECT flow_id FROM kept)`;

/**
 * Publishes RequestStatusUpdatedEvent at the moments Orca did, each through the outbox in the
 * write that records the moment: Status 1 when the AWX/OO job has been launched (with its id),
 * then 2 or 3 when the run ends (with the external status, OO's result type and the error).
 */
@Injectable()
export class OrcaStatusEvents implements OnModuleInit {
  constructor(
    private readonly config: AppConfig,
    private readonly runStatus: RunStatusListeners,
    private readonly launches: JobLaunchEvents,
    private readonly states: RunStateCache,
  ) {}

  onModuleInit(): void {
    if (!this.config.ORCA_COMPAT) return;
    this.launches.listen((m, row, afterCommit) => this.onLaunch(m, row, afterCommit));
    this.runStatus.listen((run, status, previous) => {
      const facts = finalFacts(run, status, previous, new Date());
      return facts ? [statusMessage(this.config.ORCA_STATUS_TOPIC, requestStatusEvent(facts), run.correlationId)] : [];
    });
  }

  private async onLaunch(m: EntityManager, row: JobExecutionEntity, afterCommit: (hook: () => void) => void): Promise<OutboxEntry[]> {
    if (row.stepName !== ORCA_STEP || row.action !== 'DO' || row.targetType === 'HTTP') return [];
    // The step name alone could belong to anyone's template: only runs of the adapter's own templates are
    // Orca requests. The owner is checked too, for an `orca.` template another service took before the
    // registry reserved those names for the adapter.
    const [run] = await m.query(
      `SELECT r.orch_name, r.correlation_id FROM orchestration_run r JOIN orchestration_template t ON t.id = r.template_id
        WHERE r.flow_id = $1 AND t.owner_service = $2`, [row.flowId, ORCA_SERVICE]);
    if (!run || !String(run.orch_name).startsWith(ORCA_TEMPLATE_PREFIX)) return [];
    const event = requestStatusEvent({
      requestId: row.flowId, status: OrcaStatus.Running, target: row.targetType,
      externalStatus: orcaExternalStatusOf(row.externalStatus, row.externalJobId), resultStatusType: null,
      executionId: row.externalJobId, error: null, at: new Date(),
    });
    await this.keepLaunchOnAttempt(m, row, event);
    // The process that sent the step (usually this one) holds the run at the version just passed:
    // the job's end, decided on that copy, would have its write refused, a conflict per request.
    // Dropped once the version has moved, so the end reads the run (one read, even if SKIP LOCKED left it).
    afterCommit(() => this.states.forget(row.flowId));
    return [statusMessage(this.config.ORCA_STATUS_TOPIC, event, run.correlation_id)];
  }

  /**
   * The run's final event is decided from its attempts alone (finalFacts): the job this event names
   * goes on the attempt in flight, which its reply replaces. The run's version moves on with it, so
   * no other instance decides the run's end on a copy read before (RunStateCache): that write fails
   * and the run is read again, with the job. This instance drops its own copy instead (onLaunch).
   */
  private async keepLaunchOnAttempt(m: EntityManager, row: JobExecutionEntity, event: RequestStatusUpdatedEvent): Promise<void> {
    await m.query(KEEP_LAUNCH, [row.flowId, row.commandId, JSON.stringify(launchOutput(event.ExecutionId, event.AwxOoExecutionStatus))]);
  }
}
