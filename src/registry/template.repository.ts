import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import type { InitiatorDocument } from './document';
import { OrchestrationTemplateEntity, TemplateStatus } from './entities/orchestration-template.entity';
import { StepTemplateEntity } from './entities/step-template.entity';
import { TemplateVersionEntity } from './entities/template-version.entity';
import { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import type { RegistrationSource } from './entities/registration-audit.entity';
import { AppConfig } from '../config/app-config';
import { type LiveInstance, liveRegistrations, missingSteps } from './readiness';
import { allowedWorkersOf } from './allowed-workers';

/** What a new version changes in its template's row. */
export type CurrentVersion = Pick<OrchestrationTemplateEntity, 'currentVersion' | 'type' | 'description'>;

/** What a worker registration document offers for one step. */
export type OfferedWorker = Pick<WorkerRegistrationEntity, 'orchName' | 'stepName' | 'serviceName' | 'objectType' | 'topic'>;

/** A worker registration, by template, step and service. */
type RemovedRegistration = Pick<WorkerRegistrationEntity, 'orchName' | 'stepName' | 'serviceName'>;

/** Whether runs under way still need `worker`, were only `remaining` of its template's registrations left. */
export type StillNeeded = (worker: WorkerRegistrationEntity, remaining: WorkerRegistrationEntity[]) => Promise<boolean>;

/**
 * Holds a transaction-scoped advisory lock named `key` until the transaction ends. Registrations
 * of one template, or of one service, queue here: a fleet starting at once queues for longer than
 * DATABASE_LOCK_TIMEOUT_MS, which is for a run's row, so this transaction waits for its locks as
 * long as a statement may run (lock_timeout 0, set for the transaction in the same round trip).
 */
async function holdLock(m: EntityManager, key: string): Promise<void> {
  await m.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0)) FROM (SELECT set_config('lock_timeout', '0', true)) AS queued`, [key]);
}

/** Templates, their immutable versions and steps, and the workers offered for them. */
@Injectable()
export class TemplateRepository {
  constructor(@InjectDataSource() private readonly dataSource: DataSource, private readonly config: AppConfig) {}

  /**
   * Locks the template's name for this transaction, then reads its row (locked too, for the
   * healer's skip-locked claims), so registrations of one template apply one after another. The
   * name is locked, not only the row: before the template exists there is no row, and two first
   * registrations (or a worker racing its new template) would each miss the other's write.
   */
  async lockByName(m: EntityManager, orchName: string): Promise<OrchestrationTemplateEntity | null> {
    await holdLock(m, `baton.template:${orchName}`);
    return m.getRepository(OrchestrationTemplateEntity)
      .findOne({ where: { orchName }, lock: { mode: 'pessimistic_write' } });
  }

  findByName(orchName: string): Promise<OrchestrationTemplateEntity | null> {
    return this.dataSource.getRepository(OrchestrationTemplateEntity).findOneBy({ orchName });
  }

  versionHash(m: EntityManager, template: OrchestrationTemplateEntity): Promise<string | undefined> {
    return m.getRepository(TemplateVersionEntity)
      .findOneBy({ templateId: template.id, version: template.currentVersion })
      .then((v) => v?.contentHash);
  }

  /**
   * The newest version of `template` with this content if a later one was registered other than
   * from a definition file (or before sources were recorded): the version a file holding this
   * content would revert. Undefined when there is none.
   */
  async supersededVersionWithContent(m: EntityManager, template: OrchestrationTemplateEntity, contentHash: string): Promise<number | undefined> {
    const [row]: Array<{ version: number }> = await m.query(
      `SELECT v.version FROM orchestration_template_version v
        WHERE v.template_id = $1 AND v.content_hash = $2
          AND EXISTS (SELECT 1 FROM orchestration_template_version later
                       WHERE later.template_id = v.template_id AND later.version > v.version AND later.source IS DISTINCT FROM 'file')
        ORDER BY v.version DESC LIMIT 1`, [template.id, contentHash]);
    return row?.version;
  }

  /** How many templates `service` owns, holding the service's lock until the transaction ends, so that no other count of it runs meanwhile. */
  async countOwnedByLocked(m: EntityManager, service: string): Promise<number> {
    await holdLock(m, `baton.templates-of:${service}`);
    return m.getRepository(OrchestrationTemplateEntity).countBy({ ownerService: service });
  }

  /**
   * How many templates `service` registers workers for, 0 if `orchName` is among them already (its
   * registration adds no template name), under a lock of the service's as countOwnedByLocked's.
   */
  async countWorkedForLocked(m: EntityManager, service: string, orchName: string): Promise<number> {
    await holdLock(m, `baton.workers-of:${service}`);
    const [{ already, templates }]: Array<{ already: boolean; templates: number }> = await m.query(
      `SELECT bool_or(orch_name = $2) AS already, count(DISTINCT orch_name)::int AS templates FROM worker_registration WHERE service_name = $1`,
      [service, orchName]);
    return already ? 0 : templates;
  }

  async createTemplate(m: EntityManager, doc: InitiatorDocument, service: string): Promise<OrchestrationTemplateEntity> {
    const template = await m.getRepository(OrchestrationTemplateEntity).save(m.create(OrchestrationTemplateEntity, {
      orchName: doc.orchName, ownerService: service, type: doc.type, description: doc.description,
      status: 'PENDING', currentVersion: 0, missingSteps: [],
    }));
    return template;
  }

  /**
   * Adds version N+1 with its steps, earlier versions staying for running runs, and answers what
   * makes it current: refreshReadiness writes that with the readiness, in one write of the row.
   */
  async addVersion(m: EntityManager, template: OrchestrationTemplateEntity, doc: InitiatorDocument,
    service: string, contentHash: string, source: RegistrationSource): Promise<CurrentVersion> {
    const version = template.currentVersion + 1;
    await m.getRepository(TemplateVersionEntity).insert({
      templateId: template.id, version, type: doc.type, description: doc.description, contentHash, registeredBy: service, source,
      deadlineSeconds: doc.deadlineSeconds ?? null, onDeadline: doc.onDeadline ?? null,
    });
    const steps = m.getRepository(StepTemplateEntity);
    await steps.save(doc.steps.map((s) => steps.create({
      templateId: template.id, version, seq: s.seq, name: s.name, objectType: s.objectType,
      timeoutSeconds: s.timeoutSeconds, heartbeatSeconds: s.heartbeatSeconds ?? null, retry: s.retry, handler: s.handler, undo: s.undo, onFailure: s.onFailure ?? 'compensate',
      allowedWorkers: s.workers ?? null, dependsOn: s.dependsOn ?? null,
    })));
    return { currentVersion: version, type: doc.type, description: doc.description };
  }

  /**
   * What a version says about its runs as a whole: how they are planned, their deadline, and
   * `registeredBy`, the service that registered the version, which owns the template (only it may register another).
   */
  async runSettingsOf(templateId: string, version: number): Promise<Pick<TemplateVersionEntity, 'type' | 'deadlineSeconds' | 'onDeadline' | 'registeredBy'>> {
    const { type, deadlineSeconds, onDeadline, registeredBy } = await this.dataSource.getRepository(TemplateVersionEntity).findOneByOrFail({ templateId, version });
    return { type, deadlineSeconds, onDeadline, registeredBy };
  }

  stepsOf(templateId: string, version: number, m: EntityManager = this.dataSource.manager): Promise<StepTemplateEntity[]> {
    return m.getRepository(StepTemplateEntity).find({ where: { templateId, version }, order: { seq: 'ASC', name: 'ASC' } });
  }

  workersOf(orchName: string, m: EntityManager = this.dataSource.manager): Promise<WorkerRegistrationEntity[]> {
    return m.getRepository(WorkerRegistrationEntity).find({ where: { orchName }, order: { createdAt: 'ASC', serviceName: 'ASC' } });
  }

  /**
   * Recomputes READY/PENDING from the current version's steps (`made`: of the version just added)
   * and the registered (with READINESS=live: live) workers it lets work them; writes the row only if it changed.
   * The answer's `updatedAt` is the one read, not the one written.
   */
  async refreshReadiness(m: EntityManager, template: OrchestrationTemplateEntity, made?: CurrentVersion): Promise<OrchestrationTemplateEntity> {
    const version = made?.currentVersion ?? template.currentVersion;
    const [steps, all] = await Promise.all([this.stepsOf(template.id, version, m), this.workersOf(template.orchName, m)]);
    // A registration the version names no more, kept for runs under way, does not serve its new runs: those wait for a worker it names.
    const allowed = new Map(steps.map((s) => [s.name, allowedWorkersOf(s.allowedWorkers, template.ownerService, this.config.workersPinned)]));
    const registered = all.filter((w) => allowed.get(w.stepName)?.includes(w.serviceName) ?? true);
    const workers = this.config.READINESS === 'live' ? liveRegistrations(registered, await this.liveInstances(m)) : registered;
    const missing = missingSteps(
      steps.map((s) => ({ name: s.name, objectType: s.objectType, handlerType: s.handler.type })),
      workers.map((w) => ({ stepName: w.stepName, objectType: w.objectType })),
    );
    const status: TemplateStatus = missing.length === 0 ? 'READY' : 'PENDING';
    const unchanged = !made && status === template.status && JSON.stringify(missing) === JSON.stringify(template.missingSteps);
    if (unchanged) return template;
    const change = { ...made, status, missingSteps: missing };
    await m.getRepository(OrchestrationTemplateEntity).update(template.id, change);
    return Object.assign(template, change);
  }

  private liveInstances(m: EntityManager): Promise<LiveInstance[]> {
    return m.query(
      `SELECT service_name AS "serviceName", steps FROM worker_instance WHERE last_seen_at > now() - make_interval(secs => $1)`,
      [this.config.WORKER_PRESENCE_TTL_SECONDS]);
  }

  /** Claims a READY template for the healer's check that its workers are still live (READINESS=live). */
  claimReadyTemplate(m: EntityManager, orchName: string): Promise<OrchestrationTemplateEntity | null> {
    return m.getRepository(OrchestrationTemplateEntity).createQueryBuilder('t')
      .where(`t.status = 'READY' AND t.orch_name = :orchName`, { orchName })
      .setLock('pessimistic_write').setOnLocked('skip_locked').getOne();
  }

  /**
   * Upserts a worker's steps, one registration per step and objectType. The service's registration
   * of a step under another objectType goes, unless `stillNeeded` says runs under way need it: those
   * keep it (at the service's new topic) until a later registration finds it unneeded. Returns how
   * many rows were added, changed or removed, and the ones kept.
   */
  async offerWorkers(m: EntityManager, rows: OfferedWorker[],
    stillNeeded: (other: WorkerRegistrationEntity, all: WorkerRegistrationEntity[]) => Promise<boolean>,
  ): Promise<{ changed: number; kept: WorkerRegistrationEntity[] }> {
    const repo = m.getRepository(WorkerRegistrationEntity);
    const all = rows.length ? await this.workersOf(rows[0].orchName, m) : [];
    const kept: WorkerRegistrationEntity[] = [];
    let changed = 0;
    for (const row of rows) {
      const own = all.filter((w) => w.stepName === row.stepName && w.serviceName === row.serviceName);
      const same = own.find((w) => w.objectType === row.objectType);
      if (!same) await repo.insert(repo.create(row));
      const others = own.filter((w) => w !== same);
      const keep = new Set<WorkerRegistrationEntity>();
      for (const other of others) if (await stillNeeded(other, all)) keep.add(other);
      const gone = others.filter((w) => !keep.has(w));
      if (gone.length) await repo.delete(gone.map((w) => w.id));
      const moved = [...(same ? [same] : []), ...keep].filter((w) => w.topic !== row.topic);
      if (moved.length) await repo.update(moved.map((w) => w.id), { topic: row.topic });
      kept.push(...keep);
      changed += (same ? 0 : 1) + gone.length + moved.length;
    }
    return { changed, kept };
  }

  /**
   * Removes the registrations of a version's steps by services it does not let work them
   * (allowedWorkersOf): of one template's version (`of`) when it is added (not yet current in its
   * row), which drops the ones made before the template existed (the hijack: register first, win
   * the step), or when a worker registers; or of every template's current version at start. A step
   * the version lacks keeps its workers, for runs of older versions; so does one an earlier version
   * allowed while `stillNeeded` says runs under way need it, given the registrations that stay.
   */
  async removeWorkersNotAllowed(m: EntityManager, stillNeeded: StillNeeded, of?: { orchName: string; version: number },
  ): Promise<{ removed: RemovedRegistration[]; kept: RemovedRegistration[] }> {
    const registrations: Array<RemovedRegistration & { id: string; owner: string; named: string[] | null; before: Array<string[] | null> | null }> = await m.query(
      `SELECT w.id, w.orch_name AS "orchName", w.step_name AS "stepName", w.service_name AS "serviceName",
              t.owner_service AS owner, s.allowed_workers AS named, b.before
         FROM worker_registration w JOIN orchestration_template t ON t.orch_name = w.orch_name
         JOIN orchestration_step_template s ON s.template_id = t.id AND s.name = w.step_name
          AND s.version = ${of ? '$2' : 't.current_version'}
         LEFT JOIN LATERAL (SELECT jsonb_agg(p.allowed_workers) AS before FROM orchestration_step_template p
                     WHERE p.template_id = t.id AND p.name = w.step_name AND p.version < s.version) b ON true
        ${of ? 'WHERE w.orch_name = $1' : ''}`, of ? [of.orchName, of.version] : []);
    const allows = (named: string[] | null, owner: string, service: string) => allowedWorkersOf(named, owner, this.config.workersPinned)?.includes(service) ?? true;
    const outside = registrations.filter((w) => !allows(w.named, w.owner, w.serviceName));
    const outsideIds = new Set(outside.map((w) => w.id));
    const kept = new Set<string>();
    for (const orchName of new Set(outside.map((w) => w.orchName))) {
      const registered = await this.workersOf(orchName, m);
      const remaining = registered.filter((w) => !outsideIds.has(w.id));
      for (const w of outside.filter((o) => o.orchName === orchName && (o.before ?? []).some((named) => allows(named, o.owner, o.serviceName)))) {
        const entity = registered.find((r) => r.id === w.id);
        // One at a time, counting the ones kept so far: of two alike, one is enough for the runs.
        if (!entity || !(await stillNeeded(entity, [...remaining, entity]))) continue;
        kept.add(w.id);
        remaining.push(entity);
      }
    }
    const gone = outside.filter((w) => !kept.has(w.id));
    if (gone.length) await m.getRepository(WorkerRegistrationEntity).delete(gone.map((w) => w.id));
    const named = ({ orchName: o, stepName, serviceName }: RemovedRegistration) => ({ orchName: o, stepName, serviceName });
    return { removed: gone.map(named), kept: outside.filter((w) => kept.has(w.id)).map(named) };
  }

  /** The `workers:` of each of `names` in the newest version of the template that has it; names no version has are left out. */
  async newestStepsNamed(m: EntityManager, templateId: string, names: string[]): Promise<Map<string, string[] | null>> {
    if (names.length === 0) return new Map();
    const rows: Array<{ name: string; named: string[] | null }> = await m.query(
      `SELECT DISTINCT ON (name) name, allowed_workers AS named FROM orchestration_step_template
        WHERE template_id = $1 AND name = ANY($2::text[]) ORDER BY name, version DESC`, [templateId, names]);
    return new Map(rows.map((r) => [r.name, r.named]));
  }

  /** The `workers:` each version before `version` named on steps `names` (null: none), for removeWorkersNotAllowed's rule. */
  async namedBefore(m: EntityManager, templateId: string, version: number, names: string[]): Promise<Map<string, Array<string[] | null>>> {
    if (names.length === 0) return new Map();
    const rows: Array<{ name: string; named: string[] | null }> = await m.query(`SELECT name, allowed_workers AS named
      FROM orchestration_step_template WHERE template_id = $1 AND version < $2 AND name = ANY($3::text[])`, [templateId, version, names]);
    const before = new Map<string, Array<string[] | null>>();
    for (const r of rows) before.set(r.name, [...(before.get(r.name) ?? []), r.named]);
    return before;
  }

  /**
   * Whether a service other than `service` has registrations on `topic`. `locked`: holding the
   * topic's lock until the transaction ends, so that two services registering it at once do not each find it free.
   */
  async topicTaken(m: EntityManager, topic: string, service: string, locked = false): Promise<boolean> {
    if (locked) await holdLock(m, `baton.topic:${topic}`);
    const rows: unknown[] = await m.query('SELECT 1 FROM worker_registration WHERE topic = $1 AND service_name <> $2 LIMIT 1', [topic, service]);
    return rows.length > 0;
  }

  findWorker(id: string): Promise<WorkerRegistrationEntity | null> {
    return this.dataSource.getRepository(WorkerRegistrationEntity).findOneBy({ id });
  }

  async removeWorker(m: EntityManager, worker: WorkerRegistrationEntity): Promise<void> {
    await m.getRepository(WorkerRegistrationEntity).delete({ id: worker.id });
  }

  /** Claims a PENDING template for the healer, skipping one another transaction holds. */
  claimPendingTemplate(m: EntityManager, orchName: string): Promise<OrchestrationTemplateEntity | null> {
    return m.getRepository(OrchestrationTemplateEntity).createQueryBuilder('t')
      .where(`t.status = 'PENDING' AND t.orch_name = :orchName`, { orchName })
      .setLock('pessimistic_write').setOnLocked('skip_locked').getOne();
  }
}
