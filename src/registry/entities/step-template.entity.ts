import { Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import type { OnFailure, RetryPolicy } from '../../engine/core/plan';
import { TemplateVersionEntity } from './template-version.entity';

/** How a step is executed: by a registered worker, or by a built-in handler (awx, oo). */
export interface HandlerSpec {
  type: string;
  [option: string]: unknown;
}

/** How a step is compensated: `false` (never), a worker UNDO, or a built-in handler. */
export type UndoSpec = false | HandlerSpec;

@Entity('orchestration_step_template')
@Index(['templateId', 'version', 'name'], { unique: true })
export class StepTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'template_id', type: 'uuid' }) templateId!: string;
  @Column({ type: 'int' }) version!: number;
  @ManyToOne(() => TemplateVersionEntity, { onDelete: 'CASCADE' })
  @JoinColumn([{ name: 'template_id', referencedColumnName: 'templateId' }, { name: 'version', referencedColumnName: 'version' }])
  templateVersion?: TemplateVersionEntity;
  @Column({ type: 'int' }) seq!: number;
  @Column({ type: 'varchar', length: 200 }) name!: string;
  @Column({ name: 'object_type', type: 'varchar', length: 200 }) objectType!: string;
  @Column({ name: 'timeout_seconds', type: 'int', nullable: true }) timeoutSeconds!: number | null;
  /** Worker steps: an attempt times out when no heartbeat came for this long; null: only the timeout counts. */
  @Column({ name: 'heartbeat_seconds', type: 'int', nullable: true }) heartbeatSeconds!: number | null;
  @Column({ type: 'jsonb', nullable: true }) retry!: RetryPolicy | null;
  @Column({ type: 'jsonb' }) handler!: HandlerSpec;
  @Column({ type: 'jsonb' }) undo!: UndoSpec;
  /** What the step's failure (after its retries) does to the run. */
  @Column({ name: 'on_failure', type: 'varchar', length: 20, default: 'compensate' }) onFailure!: OnFailure;
  /** Services allowed to work this step (the template's `workers:` or the step's); null: any service. */
  @Column({ name: 'allowed_workers', type: 'jsonb', nullable: true }) allowedWorkers!: string[] | null;
  /** DAG templates: the steps this one waits for; null when it waits for none. */
  @Column({ name: 'depends_on', type: 'jsonb', nullable: true }) dependsOn!: string[] | null;
}
