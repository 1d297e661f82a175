import { CreateDateColumn, Entity, Index, PrimaryColumn } from 'typeorm';

/** A consumed message's id, written with its effect so that a redelivery changes nothing. */
@Entity('inbox')
export class InboxMessageEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 }) consumer!: string;
  @PrimaryColumn({ name: 'message_id', type: 'varchar', length: 255 }) messageId!: string;
  @Index() @CreateDateColumn({ name: 'received_at', type: 'timestamptz' }) receivedAt!: Date;
}
