import { Column, Entity, PrimaryColumn } from 'typeorm';

/**
 * A relay instance's last sign of life (RelayPresence). Another instance's sweep takes the rows an
 * instance wrote only once it has stopped beating here: until then its fast path may hold them.
 */
@Entity('outbox_relay')
export class OutboxRelayEntity {
  @PrimaryColumn({ name: 'relay_id', type: 'varchar', length: 200 }) relayId!: string;
  @Column({ name: 'seen_at', type: 'timestamptz' }) seenAt!: Date;
  /** The process that wrote the last beat, random per start: two live ones on one row share an INSTANCE_ID. */
  @Column({ name: 'boot_id', type: 'uuid', nullable: true }) bootId!: string | null;
}
