import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, FindOptionsWhere, In, Raw } from 'typeorm';
import { createdWithin } from '../common/created-range';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, pageOf, skipOf } from '../common/pagination';
import { allowedActions } from './core/allowed-actions';
import { encodePayload } from './core/run-payload';
import { isTerminal, RUN_STATUSES, TERMINAL_RUN_STATUSES } from './core/run-status';
import type { RunDetailDto, RunQueryDto, RunSummaryDto } from './dto/run.dto';
import { OrchestrationRunEntity } from './entities/orchestration-run.entity';
import { RunEventEntity } from './entities/run-event.entity';
import { StepRunEntity } from './entities/step-run.entity';
import { DISPATCH_WAIT, OpenJob, operatorWait, stepWait, waitText, workersWait } from './run-waits';
import { TemplatePlans } from './template-plans';

const summaryOf = (r: OrchestrationRunEntity): RunSummaryDto => ({
  flowId: r.flowId, orchName: r.orchName, templateVersion: r.templateVersion, status: r.status, failedStep: r.failedStep,
  error: r.error, correlationId: r.correlationId, createdAt: r.createdAt, updatedAt: r.updatedAt, finishedAt: r.finishedAt,
});

/**
 * The runs a `service` principal may see: those of templates its service owns (and named
 * `orchName`, when the query names one). Another service's run is then simply not found.
 */
const ofTemplatesOwnedBy = (owner: string, orchName?: string) => Raw((column) =>
  `${orchName !== undefined ? `${column} = :orchName AND ` : ''}${column} IN (SELECT orch_name FROM orchestration_template WHERE owner_service = :owner)`,
{ owner, orchName });

const UNFINISHED = RUN_STATUSES.filter((s) => !TERMINAL_RUN_STATUSES.includes(s));

/**
 * Read side of runs: lists, the timeline of one run, and what unfinished runs wait for. Each
 * answer is read in one REPEATABLE READ transaction, so a run and its attempts come from one
 * snapshot: never RUNNING with every step succeeded, or waiting for workers with steps in flight.
 */
