import { HandlerHttpError } from '../http/handler-http-error';
import type { JobExecutionEntity, JobOptions } from '../job-execution.entity';
import type { CallRequest, CallResponse, HttpCallClient } from './http-call.client';
import { HttpCallTarget } from './http-call-target';

/** The connection's credential, as the client's scrub knows it. */
const TOKEN = 'sk_live_0123456789abcdefSECRET';

/** A target over a client that answers each call with the next of `answers`, recording the calls. */
function targetAnswering(...answers: Array<Partial<CallResponse>>) {
  const sent: CallRequest[] = [];
  const client = {
    connection: { baseUrl: 'https://erp.example.com/api', timeoutMs: 1000 },
    scrub: (text: string) => text.replaceAll(TOKEN, '***'),
    send: async (call: CallRequest) => {
      sent.push(call);
      return { status: 200, headers: {}, body: null, bodyTruncated: false, ...answers.shift() };
    },
  } as unknown as HttpCallClient;
  return { target: new HttpCallTarget(client), sent };
}

const row = (options: JobOptions = {}) => ({
  id: 'j1', flowId: 'f', stepName: 'createOrder', action: 'DO', attempt: 1, correlationId: null, launchAttempts: 1,
  requestPayload: { method: 'POST', path: '/orders', query: {}, headers: {}, body: { n: 1 } },
  options: { http: { timeoutMs: 1000, outputHeaders: [] }, ...options },
}) as unknown as JobExecutionEntity;

const failureOf = (promise: Promise<unknown>) => promise.then(() => undefined, (e: unknown) => e);

