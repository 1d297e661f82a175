import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** A message written in the same transaction as the state change that caused it. */
@Entity('outbox')
@Index('idx_outbox_unsent', ['id'], { where: 'sent_at IS NULL' })
@Index('idx_outbox_sent_at', ['sentAt'])
/** Delayed rows by message id (a command's commandId): how a retry not sent yet is voided. */
@Index('idx_outbox_delayed', ['messageId'], { where: 'sent_at IS NULL AND available_at > created_at' })
export class OutboxMessageEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'message_id', type: 'uuid' }) messageId!: string;
  @Column({ type: 'varchar', length: 255 }) topic!: string;
  @Column({ type: 'varchar', length: 255, nullable: true }) key!: string | null;
  @Column({ type: 'jsonb' }) headers!: Record<string, string>;
  @Column({ type: 'bytea' }) body!: Buffer;
  /** Not published before this time: delayed retries ride on the outbox. */
  @Column({ name: 'available_at', type: 'timestamptz' }) availableAt!: Date;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  /** The instance that wrote the row, whose fast path publishes it: other instances' sweeps leave it alone while that one lives. */
  @Column({ name: 'written_by', type: 'varchar', length: 200, nullable: true }) writtenBy!: string | null;
  /** The relay instance holding the row's lease (see OutboxStore.claimDue): its restart releases them. */
  @Column({ name: 'leased_by', type: 'varchar', length: 200, nullable: true }) leasedBy!: string | null;
  /** A command's attempt deadline: after it the command is void and is never published. */
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  /** Set with sent_at when the row was dropped unpublished: its deadline passed, or the broker refused it for good (last_refusal). */
  @Column({ name: 'dropped_at', type: 'timestamptz', nullable: true }) droppedAt!: Date | null;
  @Column({ name: 'sent_at', type: 'timestamptz', nullable: true }) sentAt!: Date | null;
  /** How often the broker refused the row while it took others (see refusal-policy): parked, with dropped_at, after a few. */
  @Column({ type: 'integer', default: 0 }) refusals!: number;
  @Column({ name: 'last_refusal', type: 'varchar', length: 1000, nullable: true }) lastRefusal!: string | null;
}
