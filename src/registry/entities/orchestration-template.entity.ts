import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** What a template is stored as: a document's `simultaneous` is kept as `parallel`. */
export const STORED_TEMPLATE_TYPES = ['sequential', 'parallel', 'dag'] as const;
export type TemplateType = (typeof STORED_TEMPLATE_TYPES)[number];
export type TemplateStatus = 'READY' | 'PENDING';

@Entity('orchestration_template')
export class OrchestrationTemplateEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'orch_name', type: 'varchar', length: 200, unique: true }) orchName!: string;
  @Column({ name: 'owner_service', type: 'varchar', length: 200 }) ownerService!: string;
  @Column({ type: 'varchar', length: 20 }) type!: TemplateType;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  @Column({ type: 'varchar', length: 20 }) status!: TemplateStatus;
  @Column({ name: 'current_version', type: 'int' }) currentVersion!: number;
  /** Steps that still need a registered worker; empty when READY. */
  @Column({ name: 'missing_steps', type: 'jsonb' }) missingSteps!: string[];
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
