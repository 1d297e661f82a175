import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

export const SECURITY_EVENTS = ['DENIED', 'KEY_CREATED', 'KEY_REVOKED', 'MESSAGE_REJECTED'] as const;
export type SecurityEvent = (typeof SECURITY_EVENTS)[number];

/** Denied requests and key changes: who, what, why. Never a key or a token, only its prefix. */
@Entity('security_audit')
export class SecurityAuditEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Index('IDX_security_audit_event') @Column({ type: 'varchar', length: 20 }) event!: SecurityEvent;
  /** The key prefix or token subject, when one was proven. */
  @Index('IDX_security_audit_principal') @Column({ name: 'principal_id', type: 'varchar', length: 200, nullable: true }) principalId!: string | null;
  @Column({ name: 'principal_kind', type: 'varchar', length: 20, nullable: true }) principalKind!: string | null;
  @Column({ type: 'varchar', length: 200, nullable: true }) service!: string | null;
  @Column({ type: 'varchar', length: 64, nullable: true }) ip!: string | null;
  /** `POST /api/...` or the topic a message came from. */
  @Column({ type: 'varchar', length: 300 }) target!: string;
  @Column({ type: 'varchar', length: 50 }) code!: string;
  @Column({ type: 'varchar', length: 500 }) reason!: string;
  @Index('IDX_security_audit_created') @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
