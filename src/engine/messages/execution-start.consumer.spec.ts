import { payloadFingerprint, replayRefusal } from '../idempotency-fingerprint';
import type { MessageAuthenticator } from '../../auth/message-signing/message-authenticator';
import { AppConfig } from '../../config/app-config';
import { PoisonMessageError, type IncomingMessage, type MessageHandler } from '../../messaging/message';
import type { MessageConsumer, Subscription } from '../../messaging/message-consumer';
import type { RunExecutor } from '../run-executor.service';
import type { StartedRun, StartRequest } from '../start-request';
import { ExecutionStartConsumer } from './execution-start.consumer';

/**
 * The consumer's handler over fakes: signing off, and an executor that records what it was asked to
 * start, then answers as `answer` says (a run started, by default).
 */
async function handlerStarting(started: StartRequest[], answer = (req: StartRequest): StartedRun =>
  ({ flowId: 'f', status: 'RUNNING', correlationId: req.correlationId, created: true, missingSteps: [] })): Promise<MessageHandler> {
  let handler: MessageHandler | undefined;
  const consumer = { subscribe: async (s: Subscription) => { handler = s.handler; } } as unknown as MessageConsumer;
  const executor = {
    start: async (req: StartRequest): Promise<StartedRun> => {
      started.push(req);
      return answer(req);
    },
  } as unknown as RunExecutor;
  const authenticator = { authenticate: async () => undefined } as unknown as MessageAuthenticator;
  await new ExecutionStartConsumer(consumer, executor, new AppConfig(), authenticator).onApplicationBootstrap();
  return handler!;
}

const startMessage = (body: object, id = 'm1', headers: Record<string, string> = {}): IncomingMessage =>
  ({ id, topic: 'orchestrator.execution.start', headers, body: Buffer.from(JSON.stringify(body)), deliveryAttempt: 1 });

/** A whole API key, as an operator might paste it into the wrong field. */
const KEY = `bk_abcd1234_${'s'.repeat(43)}`;

describe('ExecutionStartConsumer', () => {
  it('keys a start without an idempotencyKey by its message id, as before', async () => {
    const started: StartRequest[] = [];
    await (await handlerStarting(started))(startMessage({ orchName: 'demo', payload: {} }));
    expect(started[0]).toMatchObject({ orchName: 'demo', idempotencyKey: 'message:m1' });
  });

  it('keys a start whose message id the column cannot hold by its hash, the same on redelivery', async () => {
    const started: StartRequest[] = [];
    const handle = await handlerStarting(started);
    for (const id of ['x'.repeat(300), 'x'.repeat(300), 'a\u0000b']) await handle(startMessage({ orchName: 'demo', payload: {} }, id));
    expect(started.map((r) => r.idempotencyKey)).toEqual([
      expect.stringMatching(/^message:sha256:[0-9a-f]{64}$/), started[0].idempotencyKey, expect.stringMatching(/^message:sha256:/),
    ]);
  });

  it('dead-letters at once an orchName, key or content type PostgreSQL cannot store or too long for its column', async () => {
    const started: StartRequest[] = [];
    const handle = await handlerStarting(started);
    const refusal = (body: object) => handle(startMessage({ payload: {}, ...body })).catch((e: unknown) => e);
    expect(await refusal({ orchName: 'a\u0000b' })).toEqual(new PoisonMessageError(
      'invalid message: orchName: contains a NUL character (at 1), which cannot be stored'));
    expect(String(await refusal({ orchName: 'o'.repeat(201) }))).toMatch(/orchName: .*200/);
    expect(String(await refusal({ orchName: 'demo', idempotencyKey: 'k\u0000' }))).toMatch(/idempotencyKey: contains a NUL/);
    expect(String(await refusal({ orchName: 'demo', contentType: 'text/plain\u0000' }))).toMatch(/contentType: contains a NUL/);
    expect(started).toEqual([]);
  });

  it('takes the correlation header only when it is a sane id, as over HTTP', async () => {
    const started: StartRequest[] = [];
    const handle = await handlerStarting(started);
    await handle(startMessage({ orchName: 'demo', payload: {} }, 'm1', { 'x-correlation-id': 'corr-1' }));
    await handle(startMessage({ orchName: 'demo', payload: {} }, 'm2', { 'x-correlation-id': 'c'.repeat(129) }));
    await handle(startMessage({ orchName: 'demo', payload: {} }, 'm3', { 'x-correlation-id': 'a\u0000b' }));
    await handle(startMessage({ orchName: 'demo', payload: {} }, 'm4', { 'x-correlation-id': KEY }));
    expect(started.map((r) => r.correlationId)).toEqual(['corr-1', ...Array(3).fill(expect.stringMatching(/^[0-9a-f-]{36}$/))]);
  });

  it('dead-letters a start whose correlationId holds a whole API key, without echoing the key', async () => {
    const started: StartRequest[] = [];
    const refusal = await (await handlerStarting(started))(startMessage({ orchName: 'demo', payload: {}, correlationId: KEY })).catch((e: unknown) => e);
    expect(String(refusal)).toMatch(/correlationId: must be 1-128 of \[A-Za-z0-9_.:-\], and not hold an API key/);
    expect(String(refusal)).not.toContain(KEY);
    expect(started).toEqual([]);
  });

  it("dead-letters a replay with another deadline naming the message's field, not the HTTP header", async () => {
    const started: StartRequest[] = [];
    // As RunExecutor refuses it: the key's run was started with a deadline of 60 seconds.
    const run = { flowId: 'f-1', payloadHash: payloadFingerprint('application/json', Buffer.from('{}')), deadlineSeconds: 60 };
    const handle = await handlerStarting(started, (req) => {
      throw replayRefusal(req.idempotencyKey!, run, payloadFingerprint(req.contentType, req.payload), req.deadlineSeconds, req.fields!)!;
    });
    const refusal = await handle(startMessage({ orchName: 'demo', payload: {}, idempotencyKey: 'k-1', deadlineSeconds: 30 })).catch((e: unknown) => e);
    expect(refusal).toEqual(new PoisonMessageError('IDEMPOTENCY_KEY_REUSED: Idempotency key k-1 was used for run f-1, started with a deadline '
      + 'of 60 seconds: a replay names that deadline or none, not 30 seconds (deadlineSeconds: must be 60, the deadline run f-1 was started with, or left out)'));
  });
});
