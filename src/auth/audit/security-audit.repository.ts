import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { PageQueryDto, skipOf } from '../../common/pagination';
import type { Principal } from '../principal';
import { SecurityAuditEntity, SecurityEvent } from './security-audit.entity';

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

const cut = (value: string | undefined, max: number) => (value === undefined ? null : value.slice(0, max));

@Injectable()
export class SecurityAuditRepository {
  private readonly logger = new Logger(SecurityAuditRepository.name);

  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  async record(entry: SecurityAuditEntry, m: EntityManager = this.dataSource.manager): Promise<void> {
    await m.getRepository(SecurityAuditEntity).insert({
      event: entry.event,
      principalId: cut(entry.principal?.id ?? entry.claimedId, 200),
      principalKind: entry.principal?.kind ?? null,
      service: cut(entry.principal?.service, 200),
      ip: cut(entry.ip, 64),
      target: cut(entry.target, 300)!,
      code: entry.code.slice(0, 50),
      reason: entry.reason.slice(0, 500),
    });
  }

  /** For denials: losing an audit row must not turn a 401/403 into a 500. */
  async recordQuietly(entry: SecurityAuditEntry): Promise<void> {
    await this.record(entry).catch((err: Error) =>
      this.logger.warn({ err: err.message, code: entry.code, target: entry.target }, 'security audit row not written'));
  }

  list(filter: { event?: SecurityEvent; principalId?: string }, page: PageQueryDto): Promise<[SecurityAuditEntity[], number]> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return this.dataSource.getRepository(SecurityAuditEntity)
      .findAndCount({ where, order: { id: 'DESC' }, skip: skipOf(page), take: page.pageSize });
  }
}
