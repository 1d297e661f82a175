import { Injectable, Logger } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { withoutKeySecrets } from '../auth/api-keys/api-key-format';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Principal } from '../auth/principal';
import { SecurityAuditRepository } from '../auth/audit/security-audit.repository';
import { AppConfig } from '../config/app-config';
import { Metrics } from '../metrics/metrics';
import { contentHash, InitiatorDocument, RegistrationDocument, validateRegistration, WorkerDocument } from './document';
import { isServiceName, SERVICE_NAME_RULE } from './document/service-name';
import type { RegistrationSource } from './entities/registration-audit.entity';
import { RegistrationAuditRepository } from './registration-audit.repository';
import { RegistrationEvents } from './registration-events';
import { TemplateRepository } from './template.repository';
import { provenServiceName } from '../auth/proven-service';
import { reservedNameProblem } from './reserved-names';
import { connectionProblems } from './connection-problems';
import { HandlersConfig } from '../handlers/handlers-config';
import { commandQueueProblem, takenTopicProblem, workerTopicProblems, workerTopicRules } from './worker-topic';
import { CommandRetention } from './command-retention';
import { withinTemplateLimit } from './template-limit';
import { WorkerRegistrar } from './worker-registrar.service';

export interface RegistrationRequest {
  body: string | Buffer | object;
  contentType: string | undefined;
  serviceName: string | undefined;
  /** Used when neither the caller nor the document names the service (definition files). */
  fallbackServiceName?: string;
  source: RegistrationSource;
  /** Who sent it over HTTP: a `service` principal registers only as its proven service. */
  principal?: Principal;
  /** For the security audit of a refused claim: `POST /api/...` or the topic. */
  target?: string;
  ip?: string;
  /** The HTTP request's or the message's, for the log lines of the registration. */
  correlationId?: string;
}

export interface RegistrationResult {
  orchName: string;
  role: 'initiator' | 'worker';
  outcome: 'CREATED' | 'UPDATED' | 'UNCHANGED';
  serviceName: string;
  version: number | null;
  status: 'READY' | 'PENDING' | null;
  missingSteps: string[];
  /** Worker steps the template does not (yet) have: kept, and counted if a later version adds them. */
  unknownSteps?: string[];
  /** Worker steps an earlier registration of another service serves: this one gets their commands only once that one is removed. */
  stepsServedByOthers?: string[];
  /**
   * A definition file holding the content of a version that a later one, registered over the API or a
   * topic, replaced: the version it holds (not registered again; the current one is kept).
   */
  olderVersion?: number;
}

/**
 * Registrations Baton makes itself, outside MAX_TEMPLATES_PER_SERVICE: the operator's definition
 * files, and the Orca adapter's template per resource (a site's AWX templates and OO flows can be
 * many), which ORCA_MAX_TEMPLATES bounds instead: an event names any resource it likes.
 */
const BATONS_OWN: ReadonlySet<RegistrationSource> = new Set(['file', 'orca']);

type AuditEntry = Omit<Parameters<RegistrationAuditRepository['record']>[0], 'outcome' | 'reason' | 'problems'>;

/**
 * The document for the audit: bytes as they came (the audit reads only what it keeps of them, and
 * hashes them all). A parsed body too deep to serialise is kept as a note, not lost in a throw.
 */
function documentText(body: RegistrationRequest['body'] | undefined): string | Buffer {
  if (Buffer.isBuffer(body)) return body;
  if (typeof body !== 'object') return String(body ?? '');
  try {
    return JSON.stringify(body) ?? '';
  } catch {
    return '(a JSON body too deeply nested to store)';
  }
}

/**
 * The one path every registration takes, from REST, a topic or a definitions file: validate,
 * apply (versioning, ownership, objectType checks, readiness) and audit, accepted or not.
 */
