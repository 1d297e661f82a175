import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Problem } from '../common/errors/app-error';
import { PageQueryDto, skipOf } from '../common/pagination';
import { AppConfig } from '../config/app-config';
import {
  RegistrationAuditEntity, RegistrationOutcome, RegistrationSource,
} from './entities/registration-audit.entity';

export interface AuditEntry {
  serviceName: string | null;
  orchName: string | null;
  role: string | null;
  source: RegistrationSource;
  outcome: RegistrationOutcome;
  reason: string | null;
  problems?: Problem[];
  templateVersion?: number | null;
  document: string;
}

export interface AuditFilter {
  serviceName?: string;
  orchName?: string;
  outcome?: RegistrationOutcome;
}

@Injectable()
export class RegistrationAuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig) {}

  /** Keeps the raw document, cut at the configured size so a hostile document cannot bloat the table. */
  async record(entry: AuditEntry, m: EntityManager = this.dataSource.manager): Promise<void> {
    const max = this.config.AUDIT_MAX_DOCUMENT_BYTES;
    const bytes = Buffer.from(entry.document, 'utf8');
    const truncated = bytes.length > max;
    await m.getRepository(RegistrationAuditEntity).insert({
      ...entry,
      problems: entry.problems?.length ? entry.problems.slice(0, 100) : null,
      templateVersion: entry.templateVersion ?? null,
      document: truncated ? bytes.subarray(0, max).toString('utf8') : entry.document,
      documentTruncated: truncated,
    });
  }

  list(filter: AuditFilter, page: PageQueryDto): Promise<[RegistrationAuditEntity[], number]> {
    const where = Object.fromEntries(Object.entries(filter).filter(([, v]) => v !== undefined));
    return this.dataSource.getRepository(RegistrationAuditEntity)
      .findAndCount({ where, order: { id: 'DESC' }, skip: skipOf(page), take: page.pageSize });
  }
}
