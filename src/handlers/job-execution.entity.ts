import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import type { StepAction } from '../engine/core/run-status';
import type { DeferredUndo } from './deferred-undo';
import type { HttpCallOptions } from './http-call/http-call-spec';
import type { LaunchRetryPolicy } from './launch-backoff';

export const JOB_STATUSES = [
  'PENDING_LAUNCH', 'LAUNCHING', 'RUNNING', 'WAITING_FOR_OPERATOR', 'CANCELLING', 'SUCCEEDED', 'FAILED',
] as const;
export type JobStatus = (typeof JOB_STATUSES)[number];
export const TERMINAL_JOB_STATUSES: readonly JobStatus[] = ['SUCCEEDED', 'FAILED'];
export const JOB_TARGET_TYPES = ['AWX', 'OO', 'HTTP'] as const;
export type JobTargetType = (typeof JOB_TARGET_TYPES)[number];
export type JobResourceType = 'job_template' | 'workflow_job_template' | 'flow' | 'request';
/** `request`: an http call answered at once; `operation`: a 202 whose status URL is polled. */
export type ExternalJobType = 'job' | 'workflow_job' | 'execution' | 'request' | 'operation';

/** Handler-specific settings a row needs after dispatch (never credentials). */
export interface JobOptions {
  /** OO: result types that count as success. */
  successResultTypes?: string[];
  /** UNDO: the undo declares no template; the UNDO only cancels the DO's job if it is active. */
  cancelOnly?: boolean;
  /**
   * UNDO: a copy of the command whose undo could not be planned when it was sent (it refers to
   * the step's own output, and the DO was still running); planned again once the DO has ended.
   */
  deferredUndo?: DeferredUndo;
  /** UNDO: how the step's DO job ended (after a cancel, if it was still active). */
  cancelledJob?: { jobExecutionId: string; jobId: string | null; status: JobStatus; externalStatus: string | null; cancelRequested: boolean };
  /** Launch retries of this row instead of HANDLER_LAUNCH_* (an http step: its step's retry policy). */
  retry?: LaunchRetryPolicy;
  /** http: what decides success, what is kept, how an asynchronous answer is polled. */
  http?: HttpCallOptions;
  /** FAILED: the step's remaining retries are skipped (a retry could start a second job beside one that may run). */
  nonRetryable?: boolean;
  /** FAILED without its end seen (polls exhausted, or given up on): the job may still run, so cancelling it undid nothing. */
  endUnseen?: boolean;
  /**
   * A launch attempt may have reached the target without its answer being recorded (a timeout, a
   * 5xx, an engine that stopped during the call): the next attempt looks for its job first.
   */
  unansweredLaunch?: boolean;
}

/**
 * Lengths of the varchar columns filled from a partner's answers; a value is fitted to its column
 * before it is written (storable-job-patch.ts), so a long answer cannot make the write fail.
 */
export const PARTNER_TEXT_LENGTHS = { externalJobId: 100, externalStatus: 50, externalResult: 50 } as const;

/**
 * One launch of an AWX job/workflow template or an OO flow for one attempt of a step's DO or UNDO,
 * tracked until its result has been handed to the engine (reported_at). The runner claims rows
 * whose next_launch_at / next_poll_at is due and pushes that time forward as a lease.
 */
@Entity('job_execution')
@Index('idx_job_execution_command', ['commandId'], { unique: true })
@Index('idx_job_execution_flow_step', ['flowId', 'stepName', 'action', 'createdAt'])
@Index('idx_job_execution_created', ['createdAt'])
@Index('idx_job_execution_launch_due', ['nextLaunchAt'], { where: 'reported_at IS NULL' })
@Index('idx_job_execution_poll_due', ['nextPollAt'], { where: 'reported_at IS NULL' })
export class JobExecutionEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'flow_id', type: 'uuid' }) flowId!: string;
  @Column({ name: 'step_name', type: 'varchar', length: 200 }) stepName!: string;
  @Column({ type: 'varchar', length: 4 }) action!: StepAction;
  /** The step attempt this launch belongs to. */
  @Column({ type: 'int' }) attempt!: number;
  @Column({ name: 'command_id', type: 'uuid' }) commandId!: string;
  @Column({ name: 'correlation_id', type: 'varchar', length: 128, nullable: true }) correlationId!: string | null;
  @Column({ name: 'target_type', type: 'varchar', length: 10 }) targetType!: JobTargetType;
  /** Null for an UNDO that only cancels the DO's job. */
  @Column({ name: 'resource_type', type: 'varchar', length: 30, nullable: true }) resourceType!: JobResourceType | null;
  @Column({ name: 'resource_id', type: 'varchar', length: 200, nullable: true }) resourceId!: string | null;
  @Column({ type: 'varchar', length: 100 }) connection!: string;
  @Column({ name: 'external_job_id', type: 'varchar', length: PARTNER_TEXT_LENGTHS.externalJobId, nullable: true }) externalJobId!: string | null;
  @Column({ name: 'external_job_type', type: 'varchar', length: 20, nullable: true }) externalJobType!: ExternalJobType | null;
  @Column({ name: 'external_status', type: 'varchar', length: PARTNER_TEXT_LENGTHS.externalStatus, nullable: true }) externalStatus!: string | null;
  /** OO resultStatusType (RESOLVED, ERROR, ...). */
  @Column({ name: 'external_result', type: 'varchar', length: PARTNER_TEXT_LENGTHS.externalResult, nullable: true }) externalResult!: string | null;
  @Column({ type: 'varchar', length: 30 }) status!: JobStatus;
  @Column({ name: 'launch_attempts', type: 'int', default: 0 }) launchAttempts!: number;
  @Column({ name: 'next_launch_at', type: 'timestamptz', nullable: true }) nextLaunchAt!: Date | null;
  @Column({ name: 'last_launch_error', type: 'text', nullable: true }) lastLaunchError!: string | null;
  @Column({ name: 'polling_attempts', type: 'int', default: 0 }) pollingAttempts!: number;
  @Column({ name: 'last_polled_at', type: 'timestamptz', nullable: true }) lastPolledAt!: Date | null;
  @Column({ name: 'next_poll_at', type: 'timestamptz', nullable: true }) nextPollAt!: Date | null;
  @Column({ name: 'cancel_requested_at', type: 'timestamptz', nullable: true }) cancelRequestedAt!: Date | null;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  /** When the engine accepted the result (StepResultSink.apply); until then the row is still due. */
  @Column({ name: 'reported_at', type: 'timestamptz', nullable: true }) reportedAt!: Date | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** What was (or will be) sent: AWX `{extra_vars}`, OO `{flowUuid, runName, inputs}`. */
  @Column({ name: 'request_payload', type: 'jsonb', nullable: true }) requestPayload!: Record<string, unknown> | null;
  /** The last response kept from the server (selected fields only). */
  @Column({ name: 'response_payload', type: 'jsonb', nullable: true }) responsePayload!: Record<string, unknown> | null;
  @Column({ type: 'jsonb', nullable: true }) options!: JobOptions | null;
  /** W3C traceparent/tracestate of the dispatch that made the job: its launch and poll spans continue that trace. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true }) traceContext!: Record<string, string> | null;
  /** Bumped by every claim: a result is written only by the holder of the current claim. */
  @Column({ type: 'int', default: 0 }) version!: number;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** When the launch request was accepted by the server. */
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
