import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { Brackets, DataSource, EntityManager, FindOptionsWhere, In, IsNull, LessThan } from 'typeorm';
import type { QueryDeepPartialEntity } from 'typeorm/query-builder/QueryPartialEntity';
import { ABANDONED_JOB_TEXTS } from './abandoned-job';
import { JobExecutionEntity, JobStatus } from './job-execution.entity';

export type JobPatch = QueryDeepPartialEntity<JobExecutionEntity>;

const LAUNCH_STATES: JobStatus[] = ['PENDING_LAUNCH', 'LAUNCHING'];

/** Job rows, with methods named for what the runner and the API need. */
@Injectable()
export class JobExecutionRepository {
  constructor(@InjectDataSource() readonly dataSource: DataSource) {}

  /** Locks up to `limit` rows whose launch or poll (or report) is due, skipping rows others hold. */
  /** `excluding`: rows this instance still works on, which come due again once their lease ran out. */
  lockDue(m: EntityManager, now: Date, limit: number, excluding: string[] = []): Promise<JobExecutionEntity[]> {
    const query = m.getRepository(JobExecutionEntity).createQueryBuilder('j')
      .where('j.reported_at IS NULL');
    if (excluding.length > 0) query.andWhere('j.id NOT IN (:...excluding)', { excluding });
    return query
      .andWhere(new Brackets((q) => q
        .where('j.status IN (:...launch) AND j.next_launch_at <= :now')
        .orWhere('j.status NOT IN (:...launch) AND j.next_poll_at <= :now')))
      .setParameters({ launch: LAUNCH_STATES, now })
      .orderBy('j.created_at', 'ASC')
      .limit(limit)
      .setLock('pessimistic_write')
      .setOnLocked('skip_locked')
      .getMany();
  }

  /** Changes a row this transaction holds and bumps its version, so results of older claims are dropped. */
  async claim(m: EntityManager, row: JobExecutionEntity, patch: Partial<JobExecutionEntity>): Promise<void> {
    await m.getRepository(JobExecutionEntity).update({ id: row.id }, { ...patch, version: () => 'version + 1' } as JobPatch);
    Object.assign(row, patch);
    row.version += 1;
  }

  /** Every DO job of a step, newest first, locked; `complete` is false if another instance holds one. */
  async lockDoJobs(m: EntityManager, flowId: string, stepName: string): Promise<{ rows: JobExecutionEntity[]; complete: boolean }> {
    const repo = m.getRepository(JobExecutionEntity);
    const ids = (await repo.find({ select: { id: true }, where: { flowId, stepName, action: 'DO' } })).map((r) => r.id);
    if (!ids.length) return { rows: [], complete: true };
    const rows = await repo.createQueryBuilder('j').where({ id: In(ids) })
      .orderBy('j.attempt', 'DESC').addOrderBy('j.created_at', 'DESC')
      .setLock('pessimistic_write').setOnLocked('skip_locked').getMany();
    return { rows, complete: rows.length === ids.length };
  }

  /** The rows of the earlier attempts of a row's step and action: what its call's Idempotency-Key follows (firstCallKey). */
  earlierAttemptsOf(m: EntityManager, row: Pick<JobExecutionEntity, 'flowId' | 'stepName' | 'action' | 'attempt'>): Promise<JobExecutionEntity[]> {
    return m.getRepository(JobExecutionEntity).find({
      where: { flowId: row.flowId, stepName: row.stepName, action: row.action, attempt: LessThan(row.attempt) },
    });
  }

  /** Writes the outcome of a claim, only if the row was not claimed again since (version). */
  async recordOutcome(id: string, version: number, patch: Partial<JobExecutionEntity>, m: EntityManager = this.dataSource.manager): Promise<boolean> {
    const result = await m.getRepository(JobExecutionEntity).update({ id, version }, patch as JobPatch);
    return (result.affected ?? 0) > 0;
  }

  /**
   * The job a launch started after its run was terminated without compensation (the row was
   * abandoned while LAUNCHING): written on the row, still FAILED and reported, so an operator can
   * find the job left running. False if the row is not one abandoned while launching, or already
   * names a job.
   */
  async recordLaunchOfAbandoned(id: string, patch: Partial<JobExecutionEntity>, error: string): Promise<boolean> {
    const result = await this.dataSource.getRepository(JobExecutionEntity).update(
      { id, status: 'FAILED', error: ABANDONED_JOB_TEXTS.launching, externalJobId: IsNull() },
      { ...patch, error } as JobPatch,
    );
    return (result.affected ?? 0) > 0;
  }

  async findById(id: string): Promise<JobExecutionEntity | null> {
    return this.dataSource.getRepository(JobExecutionEntity).findOneBy({ id });
  }

  async listForFlow(flowId: string): Promise<JobExecutionEntity[]> {
    return this.dataSource.getRepository(JobExecutionEntity).find({ where: { flowId }, order: { createdAt: 'ASC', id: 'ASC' } });
  }

  async page(where: FindOptionsWhere<JobExecutionEntity>, skip: number, take: number): Promise<[JobExecutionEntity[], number]> {
    return this.dataSource.getRepository(JobExecutionEntity).findAndCount({ where, order: { createdAt: 'DESC', id: 'ASC' }, skip, take });
  }
}