describe('HttpCallTarget', () => {
  /**
   * A POST timed out while the partner worked on it; its retry got 409 "request in progress" (the
   * Idempotency-Key draft, Stripe) and failed the step for good, and the first call then completed:
   * work done by a step that failed, which no undo reverses.
   */
  it('retries a 409 or 425 to a call sent again after one went unanswered, and fails a first call\'s 409 at once', async () => {
    for (const status of [409, 425]) {
      const { target } = targetAnswering({ status, body: { message: 'request in progress' }, headers: { 'retry-after': '2' } });
      const error = await failureOf(target.launch(row({ unansweredLaunch: true })));
      expect(error).toBeInstanceOf(HandlerHttpError);
      expect(error).toMatchObject({ status, retriable: true, unsent: true, retryAfterMs: 2000, minDelayMs: undefined,
        message: `POST /api/orders failed (HTTP ${status}): request in progress` });
    }
    // Without Retry-After, asked again no sooner than a call may take: sooner, it is in progress still.
    // A minimum, not a Retry-After: the retry policy's maximum delay (5 s) cut a 30 s wait short.
    const inProgress = targetAnswering({ status: 409, body: { message: 'request in progress' } }).target;
    expect(await failureOf(inProgress.launch(row({ unansweredLaunch: true })))).toMatchObject({ status: 409, retryAfterMs: undefined, minDelayMs: 1000 });
    const { target } = targetAnswering({ status: 409, body: { message: 'order exists' } });
    const first = await target.launch(row());
    expect(first.result?.classified).toEqual({ phase: 'FAILURE', reason: 'POST /api/orders failed (HTTP 409): order exists' });
  });

  /** A 429 sets the launch unanswered, and an UNDO then said the step may have started something. */
  it('says a 429 sent nothing, and a 5xx may have', async () => {
    const { target } = targetAnswering({ status: 429, body: 'slow down' }, { status: 503, body: 'busy' });
    expect(await failureOf(target.launch(row()))).toMatchObject({ status: 429, retriable: true, unsent: true });
    expect(await failureOf(target.launch(row()))).toMatchObject({ status: 503, retriable: true, unsent: false });
  });

  /** JSON.stringify of the answer threw RangeError, so a retriable 5xx failed the step for good. */
  it('keeps a 5xx retriable whatever its answer\'s nesting, and its message short', async () => {
    let deep: unknown = [];
    for (let i = 0; i < 30_000; i++) deep = [deep];
    const { target } = targetAnswering({ status: 502, body: deep }, { status: 500, body: { items: Array.from({ length: 50_000 }, (_, i) => ({ id: i })) } });
    const error = await failureOf(target.launch(row()));
    expect(error).toMatchObject({ status: 502, retriable: true });
    expect((error as Error).message).toMatch(/^POST \/api\/orders failed \(HTTP 502\): \[\[\[\[\[\[\[\["\(nested deeper than 8 levels: not kept\)"\]/);
    expect((await failureOf(target.launch(row())) as Error).message).toMatch(/^POST \/api\/orders failed \(HTTP 500\): \{"items":\[\{"id":0\},.{200,}… \(\d+ more characters\)$/);
  });

  /**
   * A failed call's answer, kept as the step's output, kept `{"password":"hunter2"}` whole while its
   * error (the same answer as text) cut it: its keys and values were scrubbed apart. An answer that
   * succeeded keeps its credentials, which a later step may use (a token endpoint's).
   */
  it('cuts the values of credential-named keys from a failed answer as from its error, and keeps a successful one whole', async () => {
    const body = { error: { detail: 'bad login', password: 'hunter2', client_secret: 's3cr3t', pin_password: 1234 }, tokens: ['t-1'] };
    const headers = { 'x-auth-token': 'opaque-77', 'x-request-id': 'r-1' };
    const { target } = targetAnswering({ status: 400, body, headers }, { status: 200, body });
    const failed = await target.launch(row({ http: { timeoutMs: 1000, outputHeaders: ['x-auth-token', 'x-request-id'] } }));
    expect(failed.response).toEqual({ status: 400, headers: { 'x-auth-token': '***', 'x-request-id': 'r-1' },
      body: { error: { detail: 'bad login', password: '***', client_secret: '***', pin_password: '***' }, tokens: ['t-1'] } });
    expect(failed.result?.classified).toEqual({ phase: 'FAILURE', reason: 'POST /api/orders failed (HTTP 400): '
      + '{"error":{"detail":"bad login","password":"***","client_secret":"***","pin_password":***},"tokens":["t-1"]}' });
    expect((await target.launch(row())).response).toEqual({ status: 200, headers: {}, body });
  });

  /**
   * Only a 4xx or 5xx answer was kept with its credential-named keys cut: a 2xx whose successPath
   * disagreed, and a status poll naming a failed state, stored `{"client_secret":"…"}` whole.
   */
  it('cuts the values of credential-named keys from every answer that fails the step, whatever its status', async () => {
    const body = { status: 'error', client_secret: 's3cr3t', detail: 'bad login' };
    const cut = { status: 'error', client_secret: '***', detail: 'bad login' };
    const checked = { http: { timeoutMs: 1000, outputHeaders: [], successPath: 'status', successEquals: 'ok' } };
    const { target } = targetAnswering({ status: 200, body }, { status: 200, body: { ...body, status: 'ok' } }, { status: 202, body });
    const refused = await target.launch(row(checked));
    expect(refused.result?.classified.phase).toBe('FAILURE');
    expect(refused.response).toEqual({ status: 200, headers: {}, body: cut });
    expect((await target.launch(row(checked))).response).toEqual({ status: 200, headers: {}, body: { ...body, status: 'ok' } });
    const unpolled = await target.launch(row({ http: { timeoutMs: 1000, outputHeaders: [], async: { statePath: 'status', done: ['ok'] } } }));
    expect(unpolled).toMatchObject({ response: { status: 202, body: cut }, result: { classified: { phase: 'FAILURE' } } });

    const async = { statePath: 'status', done: ['ok'], failed: ['error'] };
    const polled = (state: string) => targetAnswering({ status: 200, body: { ...body, status: state } }).target
      .poll({ ...row(), options: { http: { timeoutMs: 1000, outputHeaders: [], async, statusPath: '/ops/1', statusSearch: '' } } } as JobExecutionEntity);
    expect(await polled('error')).toMatchObject({ classified: { phase: 'FAILURE' }, response: { status: 200, body: cut } });
    expect((await polled('ok')).response).toEqual({ status: 200, headers: {}, body: { ...body, status: 'ok' } });
    expect((await polled('running')).response).toEqual({ status: 200, headers: {}, body: { ...body, status: 'running' } });
  });

  /** Each status poll carried the launch's Idempotency-Key: a poll is not the step's work. */
  it('sends the Idempotency-Key with the call, not with its status polls', async () => {
    const { target, sent } = targetAnswering({ status: 202, headers: { location: '/api/operations/7' } }, { status: 200, body: { state: 'running' } });
    const async = { statePath: 'state', done: ['done'] };
    const launched = await target.launch(row({ http: { timeoutMs: 1000, outputHeaders: [], async } }));
    await target.poll({ ...row(), options: launched.options } as JobExecutionEntity);
    expect(sent.map((call) => [call.method, call.url.pathname, call.idempotencyKey])).toEqual([
      ['POST', '/api/orders', 'f:createOrder:DO'], ['GET', '/api/operations/7', undefined],
    ]);
  });

  /**
   * The status was stored, shown to viewers and logged as the partner answered it: a status
   * endpoint that echoes the request's headers put the connection's token in all three.
   */
  it("scrubs the connection's credentials from an operation's status and failure reason, deciding on the value as answered", async () => {
    const async = { statePath: 'state', done: [`done ${TOKEN}`], failed: [`failed by ${TOKEN}`] };
    const polled = (state: unknown) => {
      const { target } = targetAnswering({ status: 200, body: { state, echo: `Bearer ${TOKEN}` } });
      return target.poll({ ...row(), options: { http: { timeoutMs: 1000, outputHeaders: [], async, statusPath: '/ops/1', statusSearch: '' } } } as JobExecutionEntity);
    };
    const running = await polled(`Bearer ${TOKEN}`);
    expect(running).toMatchObject({ externalStatus: 'Bearer ***', classified: { phase: 'IN_PROGRESS' } });
    expect(JSON.stringify(running)).not.toContain(TOKEN);
    expect(await polled(`done ${TOKEN}`)).toMatchObject({ externalStatus: 'done ***', classified: { phase: 'SUCCESS' } });
    expect(await polled({ by: TOKEN })).toMatchObject({ externalStatus: '{"by":"***"}', classified: { phase: 'IN_PROGRESS' } });
    expect(await polled(`failed by ${TOKEN}`)).toMatchObject({ externalStatus: 'failed by ***', classified: { phase: 'FAILURE', reason: 'state is "failed by ***"' } });
  });
});
