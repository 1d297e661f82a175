import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A relay instance's last sign of life (RelayPresence). Another instance's sweep takes the rows an
 * instance wrote only once it has stopped beating here: until then its fast path may hold them.
 */
@Entity('outbox_relay')
export class OutboxRelayEntity {
  @PrimaryColumn({ name: 'relay_id', type: 'varchar', length: 200 }) relayId!: string;
  @Column({ name: 'seen_at', type: 'timestamptz' }) seenAt!: Date;
}
