import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';

/**
 * A worker service's claim to handle one step as one objectType; may exist before the template
 * does. A service holds a step under two objectTypes only while runs of an older version need the
 * one the current version no longer gives it.
 */
@Entity('worker_registration')
@Index('UQ_worker_registration_step_type', ['orchName', 'stepName', 'serviceName', 'objectType'], { unique: true })
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
