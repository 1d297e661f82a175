import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

/** How often the delivery of one message (a Kafka consumer group's position) has failed so far. */
@Entity('delivery_failure')
export class DeliveryFailureEntity {
  @PrimaryColumn({ name: 'message_key', type: 'varchar', length: 600 }) messageKey!: string;
  @Column({ type: 'int' }) failures!: number;
  @Index('idx_delivery_failure_last_failed_at') @Column({ name: 'last_failed_at', type: 'timestamptz', default: () => 'now()' }) lastFailedAt!: Date;
}
