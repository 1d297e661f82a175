import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, In } from 'typeorm';
import { AppConfig } from '../config/app-config';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { Page, pageOf, skipOf } from '../common/pagination';
import { TEMPLATE_VERSIONS_SHOWN, type AuditQueryDto, type TemplateDetailDto, type TemplateQueryDto, type TemplateSummaryDto, type WorkerDto,
  type WorkerQueryDto } from './dto/template.dto';
import { OrchestrationTemplateEntity } from './entities/orchestration-template.entity';
import type { RegistrationAuditEntity } from './entities/registration-audit.entity';
import { StepTemplateEntity } from './entities/step-template.entity';
import { TemplateVersionEntity } from './entities/template-version.entity';
import { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import { liveWorker, type PresentInstance } from './live-workers';
import { SERVICE_REGISTRATIONS_SHOWN, type WorkerServiceDto, type WorkerServiceQueryDto } from './dto/worker-service.dto';
import { RegistrationAuditRepository } from './registration-audit.repository';
import { templateGraph } from './template-graph';
import { allowedWorkersOf } from './allowed-workers';

const summaryOf = (t: OrchestrationTemplateEntity): TemplateSummaryDto => ({
  orchName: t.orchName, type: t.type, status: t.status, version: t.currentVersion, missingSteps: t.missingSteps,
  ownerService: t.ownerService, description: t.description, createdAt: t.createdAt, updatedAt: t.updatedAt,
});

export const workerOf = ({ id, orchName, stepName, serviceName, objectType, topic, createdAt, updatedAt }: WorkerRegistrationEntity): WorkerDto =>
  ({ id, orchName, stepName, serviceName, objectType, topic, createdAt, updatedAt });

/** The worker-services filter on $1 (a service name) and $2 (a template name), either null for any. */
const WITHIN = '($1::varchar IS NULL OR service_name = $1) AND ($2::varchar IS NULL OR orch_name = $2)';

/** Read side of the registry for the REST API. */
@Injectable()
export class RegistryQueryService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: RegistrationAuditRepository,
    private readonly config: AppConfig,
  ) {}

  /** `ownerService`: only that service's templates. */
  async templates(query: TemplateQueryDto, ownerService?: string): Promise<Page<TemplateSummaryDto>> {
    const [rows, total] = await this.dataSource.getRepository(OrchestrationTemplateEntity).findAndCount({
      where: { ...(query.status ? { status: query.status } : {}), ...(ownerService !== undefined ? { ownerService } : {}) }, order: { orchName: 'ASC' }, skip: skipOf(query), take: query.pageSize,
    });
    return pageOf(rows.map(summaryOf), total, query);
  }

  /**
   * `ownerService`: another service's template is TEMPLATE_NOT_FOUND, exactly as a missing one.
   * The newest versions in full, and `version` if it is older: each version's steps are read and
   * drawn, so all of them would make a long-lived template's every read grow without bound.
   */
  async template(orchName: string, ownerService?: string, version?: number): Promise<TemplateDetailDto> {
    const t = await this.dataSource.getRepository(OrchestrationTemplateEntity)
      .findOneBy({ orchName, ...(ownerService !== undefined ? { ownerService } : {}) });
    if (!t) throw new AppError(ErrorCode.TEMPLATE_NOT_FOUND, `No template named ${orchName}`);
    const versionRepo = this.dataSource.getRepository(TemplateVersionEntity);
    const [[newest, versionCount], asked] = await Promise.all([
      versionRepo.findAndCount({ where: { templateId: t.id }, order: { version: 'DESC' }, take: TEMPLATE_VERSIONS_SHOWN }),
      version === undefined ? null : versionRepo.findOneBy({ templateId: t.id, version }),
    ]);
    const versions = asked && !newest.some((v) => v.version === asked.version) ? [...newest, asked] : newest;
    const [steps, workers, live] = await Promise.all([
      this.dataSource.getRepository(StepTemplateEntity).find({
        where: { templateId: t.id, version: In(versions.map((v) => v.version)) }, order: { seq: 'ASC', name: 'ASC' },
      }),
      this.dataSource.getRepository(WorkerRegistrationEntity).find({ where: { orchName }, order: { createdAt: 'ASC' } }),
      this.liveInstancesFor(orchName),
    ]);
    return {
      ...summaryOf(t),
      versionCount,
      versions: versions.map((v) => {
        const own = steps.filter((s) => s.version === v.version);
        return {
          version: v.version, type: v.type, registeredBy: v.registeredBy, contentHash: v.contentHash, createdAt: v.createdAt,
          steps: own.map(({ seq, name, objectType, timeoutSeconds, heartbeatSeconds, retry, handler, undo, onFailure, dependsOn, allowedWorkers }) =>
            ({ seq, name, objectType, timeoutSeconds, heartbeatSeconds, retry, handler, undo, onFailure, dependsOn, workers: allowedWorkers,
              mayWork: allowedWorkersOf(allowedWorkers, t.ownerService, this.config.workersPinned) })),
          graph: templateGraph(v.type, own),
        };
      }),
      workers: workers.map((w) => ({ ...workerOf(w), ...liveWorker(w, live) })),
    };
  }

  private liveInstancesFor(orchName: string): Promise<PresentInstance[]> {
    return this.dataSource.query(
      `SELECT instance_id AS "instanceId", service_name AS "serviceName", host, sdk_version AS "sdkVersion",
              last_seen_at AS "lastSeenAt", steps
         FROM worker_instance
        WHERE last_seen_at > now() - make_interval(secs => $1) AND steps @> $2::jsonb`,
      [this.config.WORKER_PRESENCE_TTL_SECONDS, JSON.stringify([{ orchName }])]);
  }

  /** `ownService`: a service key's own service, whose registrations alone it sees. */
  async workers(query: WorkerQueryDto, ownService?: string): Promise<Page<WorkerDto>> {
    if (ownService !== undefined && query.serviceName !== undefined && query.serviceName !== ownService) return pageOf([], 0, query);
    // A filter left undefined is no condition: TypeORM's find skips undefined properties of `where`.
    const [rows, total] = await this.dataSource.getRepository(WorkerRegistrationEntity).findAndCount({
      where: { orchName: query.orchName, serviceName: ownService ?? query.serviceName }, order: { orchName: 'ASC', stepName: 'ASC', createdAt: 'ASC' }, skip: skipOf(query), take: query.pageSize,
    });
    return pageOf(rows.map(workerOf), total, query);
  }

  /**
   * The services registered as workers, a page of services in name order, each with its
   * registrations (`workers` pages those). The page, its total and its registrations come from one
   * snapshot, so they agree under concurrent registrations.
   */
  async workerServices(query: WorkerServiceQueryDto, ownService?: string): Promise<Page<WorkerServiceDto>> {
    if (ownService !== undefined && query.serviceName !== undefined && query.serviceName !== ownService) return pageOf([], 0, query);
    const filter = { serviceName: ownService ?? query.serviceName ?? null, orchName: query.orchName ?? null };
    return this.dataSource.transaction('REPEATABLE READ', async (m) => {
      const services: Array<{ service_name: string; count: number; last: Date; topics: string[] }> = await m.query(
        `SELECT service_name, count(*)::int AS count, max(updated_at) AS last, array_agg(DISTINCT topic ORDER BY topic) AS topics
           FROM worker_registration WHERE ${WITHIN} GROUP BY service_name ORDER BY service_name OFFSET $3 LIMIT $4`,
        [filter.serviceName, filter.orchName, skipOf(query), query.pageSize]);
      const [{ total }]: Array<{ total: number }> = await m.query(
        `SELECT count(DISTINCT service_name)::int AS total FROM worker_registration WHERE ${WITHIN}`, [filter.serviceName, filter.orchName]);
      const registrations = await this.registrationsOf(m, services.map((s) => s.service_name), filter.orchName);
      return pageOf(services.map((s) => ({
        serviceName: s.service_name, topics: s.topics, lastChangedAt: s.last, registrationCount: s.count,
        registrations: registrations.get(s.service_name) ?? [],
      })), total, query);
    });
  }

  /** The services' registrations by template and step, the first SERVICE_REGISTRATIONS_SHOWN of each, by service. */
  private async registrationsOf(m: EntityManager, services: string[], orchName: string | null): Promise<Map<string, WorkerDto[]>> {
    const byService = new Map<string, WorkerDto[]>();
    if (services.length === 0) return byService;
    const rows: WorkerRegistrationEntity[] = await m.query(`SELECT id, orch_name AS "orchName", step_name AS "stepName",
        service_name AS "serviceName", object_type AS "objectType", topic, created_at AS "createdAt", updated_at AS "updatedAt" FROM (
        SELECT w.*, row_number() OVER (PARTITION BY service_name ORDER BY orch_name, step_name, created_at) AS nth
          FROM worker_registration w WHERE service_name = ANY($1) AND ($2::varchar IS NULL OR orch_name = $2)) r
      WHERE nth <= $3 ORDER BY service_name, orch_name, step_name, created_at`, [services, orchName, SERVICE_REGISTRATIONS_SHOWN]);
    for (const row of rows) {
      let list = byService.get(row.serviceName);
      if (!list) byService.set(row.serviceName, (list = []));
      list.push(workerOf(row));
    }
    return byService;
  }

  async auditTrail(query: AuditQueryDto): Promise<Page<RegistrationAuditEntity>> {
    const [rows, total] = await this.audit.list({ serviceName: query.serviceName, orchName: query.orchName, outcome: query.outcome }, query);
    return pageOf(rows, total, query);
  }
}
