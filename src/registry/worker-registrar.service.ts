import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { chooseWorker } from '../engine/core/choose-worker';
import type { WorkerDocument } from './document';
import { MAX_STEPS } from './document/registration-document.schema';
import type { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import { allowedWorkersOf, notAllowedMessage } from './allowed-workers';
import type { RegistrationResult } from './registry.service';
import { withinTemplateLimit } from './template-limit';
import { TemplateRepository } from './template.repository';
import { WorkerInUse } from './worker-in-use';

/** Applies a worker's registration document: checks it against the template, then offers its steps. */
@Injectable()
export class WorkerRegistrar {
  private readonly logger = new Logger(WorkerRegistrar.name);

  constructor(private readonly templates: TemplateRepository, private readonly config: AppConfig, private readonly inUse: WorkerInUse) {}

  /** In `m`, under the template's lock; `topic`: where the service takes its commands. */
  async apply(m: EntityManager, doc: WorkerDocument, serviceName: string, topic: string, correlationId?: string): Promise<RegistrationResult> {
    const template = await this.templates.lockByName(m, doc.orchName);
    const steps = template ? await this.templates.stepsOf(template.id, template.currentVersion, m) : [];
    const byName = new Map(steps.map((s) => [s.name, s]));
    const mismatches = doc.steps.flatMap((s, i) => {
      const known = byName.get(s.name);
      return known && known.objectType !== s.objectType
        ? [{ path: `steps[${i}].objectType`, message: `${s.name} takes objectType ${known.objectType}, not ${s.objectType}` }]
        : [];
    });
    if (mismatches.length) {
      throw new AppError(ErrorCode.OBJECT_TYPE_MISMATCH, `The worker's steps do not match template ${doc.orchName}`, mismatches);
    }
    const notAllowed = doc.steps.flatMap((s, i) => {
      // A step the current version lacks names no workers either: a run of an older version that has it may still need one.
      const step = byName.get(s.name);
      const allowed = template ? allowedWorkersOf(step?.allowedWorkers, template.ownerService, this.config.workersPinned) : null;
      return allowed && !allowed.includes(serviceName)
        ? [{ path: `steps[${i}].name`, message: notAllowedMessage(s.name, serviceName, step?.allowedWorkers, allowed) }] : [];
    });
    if (notAllowed.length) {
      throw new AppError(ErrorCode.WORKER_NOT_ALLOWED, `Template ${doc.orchName} does not let ${serviceName} work these steps`, notAllowed);
    }
    withinTemplateLimit(await this.templates.countWorkedForLocked(m, serviceName, doc.orchName), this.config.MAX_TEMPLATES_PER_SERVICE,
      `${serviceName} registers workers for`, 'remove a registration it no longer needs');
    await this.withinStepLimit(m, doc, serviceName);
    // A step registered anew under another objectType (a new version retyped it) keeps its old
    // registration while runs started on an older version still send that objectType's commands
    // to this service and to no other: replacing it would leave them to time out, never undone.
    const { changed, kept } = await this.templates.offerWorkers(m,
      doc.steps.map((s) => ({ orchName: doc.orchName, stepName: s.name, serviceName, objectType: s.objectType, topic })),
      async (other, all) => (await this.inUse.runsLeftWithout(m, other, all, 1)) > 0);
    if (kept.length) this.logKept(kept, correlationId);
    const unknownSteps = template ? doc.steps.filter((s) => !byName.has(s.name)).map((s) => s.name) : [];
    const stepsServedByOthers = await this.stepsServedByOthers(m, doc, serviceName);
    const outcome = changed === 0 ? 'UNCHANGED' : 'CREATED';
    if (!template) {
      return { orchName: doc.orchName, role: 'worker', outcome, serviceName, version: null, status: null, missingSteps: [], unknownSteps, stepsServedByOthers };
    }
    const t = await this.templates.refreshReadiness(m, template);
    return { orchName: t.orchName, role: 'worker', outcome, serviceName, version: t.currentVersion, status: t.status,
      missingSteps: t.missingSteps, unknownSteps, stepsServedByOthers };
  }

  /**
   * A service works at most MAX_STEPS steps of one template, as many as a template has: a step
   * name no version has yet is kept (a later version may add it), so without a bound documents of
   * new names would each add rows, as many as a service cared to send.
   */
  private async withinStepLimit(m: EntityManager, doc: WorkerDocument, serviceName: string): Promise<void> {
    const registered = new Set((await this.templates.workersOf(doc.orchName, m)).filter((w) => w.serviceName === serviceName).map((w) => w.stepName));
    const steps = registered.size + doc.steps.filter((s) => !registered.has(s.name)).length;
    if (steps <= MAX_STEPS) return;
    throw new AppError(ErrorCode.TEMPLATE_LIMIT_REACHED,
      `Forbidden: ${serviceName} would register ${steps} steps of ${doc.orchName}, and a service works at most ${MAX_STEPS} steps of a template; `
      + 'remove the registrations it no longer needs (DELETE /api/orchestration/workers/{id})', [
        { path: 'steps', message: `${registered.size} steps registered already, ${steps - registered.size} more here: at most ${MAX_STEPS} in all` },
      ]);
  }

  private logKept(kept: WorkerRegistrationEntity[], correlationId?: string): void {
    for (const w of kept) {
      this.logger.log({ orchName: w.orchName, step: w.stepName, serviceName: w.serviceName, objectType: w.objectType, correlationId },
        'registration of an earlier objectType kept: runs under way still send it commands, and no other worker takes them');
    }
  }

  /**
   * The earliest registration of a step wins, so a worker that registers a step another service
   * already serves is a standby that nothing tells it of: named here, without the other service
   * (a service key sees no other service's registrations).
   */
  private async stepsServedByOthers(m: EntityManager, doc: WorkerDocument, serviceName: string): Promise<string[]> {
    const registered = await this.templates.workersOf(doc.orchName, m);
    return doc.steps.filter((s) => {
      const chosen = chooseWorker(registered.filter((w) => w.stepName === s.name), s.objectType);
      return chosen !== undefined && chosen.serviceName !== serviceName;
    }).map((s) => s.name);
  }
}
