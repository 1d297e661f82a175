import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { isUUID } from 'class-validator';
import { DataSource, EntityManager, FindOptionsWhere, IsNull, LessThanOrEqual, MoreThan, Not } from 'typeorm';
import { skipOf } from '../../common/pagination';
import type { ApiKeyQueryDto } from '../dto/api-key.dto';
import type { Role } from '../role';
import { ApiKeyEntity } from './api-key.entity';

export type NewApiKey = Pick<ApiKeyEntity, 'prefix' | 'secretHash' | 'name' | 'role' | 'service' | 'expiresAt' | 'createdBy'>;

/** Works on a DataSource alone, so the keys CLI can use it without Nest. */
@Injectable()
export class ApiKeyRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Runs `work` in one transaction: a key change and its audit row are written together or not at all. */
  inTransaction<T>(work: (m: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** The key with this prefix, revoked or not: prefixes are unique, and a revoked key keeps its row. */
  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    return this.dataSource.getRepository(ApiKeyEntity).findOneBy({ prefix });
  }

  async insertKey(key: NewApiKey, m: EntityManager = this.dataSource.manager): Promise<ApiKeyEntity> {
    const repo = m.getRepository(ApiKeyEntity);
    return repo.save(repo.create(key));
  }

  /** Newest first, with the query's filters; a state is judged by this process's clock, as expiry is when a key is used. */
  listKeys(q: ApiKeyQueryDto): Promise<[ApiKeyEntity[], number]> {
    const base: FindOptionsWhere<ApiKeyEntity> = {};
    if (q.role) base.role = q.role;
    if (q.service) base.service = q.service;
    const now = new Date();
    const where = q.state === 'revoked' ? { ...base, revokedAt: Not(IsNull()) }
      : q.state === 'expired' ? { ...base, revokedAt: IsNull(), expiresAt: LessThanOrEqual(now) }
        : q.state === 'active' ? [{ ...base, revokedAt: IsNull(), expiresAt: IsNull() }, { ...base, revokedAt: IsNull(), expiresAt: MoreThan(now) }]
          : base;
    return this.dataSource.getRepository(ApiKeyEntity)
      .findAndCount({ where, order: { createdAt: 'DESC', id: 'DESC' }, skip: skipOf(q), take: q.pageSize });
  }

  /**
   * Revokes the key unless it already is, in one guarded UPDATE: of two revocations at once, only
   * one is told `revokedNow`, so a key's revocation is audited once. Null when there is no such key.
   */
  async revokeKey(idOrPrefix: string, m: EntityManager = this.dataSource.manager): Promise<{ key: ApiKeyEntity; revokedNow: boolean } | null> {
    const repo = m.getRepository(ApiKeyEntity);
    // Only a real UUID may reach the uuid column: PostgreSQL refuses anything else (36 dashes) with an error, not a miss.
    const match = isUUID(idOrPrefix, 'all') ? { id: idOrPrefix } : { prefix: idOrPrefix };
    const { affected } = await repo.update({ ...match, revokedAt: IsNull() }, { revokedAt: new Date() });
    const key = await repo.findOneBy(match);
    return key && { key, revokedNow: affected === 1 };
  }

  /** The ids of the keys revoked after `since`, by anyone: this instance, another, or the keys CLI. */
  async revokedAfter(since: Date): Promise<string[]> {
    const rows = await this.dataSource.getRepository(ApiKeyEntity).find({ select: { id: true }, where: { revokedAt: MoreThan(since) } });
    return rows.map((row) => row.id);
  }

  /** Whether any key (of `role`, when given) still authenticates: not revoked, and not expired. */
  hasUsableKey(role?: Role): Promise<boolean> {
    const roleIs = role ? { role } : {};
    return this.dataSource.getRepository(ApiKeyEntity).exists({
      where: [{ revokedAt: IsNull(), expiresAt: IsNull(), ...roleIs }, { revokedAt: IsNull(), expiresAt: MoreThan(new Date()), ...roleIs }],
    });
  }

  async markUsed(id: string, at: Date): Promise<void> {
    await this.dataSource.getRepository(ApiKeyEntity).update({ id }, { lastUsedAt: at });
  }
}
