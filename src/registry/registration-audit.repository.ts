import { Injectable } from '@nestjs/common';
import { withoutKeySecrets } from '../auth/api-keys/api-key-format';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { Problem } from '../common/errors/app-error';
import { auditedProblems, MAX_AUDIT_MESSAGE } from './audit-problems';
import { auditedDocument } from './audited-document';
import { PageQueryDto, skipOf } from '../common/pagination';
import { fitNullable } from '../common/validation/fit-text';
import { MAX_NAME_LENGTH } from '../common/validation/query-values';
import { AppConfig } from '../config/app-config';
import { HandlersConfig } from '../handlers/handlers-config';
import { pruneOlderThan } from '../database/prune-older-than';
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
  /** As it came: a message's bytes are hashed as they are, not decoded whole. */
  document: string | Buffer;
  /** A refused document's values under credential names (credential-values.ts): cut from what is kept. */
  credentials?: readonly string[];
}

export interface AuditFilter {
  serviceName?: string;
  orchName?: string;
  outcome?: RegistrationOutcome;
}

@Injectable()
export class RegistrationAuditRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig,
    private readonly handlers: HandlersConfig) {}

  /**
   * Writes the attempt in a form that always fits, so the audit never fails open: every text is
   * cut to its column and cleaned of what PostgreSQL cannot store. A rejected document keeps only
   * its first AUDIT_REJECTED_DOCUMENT_BYTES (hostile input must not grow the table), plus the hash
   * of all of it, and problems up to MAX_AUDIT_PROBLEMS_BYTES. A whole API key in the document (pasted into a description) is kept cut to its
   * prefix, as everywhere else: every viewer reads the audit, and Baton's handlers' secrets are cut from it. A rejected one naming a credential is
   * not kept, and the others without what is shaped like one (refused-document.ts); an accepted one
   * holds none but in its comments, which reach no template, so each comment passes that rule
   * (audited-document.ts, which also reads a rejected one only as far as it is kept). Nor is the
   * hash of a document that lost anything for a credential kept: a viewer who knows the rest of the
   * document could test guesses of a weak secret (a password, a short token) against it offline.
   * Nothing matches rows by their hash, so none is kept rather than a keyed one.
   */
  async record(entry: AuditEntry, m: EntityManager = this.dataSource.manager): Promise<void> {
    const rejected = entry.outcome === 'REJECTED';
    const max = rejected ? this.config.AUDIT_REJECTED_DOCUMENT_BYTES : this.config.AUDIT_MAX_DOCUMENT_BYTES;
    const document = auditedDocument(entry.document, rejected, max, entry.credentials, this.handlers.secrets());
    await m.getRepository(RegistrationAuditEntity).insert({
      source: entry.source,
      outcome: entry.outcome,
      // A key sent where a name belongs (X-Service-Name) is a valid-looking name: cut to its prefix too.
      serviceName: fitNullable(entry.serviceName && withoutKeySecrets(entry.serviceName), MAX_NAME_LENGTH),
      orchName: fitNullable(entry.orchName && withoutKeySecrets(entry.orchName), MAX_NAME_LENGTH),
      role: fitNullable(entry.role, 20),
      reason: fitNullable(entry.reason && withoutKeySecrets(entry.reason), MAX_AUDIT_MESSAGE),
      problems: auditedProblems(entry.problems, entry.credentials),
      templateVersion: entry.templateVersion ?? null,
      document: document.text,
      documentTruncated: document.truncated,
      documentSha256: document.sha256,
    });
  }

  /** Retention (AUDIT_RETENTION_DAYS): removes rows older than the cut-off, a batch at a time. */
  pruneOlderThan(cutoff: Date, batch: number): Promise<number> {
    return pruneOlderThan(this.dataSource, 'registration_audit', cutoff, batch);
  }

  list(filter: AuditFilter, page: PageQueryDto): Promise<[RegistrationAuditEntity[], number]> {
    // A filter left undefined is no condition: TypeORM's find skips undefined properties of `where`.
    return this.dataSource.getRepository(RegistrationAuditEntity)
      .findAndCount({ where: { ...filter }, order: { id: 'DESC' }, skip: skipOf(page), take: page.pageSize });
  }
}