@Injectable()
export class RegistryService {
  private readonly logger = new Logger(RegistryService.name);

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly templates: TemplateRepository,
    private readonly audit: RegistrationAuditRepository,
    private readonly config: AppConfig,
    private readonly metrics: Metrics,
    private readonly events: RegistrationEvents,
    private readonly securityAudit: SecurityAuditRepository,
    private readonly handlers: HandlersConfig,
    private readonly retention: CommandRetention,
    private readonly workers: WorkerRegistrar,
  ) {}

  async register(request: RegistrationRequest): Promise<RegistrationResult> {
    const validation = validateRegistration(request.body ?? '', request.contentType, { maxBytes: this.config.REGISTRATION_MAX_BYTES });
    const base = { source: request.source, document: documentText(request.body) };
    const header = request.serviceName?.trim();
    const headerProblems = header && !isServiceName(header) ? [{ path: 'headers.x-service-name', message: SERVICE_NAME_RULE }] : [];
    if (!validation.ok) {
      // The claim is proven first, as for a valid document: a key naming another service is denied
      // whatever it sends, not audited as a bad document of that service. A malformed name is no service's.
      const claim = headerProblems.length ? undefined : provenServiceName(request.principal, request.serviceName, null);
      if (claim && !claim.ok) {
        return this.deny(new AppError(ErrorCode.SERVICE_NAME_MISMATCH, `Forbidden: ${claim.reason}`), claim.reason, { ...base,
          serviceName: claim.claimed || null, orchName: validation.orchName ?? null, role: validation.role ?? null, credentials: validation.credentials }, request);
      }
      // Every problem at once, the header's too: fixing the document should not reveal another one.
      const error = new AppError(ErrorCode.INVALID_DOCUMENT, 'The registration document is invalid', [...headerProblems, ...validation.problems]);
      // Who sent it: the name it claims, else the service its key proves (the console showed "–" for a key's bad document).
      const serviceName = request.serviceName ?? request.principal?.service ?? null;
      return this.refuse(error, { ...base, serviceName, orchName: validation.orchName ?? null, role: validation.role ?? null,
        credentials: validation.credentials }, request.correlationId);
    }
    const doc = validation.document;
    if (headerProblems.length > 0) {
      return this.refuse(new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', headerProblems),
        { ...base, serviceName: header ?? null, orchName: doc.orchName, role: doc.role }, request.correlationId);
    }
    const proven = provenServiceName(request.principal, request.serviceName, doc.service, request.fallbackServiceName);
    if (!proven.ok) {
      return this.deny(new AppError(ErrorCode.SERVICE_NAME_MISMATCH, `Forbidden: ${proven.reason}`), proven.reason,
        { ...base, serviceName: proven.claimed || null, orchName: doc.orchName, role: doc.role }, request);
    }
    const serviceName = proven.serviceName;
    if (!serviceName) {
      return this.refuse(new AppError(ErrorCode.MISSING_SERVICE_NAME,
        'Name the registering service in the X-Service-Name header (or a `service` field in the document)',
        [{ path: 'headers.x-service-name', message: 'is required when the document has no service field' }]),
      { ...base, serviceName: null, orchName: doc.orchName, role: doc.role }, request.correlationId);
    }
    const who = { ...base, serviceName, orchName: doc.orchName, role: doc.role };
    const outside = this.outsideOwnNamespace(doc, serviceName);
    if (outside) return this.deny(outside, `${outside.message}: ${outside.problems.map((p) => p.message).join('; ')}`, who, request);
    const taken = doc.role === 'worker' ? await this.takenTopic(this.topicOf(doc, serviceName), serviceName) : undefined;
    if (taken) return this.deny(taken, `${taken.message}: ${taken.problems[0].message}`, who, request);
    // A mistake, not a reach beyond the service's names: refused without a security denial, before its queue is declared.
    const unnamable = this.unnamableQueue(doc, serviceName);
    if (unnamable) return this.refuse(unnamable, who, request.correlationId);
    // Before the commit, as the healer may dispatch to it right after. The service's own topic at once; a pattern topic
    // only once the registration passed its checks (the topic's, under its lock, among them): a refused one's queue stayed
    // bound to it, and received a copy of each command of the service that registered it next.
    const topic = doc.role === 'worker' ? this.topicOf(doc, serviceName) : undefined;
    const ownTopic = topic?.startsWith(this.config.COMMAND_TOPIC_PREFIX) ?? false;
    if (topic && ownTopic) await this.retention.retain(topic, serviceName);
    try {
      const result = await this.dataSource.transaction(async (m) => {
        const applied = doc.role === 'initiator'
          ? await this.applyInitiator(m, doc, serviceName, request.source, request.correlationId)
          : await this.workers.apply(m, doc, serviceName, this.topicOf(doc, serviceName), request.correlationId);
        await this.audit.record({
          ...who, outcome: applied.outcome === 'UNCHANGED' ? 'UNCHANGED' : 'ACCEPTED',
          reason: null, templateVersion: applied.version,
        }, m);
        if (topic && !ownTopic) await this.retention.retain(topic, serviceName);
        return applied;
      });
      this.metrics.registrations.inc({ source: request.source, outcome: result.outcome });
      this.logger.log({ orchName: result.orchName, serviceName, role: result.role, outcome: result.outcome,
        version: result.version, status: result.status, correlationId: request.correlationId }, 'registration applied');
      this.events.emitted(result);
      return result;
    } catch (error) {
      if (error instanceof AppError) await this.reject(error, who, request.correlationId);
      throw error;
    }
  }

  /** A registration reaching beyond its service: audited as a rejected registration and as a security denial. */
  private async deny(error: AppError, reason: string, entry: AuditEntry, request: RegistrationRequest): Promise<never> {
    await this.reject(error, entry, request.correlationId);
    await this.securityAudit.record({ event: 'DENIED', principal: request.principal, ip: request.ip,
      target: request.target ?? `register ${entry.orchName}`, code: error.code, reason });
    throw error;
  }

  /**
   * A service registers only within its own names (its command topic, and no adapter's reserved
   * template names) and with the connections open to it.
   */
  private outsideOwnNamespace(doc: RegistrationDocument, serviceName: string): AppError | undefined {
    if (doc.role === 'initiator') {
      const reserved = reservedNameProblem(doc.orchName, serviceName);
      if (reserved !== undefined) {
        return new AppError(ErrorCode.TEMPLATE_OWNED_BY_OTHER_SERVICE,
          `Forbidden: template ${doc.orchName} cannot belong to ${serviceName}`, [{ path: 'orchName', message: reserved }]);
      }
      const closed = connectionProblems(doc, serviceName, this.handlers);
      return closed.length ? new AppError(ErrorCode.CONNECTION_NOT_ALLOWED,
        `Forbidden: ${serviceName} may not use these connections`, closed) : undefined;
    }
    const topic = this.topicOf(doc, serviceName);
    const problems = workerTopicProblems(topic, serviceName, workerTopicRules(this.config));
    return problems.length ? new AppError(ErrorCode.WORKER_TOPIC_NOT_ALLOWED, `Topic ${topic} cannot carry worker commands`, problems) : undefined;
  }

  /** Records a refused registration (reject), then refuses it. */
  private async refuse(error: AppError, entry: AuditEntry, correlationId?: string): Promise<never> {
    await this.reject(error, entry, correlationId);
    throw error;
  }

  private async reject(error: AppError, entry: AuditEntry, correlationId?: string) {
    this.metrics.registrations.inc({ source: entry.source, outcome: 'REJECTED' });
    // Names as the caller gave them: a key sent as X-Service-Name is cut to its prefix, as in the audit.
    const named = (text: string | undefined | null) => text && withoutKeySecrets(text);
    this.logger.warn({ orchName: named(entry.orchName), serviceName: named(entry.serviceName), code: error.code, problems: error.problems.length,
      correlationId },
      `registration rejected: ${withoutKeySecrets(error.message)}`);
    await this.audit.record({ ...entry, outcome: 'REJECTED', reason: `${error.code}: ${error.message}`, problems: error.problems });
  }

  private async applyInitiator(m: EntityManager, doc: InitiatorDocument, serviceName: string, source: RegistrationSource,
    correlationId?: string): Promise<RegistrationResult> {
    const hash = contentHash(doc);
    let template = await this.templates.lockByName(m, doc.orchName);
    let outcome: RegistrationResult['outcome'] = 'UPDATED';
    if (!template) {
      // Counted under the service's lock: concurrent new names would each count below the limit, and all be added.
      if (!BATONS_OWN.has(source)) {
        withinTemplateLimit(await this.templates.countOwnedByLocked(m, serviceName), this.config.MAX_TEMPLATES_PER_SERVICE,
          `${serviceName} owns`, 'register a new version of one of them');
      } else if (source === 'orca') {
        withinTemplateLimit(await this.templates.countOwnedByLocked(m, serviceName), this.config.ORCA_MAX_TEMPLATES,
          `the Orca adapter (${serviceName}) owns`, 'send requests for the resources it has templates for', 'ORCA_MAX_TEMPLATES');
      }
      template = await this.templates.createTemplate(m, doc, serviceName);
      outcome = 'CREATED';
    } else if (template.ownerService !== serviceName) {
      // The owner goes unnamed: a service key reads no other service's template, nor learns whose it is here.
      throw new AppError(ErrorCode.TEMPLATE_OWNED_BY_OTHER_SERVICE,
        `Template ${doc.orchName} belongs to another service; ${serviceName} cannot change it`);
    } else if (await this.templates.versionHash(m, template) === hash) {
      return this.resultOf(template, 'initiator', 'UNCHANGED', serviceName);
    } else if (source === 'file') {
      // A file is loaded at every start: holding the content of a version a later one replaced
      // over the API or a topic, it has not changed since, and registering it would revert that
      // version at each restart (runs parked for its new steps then ran without them). A file
      // whose own later content was replaced by an earlier one again (a rollback) registers.
      const olderVersion = await this.templates.supersededVersionWithContent(m, template, hash);
      if (olderVersion !== undefined) return { ...this.resultOf(template, 'initiator', 'UNCHANGED', serviceName), olderVersion };
    }
    const made = await this.templates.addVersion(m, template, doc, serviceName, hash, source);
    await this.workers.dropNotAllowed(m, doc.orchName, made.currentVersion, correlationId);
    template = await this.templates.refreshReadiness(m, template, made);
    return this.resultOf(template, 'initiator', outcome, serviceName);
  }

  /** Another service's pattern topic (takenTopicProblem): a reach for its commands, denied before this service's queue is bound to it. */
  private async takenTopic(topic: string, serviceName: string): Promise<AppError | undefined> {
    const problem = await takenTopicProblem(topic, this.config.COMMAND_TOPIC_PREFIX,
      () => this.templates.topicTaken(this.dataSource.manager, topic, serviceName));
    return problem && new AppError(ErrorCode.WORKER_TOPIC_NOT_ALLOWED, `Topic ${topic} cannot carry worker commands`, [problem]);
  }

  /** A worker's command queue RabbitMQ could not name: blames the topic the document names, else the service name (the document's, or the header's). */
  private unnamableQueue(doc: RegistrationDocument, serviceName: string): AppError | undefined {
    if (doc.role !== 'worker') return undefined;
    const topic = this.topicOf(doc, serviceName);
    const problem = commandQueueProblem(topic, serviceName, doc.topic ? 'topic' : doc.service ? 'service' : 'headers.x-service-name');
    return problem && new AppError(ErrorCode.WORKER_TOPIC_NOT_ALLOWED, `Topic ${topic} cannot carry worker commands`, [problem]);
  }

  private topicOf(doc: WorkerDocument, serviceName: string): string {
    return doc.topic ?? `${this.config.COMMAND_TOPIC_PREFIX}${serviceName}`;
  }

  private resultOf(t: { orchName: string; currentVersion: number; status: 'READY' | 'PENDING'; missingSteps: string[] },
    role: 'initiator' | 'worker', outcome: RegistrationResult['outcome'], serviceName: string): RegistrationResult {
    return { orchName: t.orchName, role, outcome, serviceName, version: t.currentVersion, status: t.status, missingSteps: t.missingSteps };
  }
}
