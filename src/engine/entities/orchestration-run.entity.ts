import { Column, CreateDateColumn, Entity, Index, PrimaryColumn, UpdateDateColumn } from 'typeorm';
import type { OnDeadline } from '../core/deadline-action';
import type { RunStatus } from '../core/run-status';

@Entity('orchestration_run')
@Index(['orchName', 'idempotencyKey'], { unique: true })
@Index(['orchName', 'createdAt'])
// Not on updated_at: a step's transition then changes no indexed column (a HOT update).
@Index('idx_run_status', ['status'])
@Index('idx_run_created', ['createdAt'])
@Index('idx_run_finished', ['finishedAt'], { where: 'finished_at IS NOT NULL' })
@Index('idx_run_correlation', ['correlationId'])
@Index('idx_run_idempotency_key', ['idempotencyKey'], { where: 'idempotency_key IS NOT NULL' })
@Index('idx_run_deadline', ['deadlineAt'], { where: 'deadline_at IS NOT NULL' })
export class OrchestrationRunEntity {
  @PrimaryColumn({ name: 'flow_id', type: 'uuid' }) flowId!: string;
  @Column({ name: 'orch_name', type: 'varchar', length: 200 }) orchName!: string;
  @Column({ name: 'template_id', type: 'uuid' }) templateId!: string;
  /** The template version the run started with; later registrations do not affect it. */
  @Column({ name: 'template_version', type: 'int' }) templateVersion!: number;
  @Column({ type: 'varchar', length: 30 }) status!: RunStatus;
  @Column({ type: 'bytea' }) payload!: Buffer;
  @Column({ name: 'content_type', type: 'varchar', length: 255 }) contentType!: string;
  @Column({ name: 'correlation_id', type: 'varchar', length: 128 }) correlationId!: string;
  @Column({ name: 'idempotency_key', type: 'varchar', length: 255, nullable: true }) idempotencyKey!: string | null;
  @Column({ name: 'payload_hash', type: 'varchar', length: 64 }) payloadHash!: string;
  @Column({ name: 'failed_step', type: 'varchar', length: 200, nullable: true }) failedStep!: string | null;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** Bumped by every transition; a transition's write applies only if it is still the version it read. */
  @Column({ type: 'int', default: 0 }) version!: number;
  /** For WAITING_FOR_WORKERS: when the run gives up waiting. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** When the run must have finished; what passing it does (the healer applies it once). */
  @Column({ name: 'deadline_at', type: 'timestamptz', nullable: true }) deadlineAt!: Date | null;
  @Column({ name: 'on_deadline', type: 'varchar', length: 20, nullable: true }) onDeadline!: OnDeadline | null;
  /** W3C traceparent/tracestate of the run's start span, when tracing was on. */
  @Column({ name: 'trace_context', type: 'jsonb', nullable: true }) traceContext!: Record<string, string> | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true }) finishedAt!: Date | null;
}
