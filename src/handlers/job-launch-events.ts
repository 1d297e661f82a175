import { Injectable, Optional } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { OutboxRelay } from '../messaging/outbox/outbox-relay.service';
import { OutboxEntry, OutboxService } from '../messaging/outbox/outbox.service';
import type { JobExecutionEntity } from './job-execution.entity';
import type { JobExecutionRepository } from './job-execution.repository';

/**
 * Messages a module wants sent when an AWX/OO job has been launched (an adapter's "running"
 * event). `m` is the transaction recording the launch: read through it, never around it.
 * `afterCommit` takes what must happen only once that transaction has committed (and not at all
 * if it rolls back), such as dropping this process's copy of a row it changed.
 */
export type JobLaunchListener = (m: EntityManager, launched: JobExecutionEntity, afterCommit: (hook: () => void) => void) => Promise<OutboxEntry[]>;

/**
 * Records a launch together with the messages listeners want sent for it, in one transaction
 * (the outbox), so a launch is announced exactly when it is recorded. Without listeners the
 * runner records launches alone, with no transaction.
 */
@Injectable()
export class JobLaunchEvents {
  private readonly listeners: JobLaunchListener[] = [];

  /** Optional: the handlers module also runs alone (its own suites), with no messaging and so no listeners. */
  constructor(@Optional() private readonly outbox?: OutboxService, @Optional() private readonly relay?: OutboxRelay) {}

  listen(listener: JobLaunchListener): void {
    if (!this.outbox || !this.relay) throw new Error('JobLaunchEvents needs the messaging module (OutboxService, OutboxRelay)');
    this.listeners.push(listener);
  }

  get active(): boolean {
    return this.listeners.length > 0;
  }

  /**
   * Writes `patch` guarded by the row's version and the listeners' messages; false if the row was
   * claimed again meanwhile. The listeners' after-commit hooks have run when it resolves: before
   * the runner polls the job, so before its result is applied.
   */
  async record(repo: JobExecutionRepository, row: JobExecutionEntity, patch: Partial<JobExecutionEntity>): Promise<boolean> {
    const hooks: Array<() => void> = [];
    const sent = await repo.dataSource.transaction(async (m) => {
      if (!(await repo.recordOutcome(row.id, row.version, patch, m))) return undefined;
      const launched = { ...row, ...patch } as JobExecutionEntity;
      const messages = [];
      for (const listener of this.listeners) messages.push(...(await listener(m, launched, (hook) => hooks.push(hook))));
      return this.outbox!.append(m, messages);
    });
    if (!sent) return false;
    for (const hook of hooks) hook();
    if (sent.length > 0) void this.relay!.publishNow(sent);
    return true;
  }
}
