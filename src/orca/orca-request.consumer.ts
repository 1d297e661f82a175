import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import type { Principal } from '../auth/principal';
import { AppError, refusalReason } from '../common/errors/app-error';
import { messageCorrelationId } from '../common/logging/correlation';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import { RunExecutor } from '../engine/run-executor.service';
import type { StartFields } from '../engine/start-request';
import type { RunState } from '../engine/run-changes';
import { RunRepository } from '../engine/run.repository';
import { connectionClosedTo } from '../handlers/connection-services';
import { HandlersConfig } from '../handlers/handlers-config';
import { IncomingMessage, PoisonMessageError } from '../messaging/message';
import { MessageConsumer } from '../messaging/message-consumer';
import { RegistryService } from '../registry/registry.service';
import { tracing } from '../tracing/tracing';
import { connectionFor, OrcaConnectionMap, parseOrcaConnections } from './orca-connections';
import { ORCA_SERVICE, orcaResourcePrefix, orcaTemplateDocument, orcaTemplateName } from './orca-template';
import { OrcaRefusals } from './orca-refusals';
import { OrcaRequest, parseFormData, parseRequestCreated } from './request-created-event';

const UNIQUE_VIOLATION = '23505';
/** The run payload's content type: the FormData, as JSON. */
const FORM_DATA_TYPE = 'application/json';
/** What a refusal's problems name: the event's fields (its payload is its FormData; it carries no deadline). */
const ORCA_START_FIELDS: StartFields = { idempotencyKey: 'RequestId', deadlineSeconds: 'deadlineSeconds', payload: 'FormData' };

function isUniqueViolation(e: unknown): boolean {
  const error = e as { code?: unknown; driverError?: { code?: unknown } };
  return error?.code === UNIQUE_VIOLATION || error?.driverError?.code === UNIQUE_VIOLATION;
}

/** The executor found a run under the request's idempotency key, started with other FormData. */
function isKeyReused(e: unknown): boolean {
  return e instanceof AppError && e.code === ErrorCode.IDEMPOTENCY_KEY_REUSED;
}

/**
 * Consumes Orca's RequestCreatedEvent (ORCA_COMPAT=true): each event becomes a run, whose flowId
 * is the RequestId, of a one-step template launching the AWX job template, AWX workflow or OO
 * flow it names, with FormData as extra_vars or inputs, under Baton's own AWX/OO credentials. So with
 * MESSAGE_SIGNING=required an event is signed like a start message, by a service the connection is
 * open to (or an admin). A
 * redelivered event finds its run and starts nothing; an event that can never run is dead-lettered
 * with the reason (and, once its sender is known entitled, answered with Status 3), as is one
 * reusing a RequestId for another resource or FormData.
 */
@Injectable()
export class OrcaRequestConsumer implements OnApplicationBootstrap {
  private readonly logger = new Logger(OrcaRequestConsumer.name);
  private readonly connections: OrcaConnectionMap;
  /** Templates this process has registered (registering an unchanged one again is harmless, but a write). */
  private readonly registered = new Set<string>();

  constructor(
    private readonly config: AppConfig,
    private readonly handlers: HandlersConfig,
    private readonly consumer: MessageConsumer,
    private readonly registry: RegistryService,
    private readonly executor: RunExecutor,
    private readonly runs: RunRepository,
    private readonly authenticator: MessageAuthenticator,
    private readonly refusals: OrcaRefusals,
  ) {
    this.connections = parseOrcaConnections(config.ORCA_CONNECTIONS);
  }

  async onApplicationBootstrap(): Promise<void> {
    if (!this.config.ORCA_COMPAT) return;
    for (const [key, connection] of this.connections) {
      const target = key.startsWith('awx') ? 'awx' : 'oo';
      if (!this.handlers.connection(target, connection)) {
        this.logger.warn({ key, connection }, `ORCA_CONNECTIONS names ${target.toUpperCase()} connection '${connection}', which is not configured: its requests will fail`);
      }
    }
    // Requests, not a log: the group is new when ORCA_COMPAT is turned on, and reading from the
    // earliest would launch again every job the Orca service ran from what the broker still holds.
    await this.consumer.subscribe({
      topic: this.config.ORCA_REQUEST_TOPIC, group: this.config.CONSUMER_GROUP, handler: (m) => this.handle(m),
      startAt: this.config.REQUEST_TOPICS_START_AT,
    });
    this.logger.log({ topic: this.config.ORCA_REQUEST_TOPIC, statusTopic: this.config.ORCA_STATUS_TOPIC }, 'Orca request adapter on');
  }

  /** Continues the trace of the service that published the event, as the other consumers do. */
  async handle(message: IncomingMessage): Promise<void> {
    // The roles of the start topic and POST /execute; an unproven sender is refused (dead-lettered and audited) before the body is read.
    const sender = await this.authenticator.authenticate(message, ['service', 'operator']);
    return tracing.within(tracing.extract(message.headers), () => this.startRequest(message, sender));
  }

