import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import type { Problem } from '../../common/errors/app-error';

/** Where a registration came from: REST, the registration topic, a definition file, or the Orca adapter's own. */
export const REGISTRATION_SOURCES = ['http', 'topic', 'file', 'orca'] as const;
export type RegistrationSource = (typeof REGISTRATION_SOURCES)[number];
export type RegistrationOutcome = 'ACCEPTED' | 'UNCHANGED' | 'REJECTED';

/** One row per registration attempt, accepted or not. */
@Entity('registration_audit')
export class RegistrationAuditEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index() @Column({ name: 'service_name', type: 'varchar', length: 200, nullable: true }) serviceName!: string | null;
  @Index() @Column({ name: 'orch_name', type: 'varchar', length: 200, nullable: true }) orchName!: string | null;
  @Column({ type: 'varchar', length: 20, nullable: true }) role!: string | null;
  @Column({ type: 'varchar', length: 10 }) source!: RegistrationSource;
  @Column({ type: 'varchar', length: 20 }) outcome!: RegistrationOutcome;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'jsonb', nullable: true }) problems!: Problem[] | null;
  @Column({ name: 'template_version', type: 'int', nullable: true }) templateVersion!: number | null;
  /** The raw document, cut at AUDIT_MAX_DOCUMENT_BYTES (AUDIT_REJECTED_DOCUMENT_BYTES when rejected). */
  @Column({ type: 'text', nullable: true }) document!: string | null;
  @Column({ name: 'document_truncated', type: 'boolean', default: false }) documentTruncated!: boolean;
  /**
   * SHA-256 of the whole document as received, so a cut document can still be matched; null for a
   * refused one that anything was cut from for a credential (registration-audit.repository.ts).
   */
  @Column({ name: 'document_sha256', type: 'varchar', length: 64, nullable: true }) documentSha256!: string | null;
  @Index() @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
