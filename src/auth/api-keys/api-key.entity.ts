import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Role } from '../role';
import { KEY_NAME_MAX } from './api-key-format';

/** An API key issued by Baton; only the scrypt hash of its secret is stored. */
@Entity('api_key')
export class ApiKeyEntity {
  @PrimaryGeneratedColumn('uuid') id!: string;
  @Column({ type: 'varchar', length: 16, unique: true }) prefix!: string;
  @Column({ name: 'secret_hash', type: 'varchar', length: 255 }) secretHash!: string;
  @Column({ type: 'varchar', length: KEY_NAME_MAX }) name!: string;
  @Column({ type: 'varchar', length: 20 }) role!: Role;
  @Column({ type: 'varchar', length: 200, nullable: true }) service!: string | null;
  @Column({ name: 'expires_at', type: 'timestamptz', nullable: true }) expiresAt!: Date | null;
  @Column({ name: 'last_used_at', type: 'timestamptz', nullable: true }) lastUsedAt!: Date | null;
  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true }) revokedAt!: Date | null;
  @Column({ name: 'created_by', type: 'varchar', length: 200 }) createdBy!: string;
  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' }) createdAt!: Date;
}
