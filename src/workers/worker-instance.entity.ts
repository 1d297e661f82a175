import { Column, Entity, Index, PrimaryColumn } from 'typeorm';
import { MAX_NAME_LENGTH } from '../common/validation/query-values';

export interface PresentStep {
  orchName: string;
  stepName: string;
}

/** One worker process as its presence reports it; live while `lastSeenAt` is within the TTL. */
@Entity('worker_instance')
@Index('idx_worker_instance_service', ['serviceName', 'lastSeenAt'])
export class WorkerInstanceEntity {
  @PrimaryColumn({ name: 'instance_id', type: 'uuid' }) instanceId!: string;
  @Column({ name: 'service_name', type: 'varchar', length: MAX_NAME_LENGTH }) serviceName!: string;
  @Column({ type: 'varchar', length: 255 }) host!: string;
  @Column({ name: 'sdk_version', type: 'varchar', length: 50 }) sdkVersion!: string;
  @Column({ type: 'jsonb' }) steps!: PresentStep[];
  @Index('idx_worker_instance_last_seen') @Column({ name: 'last_seen_at', type: 'timestamptz' }) lastSeenAt!: Date;
}
