import { createServer, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HandlerHttpError } from './handler-http-error';
import { HttpTransport, MAX_BODY_BYTES } from './http-transport';
import { writeEndlessAnswer } from '../../../test/helpers/endless-answer';

describe('HttpTransport', () => {
  let server: Server;
  let baseUrl: string;
  /** Bytes the server managed to write before the client hung up. */
  let written = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      if (req.url === '/launch') {
        res.writeHead(201, { 'content-type': 'application/json' });
        writeEndlessAnswer(res, () => undefined);
        return;
      }
      if (req.url === '/small') {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"id":7}');
        return;
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      writeEndlessAnswer(res, (bytes) => { written += bytes; });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise((resolve) => server.close(resolve)));

  const transport = () => new HttpTransport({
    kind: 'awx', name: 'default', baseUrl, apiPrefix: '', auth: { scheme: 'bearer', token: 'sekret-token' }, allowInvalidSsl: false,
    connectTimeoutMs: 1000, requestTimeoutMs: 10_000, traceExtraVars: true, statusEndpoint: 'executions',
  } as never, ['sekret-token']);

  it('reads a small answer whole', async () => {
    const t = transport();
    expect(await t.send('GET', '/small', { what: 'AWX poll' })).toMatchObject({ status: 200, text: '{"id":7}' });
    await t.close();
  });

  it('stops reading an answer past its cap, and fails the call with why', async () => {
    const t = transport();
    const failure = await t.send('GET', '/endless', { what: 'AWX poll of job 7' }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(HandlerHttpError);
    expect(failure).toMatchObject({ status: 200, retriable: false, message: 'AWX poll of job 7 failed: the 200 answer is larger than 8 MiB' });
    expect(written).toBeLessThan(4 * MAX_BODY_BYTES);
    await t.close();
  });

  it('keeps a secret that a partner echoes near the end of a long error out of the message', async () => {
    const t = transport();
    const res = { status: 400, headers: {}, text: `${'x'.repeat(490)} sekret-token` };
    const { message } = t.errorFor(res as never, 'AWX launch', () => undefined);
    expect(message).not.toContain('sekret');
    await t.close();
  });

  /**
   * AWX accepted a launch whose answer Baton could not read (over 8 MiB): failed for good, the job
   * ran unfollowed and a retry of the step launched a second one. Now a lost answer: retried, and looked for.
   */
  it('makes a 2xx answer too large to read a lost answer for a call that starts a job, and a failure otherwise', async () => {
    const t = transport();
    const failure = await t.send('POST', '/launch', { what: 'AWX launch of job_template 7', startsJob: true }).catch((e: unknown) => e);
    expect(failure).toMatchObject({ status: 201, retriable: true, unsent: false,
      message: 'AWX launch of job_template 7 failed: the 201 answer is larger than 8 MiB' });
    expect(await t.send('POST', '/launch', { what: 'AWX cancel' }).catch((e: unknown) => e)).toMatchObject({ status: 201, retriable: false });
    await t.close();
  });

  /** A parser's RangeError (an answer nested thousands deep) replaced the 503's error: not retried, a running job cancelled. */
  it("keeps a status's classification when its message cannot be read from the answer", async () => {
    const t = transport();
    const res = { status: 503, headers: { 'retry-after': '7' }, text: '{"detail": "busy"}' };
    const error = t.errorFor(res as never, 'AWX status of job 42', () => { throw new RangeError('Maximum call stack size exceeded'); });
    expect(error).toBeInstanceOf(HandlerHttpError);
    expect(error).toMatchObject({ status: 503, retriable: true, retryAfterMs: 7000, message: 'AWX status of job 42 failed (HTTP 503): {"detail": "busy"}' });
    await t.close();
  });
});
