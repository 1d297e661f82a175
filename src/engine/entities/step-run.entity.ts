import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { StepAction, StepRunStatus } from '../core/run-status';

/** One attempt of one DO or UNDO of one step: together they are the run's timeline. */
@Entity('orchestration_step_run')
@Index(['flowId', 'stepName', 'action', 'attempt'], { unique: true })
@Index('idx_step_run_in_flight_deadline', ['deadlineAt'], { where: `status = 'DISPATCHED'` })
export class StepRunEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'flow_id', type: 'uuid' }) flowId!: string;
  @Column({ name: 'step_name', type: 'varchar', length: 200 }) stepName!: string;
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'varchar', length: 4 }) action!: StepAction;
  @Column({ type: 'int' }) attempt!: number;
  /** The first attempt of the retry budget this one counts against: an operator's retry starts a fresh one. */
  @Column({ name: 'budget_start', type: 'int', default: 1 }) budgetStart!: number;
  @Column({ name: 'command_id', type: 'uuid' }) commandId!: string;
  @Column({ type: 'varchar', length: 20 }) status!: StepRunStatus;
  @Column({ name: 'handler_type', type: 'varchar', length: 20 }) handlerType!: string;
  /** Where the command went: a worker's topic, or the built-in handler's connection. */
  @Column({ type: 'varchar', length: 255, nullable: true }) target!: string | null;
  @Column({ type: 'jsonb', nullable: true }) output!: unknown;
  @Column({ type: 'text', nullable: true }) error!: string | null;
  /** When the command is (or was) due to go out; later than created_at for a retry with backoff. */
  @Column({ name: 'dispatched_at', type: 'timestamptz' }) dispatchedAt!: Date;
  @Column({ name: 'deadline_at', type: 'timestamptz' }) deadlineAt!: Date;
  @Column({ name: 'completed_at', type: 'timestamptz', nullable: true }) completedAt!: Date | null;
  /** Set by HEARTBEAT replies, each of which also moves `deadlineAt` forward. */
  @Column({ name: 'last_heartbeat_at', type: 'timestamptz', nullable: true }) lastHeartbeatAt!: Date | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