  /** `sender`: the proven publisher, while signing is on. */
  private async startRequest(message: IncomingMessage, sender: Principal | undefined): Promise<void> {
    const request = parseRequestCreated(message.body);
    const correlationId = messageCorrelationId(message.headers) ?? request.requestId;
    const log = { flowId: request.requestId, correlationId, userId: request.userId };
    const connection = connectionFor(this.connections, request.target, request.resourceId);
    // Before the run is looked up: a sender refused here is audited even for a RequestId already started.
    await this.checkSender(message, sender, request, connection);
    const existing = await this.runs.load(request.requestId);
    if (existing) return this.alreadyStarted(existing, request, log);
    // Its dead letter re-published (after ORCA_MAX_TEMPLATES was raised, say): a run would report
    // Running and a second final status to a client that already has Failed, so it stays refused, unanswered.
    if (await this.refusals.answered(request.requestId)) {
      this.logger.warn(log, 'RequestCreatedEvent for a request already answered with Status 3: dead-lettered, not started');
      throw new PoisonMessageError(`RequestId ${request.requestId} was already answered with Status 3 (refused; its ErrorMessage says why): it is not started now`);
    }
    try {
      const payload = Buffer.from(JSON.stringify(parseFormData(request.formData)));
      const orchName = await this.templateFor(request, connection);
      await this.executor.start({
        orchName, flowId: request.requestId, idempotencyKey: `orca:${request.requestId}`, correlationId, payload, contentType: FORM_DATA_TYPE,
        fields: ORCA_START_FIELDS,
      });
      this.logger.log({ ...log, orchName }, 'Orca request started');
    } catch (e) {
      // Two deliveries of one event (or two requests under one RequestId) raced past the check above: the other one started the run.
      const raced = isUniqueViolation(e) || isKeyReused(e) ? await this.runs.load(request.requestId) : undefined;
      if (raced) return this.alreadyStarted(raced, request, log);
      throw await this.answeredIfRefused(e, request, correlationId);
    }
  }

  /**
   * A refusal of a request its sender may run, with no run under its RequestId (an invalid
   * FormData, the ORCA_MAX_TEMPLATES cap, a template or run Baton will not make) is final: its
   * client is told (Status 3) before the event is dead-lettered, or Orca's Requests service would
   * wait for it for ever. Refusals before this point are not answered: an event that cannot be
   * read, a sender not proven or not entitled, a RequestId another request has.
   */
  private async answeredIfRefused(e: unknown, request: OrcaRequest, correlationId: string): Promise<unknown> {
    const refused = this.poisonIfRefused(e);
    if (refused instanceof PoisonMessageError) await this.refusals.answer(request, correlationId, refused.message);
    return refused;
  }

  /**
   * The template is registered as baton-orca's, so its check of the connection's …SERVICES sees only
   * that name: the sender must be a service the connection is open to as well, as a registration
   * naming the connection must. An admin may launch anywhere; an operator proving no service may not
   * (over REST it registers no template at all), or its key would run any job on any connection.
   */
  private async checkSender(message: IncomingMessage, sender: Principal | undefined, request: OrcaRequest, connection: string): Promise<void> {
    if (!sender || sender.roles.includes('admin')) return;
    const service = sender.service;
    if (!service) {
      return this.authenticator.forbid(message, sender,
        `${sender.id} proves no service name: only a service the connection is open to, or an admin, may send requests`);
    }
    if (!this.handlers.allowsService(request.target, connection, service)) {
      await this.authenticator.forbid(message, sender, `${sender.id} asks for ${connectionClosedTo(request.target, connection, service)}`);
    }
  }

  /**
   * A redelivery finds its run and does nothing. Another request under the same RequestId (another
   * resource, other FormData) is refused as the start topic refuses a reused idempotency key: acked,
   * it would be lost without a word to its client. The resource is compared, not the connection, so
   * a redelivery after ORCA_CONNECTIONS changed is still known for what it is.
   */
  private alreadyStarted(run: RunState, request: OrcaRequest, log: Record<string, unknown>): void {
    // FormData the run could not have been started with is refused for what it is, unanswered: the RequestId is the run's.
    const payload = Buffer.from(JSON.stringify(parseFormData(request.formData)));
    const same = run.orchName.startsWith(orcaResourcePrefix(request)) && run.contentType === FORM_DATA_TYPE
      && Buffer.from(run.payload).equals(payload);
    if (!same) {
      this.logger.warn({ ...log, orchName: run.orchName }, 'RequestCreatedEvent reuses the RequestId of another request: dead-lettered');
      throw new PoisonMessageError(`${ErrorCode.IDEMPOTENCY_KEY_REUSED}: RequestId ${request.requestId} was used for run ${run.flowId} `
        + `(${run.orchName}) with a different resource or FormData`);
    }
    this.logger.log(log, 'RequestCreatedEvent for a request already started: nothing to do');
  }

  private async templateFor(request: OrcaRequest, connection: string): Promise<string> {
    const orchName = orcaTemplateName(request, connection);
    if (this.registered.has(orchName)) return orchName;
    await this.registry.register({
      body: orcaTemplateDocument(request, connection), contentType: 'application/json', serviceName: ORCA_SERVICE, source: 'orca',
    });
    this.registered.add(orchName);
    return orchName;
  }

  /** Baton refusing the request can never change on redelivery: an AppError other than "unavailable" is made a PoisonMessageError (one stays one). */
  private poisonIfRefused(e: unknown): unknown {
    if (e instanceof AppError && e.code !== ErrorCode.SERVICE_UNAVAILABLE) {
      return new PoisonMessageError(refusalReason(e));
    }
    return e;
  }
}
