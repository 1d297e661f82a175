import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { SecurityAuditRepository } from '../auth/audit/security-audit.repository';
import { AppConfig } from '../config/app-config';
import { RegistrationAuditRepository } from '../registry/registration-audit.repository';
import { pruneExpiredInstances } from '../workers/expired-instances';
import { RunRetentionRepository } from './run-retention.repository';

const DAY_MS = 86_400_000;
/** Audit rows (and expired worker instances) removed per tick: bounded so one tick never holds a long delete. */
const PRUNE_BATCH = 5_000;
/** Runs per tick: each takes its attempts, events and job rows with it, tens of rows. */
const RUN_PRUNE_BATCH = 1_000;

export interface Pruned {
  auditRowsPruned: number;
  securityAuditRowsPruned: number;
  runsPruned: number;
  instancesPruned: number;
}

/**
 * What is kept only for a while, removed a bounded batch per healer tick: audit rows (registrations'
 * and security's, AUDIT_RETENTION_DAYS), finished runs (RUN_RETENTION_DAYS, 0 keeps them) and the
 * worker instances whose presence expired.
 */
@Injectable()
export class Retention {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly runs: RunRetentionRepository,
    private readonly audit: RegistrationAuditRepository,
    private readonly securityAudit: SecurityAuditRepository,
    private readonly config: AppConfig,
  ) {}

  /** What it removed, and whether any batch came back full: more is left to remove (the healer goes on at once). */
  async prune(now = Date.now()): Promise<{ pruned: Pruned; more: boolean }> {
    const auditCutoff = new Date(now - this.config.AUDIT_RETENTION_DAYS * DAY_MS);
    const pruned: Pruned = {
      auditRowsPruned: await this.audit.pruneOlderThan(auditCutoff, PRUNE_BATCH),
      securityAuditRowsPruned: await this.securityAudit.pruneOlderThan(auditCutoff, PRUNE_BATCH),
      runsPruned: this.config.RUN_RETENTION_DAYS > 0
        ? await this.runs.pruneFinishedBefore(new Date(now - this.config.RUN_RETENTION_DAYS * DAY_MS), RUN_PRUNE_BATCH) : 0,
      instancesPruned: await pruneExpiredInstances(this.dataSource, this.config.WORKER_PRESENCE_TTL_SECONDS, PRUNE_BATCH),
    };
    const more = pruned.runsPruned >= RUN_PRUNE_BATCH
      || [pruned.auditRowsPruned, pruned.securityAuditRowsPruned, pruned.instancesPruned].some((n) => n >= PRUNE_BATCH);
    return { pruned, more };
  }
}
