import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere } from 'typeorm';
import { createdWithin } from '../../common/created-range';
import { PageQueryDto, skipOf } from '../../common/pagination';
import { fitNullable, fitText } from '../../common/validation/fit-text';
import { withoutKeySecrets } from '../api-keys/api-key-format';
import type { Principal } from '../principal';
import { SecurityAuditEntity, SecurityEvent } from './security-audit.entity';
import { pruneOlderThan } from '../../database/prune-older-than';

export interface SecurityAuditEntry {
  event: SecurityEvent;
  principal?: Principal;
  /** A key prefix that failed to authenticate, when no principal was proven. */
  claimedId?: string;
  ip?: string;
  target: string;
  code: string;
  reason: string;
}

@Injectable()
export class SecurityAuditRepository {
  private readonly logger = new Logger(SecurityAuditRepository.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Every text is made to fit its column, NUL and lone surrogates included: much of it is the
   * caller's (a claimed service, a topic, a reason quoting a header), and a refusal whose audit
   * insert fails would be retried and dead-lettered unaudited, with the SQL error as its reason.
   */
  async record(entry: SecurityAuditEntry, m: EntityManager = this.dataSource.manager): Promise<void> {
    const principalId = entry.principal?.id ?? entry.claimedId;
    await m.getRepository(SecurityAuditEntity).insert({
      event: entry.event,
      principalId: fitNullable(principalId && withoutKeySecrets(principalId), 200),
      principalKind: entry.principal?.kind ?? null,
      service: fitNullable(entry.principal?.service, 200),
      ip: fitNullable(entry.ip, 64),
      // A whole key the caller put where a name belongs (X-Service-Name, x-baton-service, a topic) is cut
      // to its prefix, a JWT to `eyJ…`: every admin reads these rows.
      target: fitText(withoutKeySecrets(entry.target), 300),
      code: fitText(entry.code, 50),
      reason: fitText(withoutKeySecrets(entry.reason), 500),
    });
  }

  /** For denials: losing an audit row must not turn a 401/403 into a 500. */
  async recordQuietly(entry: SecurityAuditEntry): Promise<void> {
    await this.record(entry).catch((err: Error) =>
      this.logger.warn({ err: err.message, code: entry.code, target: entry.target }, 'security audit row not written'));
  }

  /** Retention (AUDIT_RETENTION_DAYS): removes rows older than the cut-off, a batch at a time. */
  pruneOlderThan(cutoff: Date, batch: number): Promise<number> {
    return pruneOlderThan(this.dataSource, 'security_audit', cutoff, batch);
  }

  list(filter: { event?: SecurityEvent; principalId?: string; from?: Date; to?: Date }, page: PageQueryDto): Promise<[SecurityAuditEntity[], number]> {
    // A filter left undefined is no condition: TypeORM's find skips undefined properties of `where`.
    const where: FindOptionsWhere<SecurityAuditEntity> = {
      event: filter.event, principalId: filter.principalId, createdAt: createdWithin(filter),
    };
    return this.dataSource.getRepository(SecurityAuditEntity)
      .findAndCount({ where, order: { id: 'DESC' }, skip: skipOf(page), take: page.pageSize });
  }
}
