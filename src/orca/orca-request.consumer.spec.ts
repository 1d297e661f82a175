import type { MessageAuthenticator } from '../auth/message-signing/message-authenticator';
import type { Role } from '../auth/role';
import { AppConfig } from '../config/app-config';
import type { RunExecutor } from '../engine/run-executor.service';
import type { StartedRun, StartRequest } from '../engine/start-request';
import type { RunRepository } from '../engine/run.repository';
import type { HandlersConfig } from '../handlers/handlers-config';
import { IncomingMessage, PoisonMessageError } from '../messaging/message';
import type { MessageConsumer } from '../messaging/message-consumer';
import type { RegistryService } from '../registry/registry.service';
import { inMemoryTracing } from '../tracing/tracing.fixtures';
import { tracing } from '../tracing/tracing';
import { OrcaRequestConsumer } from './orca-request.consumer';

const REQUEST_ID = 'a62af38d-ab5e-44a3-a568-584ffc46dd28';
const CALLER_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CALLER_SPAN = '00f067aa0ba902b7';

/** MESSAGE_SIGNING=off: the authenticator proves no one and refuses nothing. */
const signingOff = { authenticate: async () => undefined } as unknown as MessageAuthenticator;

/** The consumer over fakes of what it calls; the executor opens a `run start` span, as the real one does. */
function consumerStarting(started: StartRequest[], authenticator = signingOff): OrcaRequestConsumer {
  const executor = {
    start: (req: StartRequest) => tracing.span('run start', {}, async (): Promise<StartedRun> => {
      started.push(req);
      return { flowId: req.flowId!, status: 'RUNNING', correlationId: req.correlationId, created: true, missingSteps: [] };
    }),
  } as unknown as RunExecutor;
  const registry = { register: async () => undefined } as unknown as RegistryService;
  const runs = { load: async () => undefined } as unknown as RunRepository;
  return new OrcaRequestConsumer(new AppConfig(), {} as HandlersConfig, {} as MessageConsumer, registry, executor, runs, authenticator);
}

function requestCreated(headers: Record<string, string>): IncomingMessage {
  const event = { RequestId: REQUEST_ID, ExecutionTargetType: 0, ExecutionResourceType: 0, ExecutionResourceId: '42', FormData: '{}' };
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
  });
});
