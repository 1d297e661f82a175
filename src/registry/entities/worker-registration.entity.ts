import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/** A worker service's claim to handle one step; may exist before the template does. */
@Entity('worker_registration')
@Index(['orchName', 'stepName', 'serviceName'], { unique: true })
export class WorkerRegistrationEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ name: 'orch_name', type: 'varchar', length: 200 }) orchName!: string;
  @Column({ name: 'step_name', type: 'varchar', length: 200 }) stepName!: string;
  @Column({ name: 'service_name', type: 'varchar', length: 200 }) serviceName!: string;
  @Column({ name: 'object_type', type: 'varchar', length: 200 }) objectType!: string;
  @Column({ type: 'varchar', length: 255 }) topic!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' }) updatedAt!: Date;
}