@Injectable()
export class RunQueryService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly plans: TemplatePlans) {}

  /** `ownerService`: only runs of that service's templates. */
  list(q: RunQueryDto, ownerService?: string): Promise<Page<RunSummaryDto>> {
    return this.dataSource.transaction('REPEATABLE READ', (m) => this.listIn(m, q, ownerService));
  }

  /** `ownerService`: a run of another service's template is RUN_NOT_FOUND, exactly as a missing one. */
  async get(flowId: string, ownerService?: string): Promise<RunDetailDto> {
    const detail = await this.dataSource.transaction('REPEATABLE READ', (m) => this.getIn(m, flowId, ownerService));
    // Outside the transaction: the plan comes from another connection (PGlite has one) or the cache.
    const { plan } = await this.plans.get(detail.templateId, detail.templateVersion);
    const actions = allowedActions(plan, detail.status, detail.steps);
    const { templateId: _t, ...rest } = detail;
    // allowedActions keeps to the operator actions its schema enumerates (undo is in `actions` only: see RunDetailDto).
    const operator = actions.filter((a) => a.allowed && a.action !== 'undo').map((a) => a.action);
    return { ...rest, allowedActions: operator, actions };
  }

  private async listIn(m: EntityManager, q: RunQueryDto, ownerService: string | undefined): Promise<Page<RunSummaryDto>> {
    // Both filters hold at once: no run is stuck in a finished status.
    if (q.stuck && q.status && !UNFINISHED.includes(q.status)) return pageOf([], 0, q);
    const where: FindOptionsWhere<OrchestrationRunEntity> = {};
    if (ownerService !== undefined) where.orchName = ofTemplatesOwnedBy(ownerService, q.orchName || undefined);
    else if (q.orchName) where.orchName = q.orchName;
    if (q.correlationId) where.correlationId = q.correlationId;
    if (q.idempotencyKey) where.idempotencyKey = q.idempotencyKey;
    if (q.status) where.status = q.status;
    else if (q.stuck) where.status = In(UNFINISHED);
    const created = createdWithin(q);
    if (created) where.createdAt = created;
    const direction = (q.order ?? (q.stuck ? 'oldest' : 'newest')) === 'oldest' ? 'ASC' : 'DESC';
    // flowId breaks ties, so that runs created in the same instant keep their place from page to page.
    const [rows, total] = await m.getRepository(OrchestrationRunEntity).findAndCount({
      where, order: { createdAt: direction, flowId: direction }, skip: skipOf(q), take: q.pageSize,
    });
    const items = rows.map(summaryOf);
    if (q.stuck) await this.describeWaits(m, items);
    return pageOf(items, total, q);
  }

  private async getIn(m: EntityManager, flowId: string, ownerService: string | undefined) {
    const run = await m.getRepository(OrchestrationRunEntity)
      .findOneBy({ flowId, ...(ownerService !== undefined ? { orchName: ofTemplatesOwnedBy(ownerService) } : {}) });
    if (!run) throw new AppError(ErrorCode.RUN_NOT_FOUND, `No run ${flowId}`);
    // One after the other: a transaction's queries share its one connection.
    const steps = await m.getRepository(StepRunEntity).find({ where: { flowId }, order: { id: 'ASC' } });
    const events = await m.getRepository(RunEventEntity).find({ where: { flowId }, order: { id: 'ASC' } });
    const summary = summaryOf(run);
    if (UNFINISHED.includes(run.status)) await this.describeWaits(m, [summary]);
    return {
      ...summary, status: run.status, templateId: run.templateId, contentType: run.contentType, ...encodePayload(run.payload, run.contentType),
      deadlineAt: run.deadlineAt, onDeadline: run.onDeadline,
      // By the database's clock, which set the deadline and against which the healer applies it.
      deadlineRemainingSeconds: run.deadlineAt && !isTerminal(run.status) ? Math.round((run.deadlineAt.getTime() - await databaseNow(m)) / 1000) : null,
      steps: steps.map(({ id: _id, flowId: _f, createdAt: _c, ...s }) => s),
      events: events.map(({ at, kind, stepName, reason, actor }) => ({ at, kind, stepName, reason, actor })),
    };
  }

  /** Names what each unfinished run waits for: workers, steps in flight (and until when), or a retry. */
  private async describeWaits(m: EntityManager, runs: RunSummaryDto[]): Promise<void> {
    const open = runs.filter((r) => !TERMINAL_RUN_STATUSES.includes(r.status as never));
    if (open.length === 0) return;
    const inFlight = await m.getRepository(StepRunEntity).find({
      where: { flowId: In(open.map((r) => r.flowId)), status: 'DISPATCHED' }, order: { id: 'ASC' },
    });
    const flowIds = open.map((r) => r.flowId);
    const templates: { orch_name: string; missing_steps: string[] }[] = await m.query(
      `SELECT orch_name, missing_steps FROM orchestration_template WHERE orch_name = ANY($1)`, [open.map((r) => r.orchName)]);
    // Built-in steps say more than "in flight": launching, polling, or waiting for an operator.
    const jobs: Array<OpenJob & { command_id: string }> = await m.query(
      `SELECT command_id, status, external_status FROM job_execution WHERE flow_id = ANY($1) AND completed_at IS NULL`, [flowIds]);
    const jobOf = new Map(jobs.map((j) => [j.command_id, j]));
    const now = new Date();
    for (const run of open) {
      const steps = inFlight.filter((s) => s.flowId === run.flowId);
      const waits = run.status === 'WAITING_FOR_WORKERS'
        ? [workersWait(templates.find((t) => t.orch_name === run.orchName)?.missing_steps ?? [])]
        : steps.length > 0 ? steps.map((s) => stepWait(s, jobOf.get(s.commandId), now))
          : run.status === 'PAUSED' ? [operatorWait(run.failedStep)] : [DISPATCH_WAIT];
      run.waits = waits;
      run.waitingFor = waitText(waits);
    }
  }
}

/** The database's clock, in ms since the epoch (the transaction's start: the run was read in it). */
async function databaseNow(m: EntityManager): Promise<number> {
  const [{ ms }] = await m.query('SELECT extract(epoch FROM now())::float8 * 1000 AS ms');
  return Number(ms);
}
