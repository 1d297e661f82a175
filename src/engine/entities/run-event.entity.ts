import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';

/** Notable moments on a run's timeline that are not step attempts: revivals, expiry, operator actions. */
@Entity('run_event')
@Index(['flowId', 'at'])
export class RunEventEntity {
  @PrimaryGeneratedColumn('increment', { type: 'bigint' }) id!: string;
  @Column({ name: 'flow_id', type: 'uuid' }) flowId!: string;
  @CreateDateColumn({ type: 'timestamptz' }) at!: Date;
  @Column({ type: 'varchar', length: 40 }) kind!: string;
  @Column({ name: 'step_name', type: 'varchar', length: 200, nullable: true }) stepName!: string | null;
  @Column({ type: 'text' }) reason!: string;
  /** Who asked, for operator actions: the principal's id (never a secret), or `anonymous`. */
  @Column({ type: 'varchar', length: 200, nullable: true }) actor!: string | null;
}
