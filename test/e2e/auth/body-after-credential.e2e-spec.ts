import type { Server } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { DataSource } from 'typeorm';
import { issueKey, newAdminKey } from '../../helpers/auth';
import { captureOutput } from '../../helpers/captured-output';
import { expectEventually } from '../../helpers/expect-eventually';
import { startTestApp, TestApp } from '../../helpers/test-app';

/** How long a test waits for an answer: far less than Node's request timeout (a minute), which would answer too. */
const ANSWER_WITHIN_MS = 5_000;

describe('AUTH_MODE=on: a request body is read only from a caller with a valid credential', () => {
  const admin = newAdminKey();
  let t: TestApp;
  let port: number;
  let service: string;
  let output: ReturnType<typeof captureOutput>;

  beforeAll(async () => {
    output = captureOutput();
    t = await startTestApp({ AUTH_MODE: 'on', ADMIN_API_KEY: admin, LOG_LEVEL: 'info', LOG_FORMAT: 'json' });
    service = await issueKey(t, admin, 'service', 'body-svc');
    const server: Server = t.app.getHttpServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    jest.restoreAllMocks();
    await new Promise((resolve) => (t.app.getHttpServer() as Server).close(resolve));
    await t?.close();
  });

  /**
   * Sends a POST announcing 100 KB of body, then only `parts` of it, `gapMs` apart; resolves with
   * the answer's status line and body, or with 'no answer' if none came within ANSWER_WITHIN_MS.
   */
  const post = (credential: Record<string, string>, parts: string[], gapMs = 0) => new Promise<string>((resolve, reject) => {
    const headers = Object.entries({ 'Content-Type': 'application/json', 'Content-Length': '100000', ...credential })
      .map(([k, v]) => `${k}: ${v}\r\n`).join('');
    const socket = connect(port, '127.0.0.1', async () => {
      socket.write(`POST /api/orchestration/execute/nothing-here HTTP/1.1\r\nHost: 127.0.0.1\r\n${headers}\r\n`);
      for (const part of parts) {
        if (socket.destroyed) break;
        socket.write(part);
        await new Promise((r) => setTimeout(r, gapMs));
      }
    });
    const timer = setTimeout(() => { socket.destroy(); resolve('no answer'); }, ANSWER_WITHIN_MS);
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString();
      const [head, body] = text.split('\r\n\r\n');
      if (body === undefined || !body.endsWith('}')) return;
      clearTimeout(timer);
      socket.destroy();
      resolve(`${head.split('\r\n')[0]} ${JSON.parse(body).code}`);
    }).on('error', reject);
  });

  it('refuses a caller without a credential, or with a wrong one, before its body arrives, and audits it', async () => {
    expect(await post({}, ['{"a":'])).toBe('HTTP/1.1 401 Unauthorized UNAUTHENTICATED');
    expect(await post({ Authorization: `Bearer bk_nope1234_${'w'.repeat(40)}` }, ['{"a":'])).toBe('HTTP/1.1 401 Unauthorized UNAUTHENTICATED');
    const denied = await t.get(DataSource).query(
      `SELECT principal_id AS "principalId", reason FROM security_audit WHERE event = 'DENIED' AND target = 'POST /api/orchestration/execute/nothing-here' ORDER BY id`);
    expect(denied).toEqual([{ principalId: null, reason: expect.stringMatching(/^no credentials/) },
      { principalId: expect.stringContaining('nope1234'), reason: 'unknown, expired, revoked or invalid credentials' }]);
  });

  it('leaves a GET with a body alone: Fastify reads none, and a public route answers it as ever', async () => {
    const res = await t.http.get('/api/orchestration/health/live').set('Content-Type', 'application/json').send('{"a":1}');
    expect(res.status).toBe(200);
  });

  it('closes the connection after such a refusal, instead of reading the rest of the body to keep it alive', async () => {
    const closed = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () => socket.write('POST /api/orchestration/execute/nothing-here HTTP/1.1\r\n'
        + 'Host: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"a":'));
      const timer = setTimeout(() => { socket.destroy(); resolve('still open'); }, ANSWER_WITHIN_MS);
      let text = '';
      socket.on('data', (chunk) => { text += chunk.toString(); })
        .on('end', () => { clearTimeout(timer); resolve(text.split('\r\n')[0]); }).on('error', reject);
    });
    expect(closed).toBe('HTTP/1.1 401 Unauthorized');
  });

  it("reads a valid caller's body as it arrives, and the route answers", async () => {
    const body = JSON.stringify({ pad: 'p'.repeat(100000 - 10) });
    expect(body).toHaveLength(100000);
    expect(await post({ Authorization: `Bearer ${service}` }, [body.slice(0, 50000), body.slice(50000)], 200))
      .toBe('HTTP/1.1 404 Not Found TEMPLATE_NOT_FOUND');
  });

  it('logs a client that goes away mid-body as an aborted request, not as a dependency outage (503)', async () => {
    const socket = connect(port, '127.0.0.1', () => socket.write('POST /api/orchestration/execute/nothing-here HTTP/1.1\r\n'
      + `Host: 127.0.0.1\r\nAuthorization: Bearer ${service}\r\nContent-Type: application/json\r\nContent-Length: 1000000\r\n\r\n{"a":"${'x'.repeat(500_000)}`,
    () => setTimeout(() => socket.resetAndDestroy(), 100)));
    const aborted = () => output.lines().filter((l) => l.includes('"request aborted"') && l.includes('nothing-here'));
    await expectEventually(() => expect(aborted()).toHaveLength(1), { timeoutMs: 5_000, intervalMs: 50 });
    // The error filter answers (to nobody) after the request log's line: give it its turn.
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(output.lines().filter((l) => l.includes('answered 503'))).toEqual([]);
  });
});
