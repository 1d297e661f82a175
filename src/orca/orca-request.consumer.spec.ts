import type { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import type { Principal } from '../auth/principal';
import type { Role } from '../auth/role';
import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import { AppConfig } from '../config/app-config';
import type { RunExecutor } from '../engine/run-executor.service';
import type { StartedRun, StartRequest } from '../engine/start-request';
import type { RunRepository } from '../engine/run.repository';
import type { RunState } from '../engine/run-changes';
import type { HandlersConfig } from '../handlers/handlers-config';
import { IncomingMessage, PoisonMessageError } from '../messaging/message';
import type { MessageConsumer, Subscription } from '../messaging/message-consumer';
import type { RegistryService } from '../registry/registry.service';
import { inMemoryTracing } from '../tracing/tracing.fixtures';
import { tracing } from '../tracing/tracing';
import { OrcaRefusals } from './orca-refusals';
import { OrcaRequestConsumer } from './orca-request.consumer';

const REQUEST_ID = 'a62af38d-ab5e-44a3-a568-584ffc46dd28';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** MESSAGE_SIGNING=off: the authenticator proves no one and refuses nothing. */
const signingOff = { authenticate: async () => undefined } as unknown as MessageAuthenticator;

interface Fakes {
  authenticator?: MessageAuthenticator;
  /** The run RunRepository.load finds under the RequestId. */
  existing?: RunState;
  /** Services every connection is open to; undefined: open to all. */
  openTo?: string[];
  /** What the executor throws instead of starting. */
  startFails?: unknown;
  /** What the registry throws instead of registering the resource's template. */
  registerFails?: unknown;
  /** Refusals answered to the requester with Status 3. */
  answered?: string[];
  /** What answering a refusal throws (the database down). */
  answerFails?: unknown;
  /** RequestIds answered with Status 3 before this delivery. */
  answeredBefore?: string[];
  config?: Partial<AppConfig>;
  subscriptions?: Subscription[];
}

/** The consumer over fakes of what it calls; the executor opens a `run start` span, as the real one does. */
function consumerStarting(started: StartRequest[], authenticatorOrFakes: MessageAuthenticator | Fakes = signingOff): OrcaRequestConsumer {
  const fakes: Fakes = 'authenticate' in authenticatorOrFakes ? { authenticator: authenticatorOrFakes as MessageAuthenticator } : authenticatorOrFakes;
  const executor = {
    start: (req: StartRequest) => tracing.span('run start', {}, async (): Promise<StartedRun> => {
      if (fakes.startFails) throw fakes.startFails;
      started.push(req);
      return { flowId: req.flowId!, status: 'RUNNING', correlationId: req.correlationId, created: true, missingSteps: [] };
    }),
  } as unknown as RunExecutor;
  const registry = { register: async () => {
    if (fakes.registerFails) throw fakes.registerFails;
  } } as unknown as RegistryService;
  const refusals = { answer: async (_r: unknown, _c: string, reason: string) => {
    if (fakes.answerFails) throw fakes.answerFails;
    fakes.answered?.push(reason);
  }, answered: async (requestId: string) => !!fakes.answeredBefore?.includes(requestId) } as unknown as OrcaRefusals;
  // After a lost race, the run is there on the second look.
  let loads = 0;
  const runs = { load: async () => (fakes.startFails && loads++ === 0 ? undefined : fakes.existing) } as unknown as RunRepository;
  const handlers = { allowsService: (_t: string, _c: string, service: string) => !fakes.openTo || fakes.openTo.includes(service) } as unknown as HandlersConfig;
  const consumer = { subscribe: async (s: Subscription) => { fakes.subscriptions?.push(s); } } as unknown as MessageConsumer;
  const config = Object.assign(new AppConfig(), fakes.config);
  return new OrcaRequestConsumer(config, handlers, consumer, registry, executor, runs, fakes.authenticator ?? signingOff, refusals);
}

function requestCreated(headers: Record<string, string>, overrides: Record<string, unknown> = {}): IncomingMessage {
  const event = { RequestId: REQUEST_ID, ExecutionTargetType: 0, ExecutionResourceType: 0, ExecutionResourceId: '42', FormData: '{}', ...overrides };
  return { id: 'm1', topic: 'RequestCreated', headers, body: Buffer.from(JSON.stringify(event)), deliveryAttempt: 1 };
}

describe('OrcaRequestConsumer tracing', () => {
  const exporter = inMemoryTracing('parentbased_always_on');

  it('continues the W3C trace context a RequestCreatedEvent carries', async () => {
    const started: StartRequest[] = [];
    await consumerStarting(started).handle(requestCreated({
      'content-type': 'application/json', traceparent: `00-${CALLER_TRACE}-${CALLER_SPAN}-01`, tracestate: 'orca=1',
    }));
    expect(started.map((r) => r.flowId)).toEqual([REQUEST_ID]);
    const [runStart] = exporter.getFinishedSpans();
    expect(runStart.spanContext().traceId).toBe(CALLER_TRACE);
    expect(runStart.parentSpanContext?.spanId).toBe(CALLER_SPAN);
    expect(runStart.spanContext().traceState?.get('orca')).toBe('1');
  });

  it('starts a trace of its own for an event without one, whatever span is active where it is delivered', async () => {
    await tracing.span('delivering', {}, () => consumerStarting([]).handle(requestCreated({ 'content-type': 'application/json' })));
    const [runStart, delivering] = exporter.getFinishedSpans();
    expect(runStart.parentSpanContext).toBeUndefined();
    expect(runStart.spanContext().traceId).not.toBe(delivering.spanContext().traceId);
  });
});

describe('OrcaRequestConsumer with MESSAGE_SIGNING=required', () => {
  it('asks for a service or operator, as the start topic does, and starts nothing for a refused event', async () => {
    const asked: Role[][] = [];
    const refusing = { authenticate: async (_m: IncomingMessage, roles: Role[]) => {
      asked.push(roles);
      throw new PoisonMessageError('MESSAGE_UNSIGNED: sign it');
    } } as unknown as MessageAuthenticator;
    const started: StartRequest[] = [];
    await expect(consumerStarting(started, refusing).handle(requestCreated({ 'content-type': 'application/json' })))
      .rejects.toThrow(PoisonMessageError);
    expect(asked).toEqual([['service', 'operator']]);
    expect(started).toEqual([]);
  });
});

describe('OrcaRequestConsumer correlation ids', () => {
  it("keeps the publisher's x-correlation-id when it is sane, and otherwise uses the RequestId, as the start topic does", async () => {
    const started: StartRequest[] = [];
    const headers = (id: string) => ({ 'content-type': 'application/json', 'x-correlation-id': id });
    for (const id of ['orca-7:req.1', 'c'.repeat(129), 'evil\n{"level":60,"msg":"FORGED"}', '']) {
      await consumerStarting(started).handle(requestCreated(headers(id)));
    }
    // Too long, a line break, empty: none reaches the varchar(128) column or a log line.
    expect(started.map((r) => r.correlationId)).toEqual(['orca-7:req.1', REQUEST_ID, REQUEST_ID, REQUEST_ID]);
    // A refusal of the start names the event's own fields, as its dead letter's reason (not an HTTP request's body and headers).
    expect(started[0].fields).toEqual({ idempotencyKey: 'RequestId', deadlineSeconds: 'deadlineSeconds', payload: 'FormData' });
  });
});

describe('OrcaRequestConsumer subscription', () => {
  it.each(['latest', 'earliest'] as const)('starts a new group where REQUEST_TOPICS_START_AT says (%s), as the start topic does', async (startAt) => {
    const subscriptions: Subscription[] = [];
    await consumerStarting([], { subscriptions, config: { ORCA_COMPAT: true, REQUEST_TOPICS_START_AT: startAt } }).onApplicationBootstrap();
    expect(subscriptions).toMatchObject([{ topic: 'RequestCreated', startAt }]);
  });
});

describe('OrcaRequestConsumer refusals', () => {
  const headers = { 'content-type': 'application/json' };
  const limit = new AppError(ErrorCode.TEMPLATE_LIMIT_REACHED, 'Forbidden: the Orca adapter (baton-orca) owns 2 templates, and ORCA_MAX_TEMPLATES allows 2');

  it('answers a refusal of a request its sender may run with Status 3, then dead-letters it with the same reason', async () => {
    const answered: string[] = [];
    const cases: Array<[Fakes, Record<string, unknown>, string]> = [
      [{ registerFails: limit }, {}, `TEMPLATE_LIMIT_REACHED: ${limit.message}`],
      [{}, { FormData: '{not json' }, 'invalid message: FormData: not JSON (at position 1)'],
      [{ startFails: new AppError(ErrorCode.INVALID_REQUEST, 'The run payload cannot be dispatched') }, {}, 'INVALID_REQUEST: The run payload cannot be dispatched'],
    ];
    for (const [fakes, overrides, reason] of cases) {
      await expect(consumerStarting([], { ...fakes, answered }).handle(requestCreated(headers, overrides))).rejects.toThrow(new PoisonMessageError(reason));
    }
    expect(answered).toEqual(cases.map(([, , reason]) => reason));
  });

  it('answers nothing for an event it cannot read, a refused sender, a RequestId another request has, or a refusal that may pass', async () => {
    const answered: string[] = [];
    const existing = { flowId: REQUEST_ID, orchName: 'orca.awx.job_template.42.default', payload: Buffer.from('{}'), contentType: 'application/json' } as RunState;
    const sender: Principal = { id: 'hmac:shop', kind: 'message-signature', roles: ['service'], service: 'shop' };
    const forbidding = { authenticate: async () => sender, forbid: async () => {
      throw new PoisonMessageError('FORBIDDEN: closed');
    } } as unknown as MessageAuthenticator;
    const reused = new AppError(ErrorCode.IDEMPOTENCY_KEY_REUSED, 'Idempotency-Key orca:x was used for run x with a different payload or content type');
    const cases: Array<[Fakes, Record<string, unknown>]> = [
      [{}, { RequestId: 'not-a-uuid' }],
      [{ authenticator: forbidding, openTo: ['infra-team'], registerFails: limit }, {}],
      [{ existing }, { FormData: '{not json' }],
      [{ existing, startFails: reused }, { FormData: '{"a":2}' }],
    ];
    for (const [fakes, overrides] of cases) {
      await expect(consumerStarting([], { ...fakes, answered }).handle(requestCreated(headers, overrides))).rejects.toThrow(PoisonMessageError);
    }
    const unavailable = new AppError(ErrorCode.SERVICE_UNAVAILABLE, 'database down');
    await expect(consumerStarting([], { registerFails: unavailable, answered }).handle(requestCreated(headers))).rejects.toBe(unavailable);
    expect(answered).toEqual([]);
  });

  it('starts no request already answered with Status 3 (its dead letter re-published once the cap was raised), nor answers it again', async () => {
    const started: StartRequest[] = [];
    const answered: string[] = [];
    await expect(consumerStarting(started, { answeredBefore: [REQUEST_ID], answered }).handle(requestCreated(headers)))
      .rejects.toThrow(new PoisonMessageError(`RequestId ${REQUEST_ID} was already answered with Status 3 (refused; its ErrorMessage says why): it is not started now`));
    expect({ started, answered }).toEqual({ started: [], answered: [] });
    await consumerStarting(started, { answeredBefore: ['another'] }).handle(requestCreated(headers));
    expect(started).toHaveLength(1);
  });

  it('leaves the event to be delivered again, not dead-lettered, when its answer cannot be written', async () => {
    const down = new Error('connection terminated');
    await expect(consumerStarting([], { registerFails: limit, answerFails: down }).handle(requestCreated(headers))).rejects.toBe(down);
  });
});

describe('OrcaRequestConsumer with a RequestId already started', () => {
  const existing = { flowId: REQUEST_ID, orchName: 'orca.awx.job_template.42.default', payload: Buffer.from('{"a":1}'), contentType: 'application/json' } as RunState;
  const headers = { 'content-type': 'application/json' };

  it('does nothing for a redelivery, whatever connection now serves the resource', async () => {
    const started: StartRequest[] = [];
    await consumerStarting(started, { existing: { ...existing, orchName: 'orca.awx.job_template.42.lab' } })
      .handle(requestCreated(headers, { FormData: '{ "a": 1 }' }));
    expect(started).toEqual([]);
  });

  it('dead-letters another resource or other FormData under it, as a reused idempotency key', async () => {
    for (const overrides of [{ FormData: '{"a":2}' }, { ExecutionResourceId: '4', FormData: '{"a":1}' }, { ExecutionResourceType: 1, FormData: '{"a":1}' }]) {
      await expect(consumerStarting([], { existing }).handle(requestCreated(headers, overrides)))
        .rejects.toThrow(new PoisonMessageError(`IDEMPOTENCY_KEY_REUSED: RequestId ${REQUEST_ID} was used for run ${REQUEST_ID} (orca.awx.job_template.42.default) with a different resource or FormData`));
    }
  });

  it('dead-letters it too when it raced a delivery of the other request', async () => {
    const raced = Object.assign(new Error('duplicate key'), { code: '23505' });
    await expect(consumerStarting([], { existing, startFails: raced }).handle(requestCreated(headers, { FormData: '{"a":2}' })))
      .rejects.toThrow(/^IDEMPOTENCY_KEY_REUSED/);
    await expect(consumerStarting([], { existing, startFails: raced }).handle(requestCreated(headers, { FormData: '{"a":1}' }))).resolves.toBeUndefined();
  });
});

describe('OrcaRequestConsumer senders, with MESSAGE_SIGNING=required', () => {
  const headers = { 'content-type': 'application/json' };
  /** Proves `principal`; records what it forbids. */
  function proving(principal: Principal, forbidden: string[]): MessageAuthenticator {
    return {
      authenticate: async () => principal,
      forbid: async (_m: IncomingMessage, _p: Principal, reason: string) => {
        forbidden.push(reason);
        throw new PoisonMessageError(`FORBIDDEN: ${reason}`);
      },
    } as unknown as MessageAuthenticator;
  }

  it('refuses a service the connection is closed to before looking for its run, so a started RequestId is no way around the audit', async () => {
    const forbidden: string[] = [];
    const existing = { flowId: REQUEST_ID, orchName: 'orca.awx.job_template.42.default', payload: Buffer.from('{}'), contentType: 'application/json' } as RunState;
    const sender: Principal = { id: 'hmac:shop', kind: 'message-signature', roles: ['service'], service: 'shop' };
    await expect(consumerStarting([], { authenticator: proving(sender, forbidden), existing, openTo: ['infra-team'] }).handle(requestCreated(headers)))
      .rejects.toThrow(PoisonMessageError);
    expect(forbidden).toEqual(['hmac:shop asks for AWX connection "default", which is not open to shop (AWX_SERVICES)']);
  });

  it('refuses a sender that proves no service name, an operator included, which no connection\'s list could be checked against', async () => {
    const forbidden: string[] = [];
    const started: StartRequest[] = [];
    for (const sender of [
      { id: 'jwt-sub-1', kind: 'jwt', roles: ['service'] },
      { id: 'jwt-op', kind: 'jwt', roles: ['operator'] },
      { id: 'jwt-op-svc', kind: 'jwt', roles: ['operator', 'service'] },
    ] as Principal[]) {
      await expect(consumerStarting(started, { authenticator: proving(sender, forbidden), openTo: ['infra-team'] }).handle(requestCreated(headers)))
        .rejects.toThrow(PoisonMessageError);
    }
    expect(forbidden).toEqual(['jwt-sub-1', 'jwt-op', 'jwt-op-svc'].map((id) =>
      `${id} proves no service name: only a service the connection is open to, or an admin, may send requests`));
    expect(started).toEqual([]);
  });

  it('refuses an operator of a service the connection is closed to', async () => {
    const forbidden: string[] = [];
    const sender: Principal = { id: 'jwt-op', kind: 'jwt', roles: ['operator'], service: 'shop' };
    await expect(consumerStarting([], { authenticator: proving(sender, forbidden), openTo: ['infra-team'] }).handle(requestCreated(headers)))
      .rejects.toThrow(PoisonMessageError);
    expect(forbidden).toEqual(['jwt-op asks for AWX connection "default", which is not open to shop (AWX_SERVICES)']);
  });

  it('lets in an admin without a service name, and a service the connection is open to', async () => {
    const started: StartRequest[] = [];
    const forbidden: string[] = [];
    for (const sender of [
      { id: 'jwt-admin', kind: 'jwt', roles: ['admin'] },
      { id: 'hmac:infra-team', kind: 'message-signature', roles: ['service'], service: 'infra-team' },
    ] as Principal[]) {
      await consumerStarting(started, { authenticator: proving(sender, forbidden), openTo: ['infra-team'] }).handle(requestCreated(headers));
    }
    expect(forbidden).toEqual([]);
    expect(started).toHaveLength(2);
  });
});
