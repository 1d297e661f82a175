import { Injectable, Logger } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { chooseWorker } from '../engine/core/choose-worker';
import type { WorkerDocument } from './document';
import { MAX_STEPS } from './document/registration-document.schema';
import type { OrchestrationTemplateEntity } from './entities/orchestration-template.entity';
import type { StepTemplateEntity } from './entities/step-template.entity';
import type { WorkerRegistrationEntity } from './entities/worker-registration.entity';
import { allowedForFutureStep, allowedWorkersOf, futureStepMessage, notAllowedMessage } from './allowed-workers';
import type { RegistrationResult } from './registry.service';
import { withinTemplateLimit } from './template-limit';
import { TemplateRepository } from './template.repository';
import { takenTopicProblem } from './worker-topic';
import { WorkerInUse } from './worker-in-use';

/** Applies a worker's registration document: checks it against the template, then offers its steps. */
@Injectable()
export class WorkerRegistrar {
  private readonly logger = new Logger(WorkerRegistrar.name);

  constructor(private readonly templates: TemplateRepository, private readonly config: AppConfig, private readonly inUse: WorkerInUse) {}

  /** In `m`, under the template's lock; `topic`: where the service takes its commands. */
  async apply(m: EntityManager, doc: WorkerDocument, serviceName: string, topic: string, correlationId?: string): Promise<RegistrationResult> {
    const template = await this.templates.lockByName(m, doc.orchName);
    // Checked again under the topic's lock (RegistryService checked it before, for the security audit): two services may register it at once.
    const taken = await takenTopicProblem(topic, this.config.COMMAND_TOPIC_PREFIX, () => this.templates.topicTaken(m, topic, serviceName, true));
    if (taken) throw new AppError(ErrorCode.WORKER_TOPIC_NOT_ALLOWED, `Topic ${topic} cannot carry worker commands`, [taken]);
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
    const older = template ? await this.templates.newestStepsNamed(m, template.id, doc.steps.map((s) => s.name).filter((n) => !byName.has(n)))
      : new Map<string, string[] | null>();
    const refused = doc.steps.flatMap((s, i) => {
      const message = template && this.refusal(s.name, serviceName, template.ownerService, byName, older);
      return message ? [{ step: s, problem: { path: `steps[${i}].name`, message } }] : [];
    });
    const served = template && refused.length
      ? await this.stillServed(m, template, serviceName, topic, byName, refused.map((r) => r.step), correlationId) : new Set<string>();
    const notAllowed = refused.filter((r) => !served.has(r.step.name)).map((r) => r.problem);
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
    // A worker the version names taking over a step lets go of the one it names no more (kept for runs under way).
    if (template) await this.dropNotAllowed(m, doc.orchName, template.currentVersion, correlationId);
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
   * Why `service` may not work step `name`, if it may not. A step the current version lacks is
   * judged by the newest version that has it (`older`): a worker still serves it to that version's
   * runs, and re-sends the same document at each restart. One that no version has yet, by who the
   * current version names (allowedForFutureStep).
   */
  private refusal(name: string, service: string, owner: string, current: Map<string, StepTemplateEntity>,
    older: Map<string, string[] | null>): string | undefined {
    const pinned = this.config.workersPinned;
    if (!current.has(name) && !older.has(name)) {
      const allowed = allowedForFutureStep([...current.values()].map((s) => s.allowedWorkers), owner, pinned);
      return allowed && !allowed.includes(service) ? futureStepMessage(name, service, allowed) : undefined;
    }
    const named = current.has(name) ? current.get(name)?.allowedWorkers : older.get(name);
    const allowed = allowedWorkersOf(named, owner, pinned);
    return allowed && !allowed.includes(service) ? notAllowedMessage(name, service, named, allowed) : undefined;
  }

  /**
   * Of `steps`, which the current version does not let `service` work, those it already serves
   * (same step, objectType and topic) and removeWorkersNotAllowed keeps for it: an earlier version
   * allowed it, and runs under way need it, no worker the version allows taking its step. Its
   * worker re-sends the same document at each restart: refused, it could not start again, and
   * those runs' undos waited for their timeouts. A registration it does not have yet stays refused.
   */
  private async stillServed(m: EntityManager, template: OrchestrationTemplateEntity, service: string,
    topic: string, current: Map<string, StepTemplateEntity>, steps: WorkerDocument['steps'], correlationId?: string): Promise<Set<string>> {
    const pinned = this.config.workersPinned;
    const allows = (named: string[] | null | undefined, s: string) => allowedWorkersOf(named, template.ownerService, pinned)?.includes(s) ?? true;
    const inCurrent = steps.filter((s) => current.has(s.name));
    const before = await this.templates.namedBefore(m, template.id, template.currentVersion, inCurrent.map((s) => s.name));
    const registered = await this.templates.workersOf(template.orchName, m);
    const served = new Set<string>();
    for (const step of inCurrent) {
      const own = registered.find((w) => w.serviceName === service && w.stepName === step.name && w.objectType === step.objectType && w.topic === topic);
      if (!own || !(before.get(step.name) ?? []).some((named) => allows(named, service))) continue;
      const allowed = registered.filter((w) => w.stepName === step.name && allows(current.get(step.name)?.allowedWorkers, w.serviceName));
      if (await this.inUse.stillNeeded(m)(own, [...allowed, own])) served.add(step.name);
    }
    if (served.size) {
      this.logger.warn({ orchName: template.orchName, serviceName: service, steps: [...served], correlationId },
        'registration the template names no more accepted unchanged: runs under way still send it commands, and no worker it names takes them');
    }
    return served;
  }

  /**
   * Drops the registrations of `orchName`'s steps that `version` does not let their services work
   * (made before the template existed, or of a service a new version names no more), but keeps one
   * an earlier version allowed while runs under way still need it and no other worker takes its
   * step, as a DELETE of it is refused (WORKER_IN_USE): an undo would otherwise go nowhere. It goes
   * once a worker the version names registers the step, or at the first version or start (the
   * access sweep) after those runs end. It does not make the version READY (refreshReadiness).
   */
  async dropNotAllowed(m: EntityManager, orchName: string, version: number, correlationId?: string): Promise<void> {
    const { removed, kept } = await this.templates.removeWorkersNotAllowed(m, this.inUse.stillNeeded(m), { orchName, version });
    if (removed.length) {
      this.logger.warn({ orchName, dropped: removed.map((w) => `${w.stepName}:${w.serviceName}`), correlationId },
        'worker registrations of services the template does not let work its steps removed');
    }
    if (kept.length) {
      this.logger.warn({ orchName, kept: kept.map((w) => `${w.stepName}:${w.serviceName}`), correlationId },
        'worker registrations the template names no more kept: runs under way still send them commands, and no worker it names takes them');
    }
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
