import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryColumn } from 'typeorm';
import { OrchestrationTemplateEntity } from './orchestration-template.entity';
import type { OnDeadline } from '../../engine/core/deadline-action';
import type { TemplateType } from './orchestration-template.entity';
import type { RegistrationSource } from './registration-audit.entity';

/** An immutable version of a template: runs pin the version they started with. */
@Entity('orchestration_template_version')
export class TemplateVersionEntity {
  @PrimaryColumn({ name: 'template_id', type: 'uuid' }) templateId!: string;
  @PrimaryColumn({ type: 'int' }) version!: number;
  @ManyToOne(() => OrchestrationTemplateEntity, { onDelete: 'CASCADE' })
  @JoinColumn({ name: 'template_id' }) template?: OrchestrationTemplateEntity;
  @Column({ type: 'varchar', length: 20 }) type!: TemplateType;
  @Column({ type: 'text', nullable: true }) description!: string | null;
  /** The default deadline of this version's runs, and what passing it does. */
  @Column({ name: 'deadline_seconds', type: 'int', nullable: true }) deadlineSeconds!: number | null;
  @Column({ name: 'on_deadline', type: 'varchar', length: 20, nullable: true }) onDeadline!: OnDeadline | null;
  /** sha256 of the normalized definition: an unchanged re-registration is a no-op. */
  @Index() @Column({ name: 'content_hash', type: 'varchar', length: 64 }) contentHash!: string;
  @Column({ name: 'registered_by', type: 'varchar', length: 200 }) registeredBy!: string;
  /** Where it was registered from; null for versions registered before Baton recorded it. */
  @Column({ type: 'varchar', length: 10, nullable: true }) source!: RegistrationSource | null;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
