import { once } from 'node:events';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { isInfrastructureError } from '../common/errors/infrastructure-error';
import { BoundedClient, replyTimeoutMs } from './bounded-client';

const LIMIT_MS = 150;

/** A backend message: a type byte, then an int32 length that counts itself, then the body. */
function message(type: string, body: Buffer): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0);
  header.writeInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}
const AUTH_OK = message('R', Buffer.from([0, 0, 0, 0]));
const READY = message('Z', Buffer.from('I'));
const SELECT_DONE = Buffer.concat([message('C', Buffer.from('SELECT 0\0')), READY]);

/**
 * A server that lets a client in (trust authentication) and then answers each simple query after
 * `answerAfterMs`, or never while it is undefined: a peer behind a path that drops packets.
 */
class SilentServer {
  answerAfterMs?: number;
  private readonly server: Server = createServer((socket) => this.serve(socket));
  private readonly sockets = new Set<Socket>();

  async listen(): Promise<number> {
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    return (this.server.address() as AddressInfo).port;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    this.server.close();
    await once(this.server, 'close');
  }

  private serve(socket: Socket): void {
    this.sockets.add(socket);
    let started = false;
    socket.on('error', () => undefined);
    socket.on('data', () => {
      if (!started) {
        started = true;
        socket.write(Buffer.concat([AUTH_OK, READY]));
      } else if (this.answerAfterMs !== undefined) {
        setTimeout(() => socket.write(SELECT_DONE), this.answerAfterMs);
      }
    });
  }
}

describe('BoundedClient', () => {
  let server: SilentServer;
  let client: BoundedClient;

  beforeEach(async () => {
    server = new SilentServer();
    const port = await server.listen();
    client = new BoundedClient({ host: '127.0.0.1', port, user: 'baton', database: 'baton', replyTimeoutMillis: LIMIT_MS });
    client.on('error', () => undefined); // what a pool does with a client's error: discards the client
    await client.connect();
  });

  afterEach(async () => {
    await client.end();
    await server.close();
  });

  it('drops a connection whose server leaves a statement unanswered past the limit, failing it as an outage', async () => {
    const started = Date.now();
    const error = await client.query('SELECT 1').catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'ETIMEDOUT' });
    expect(isInfrastructureError(error)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(LIMIT_MS - 20);
    // Not queryable: pg-pool discards such a client at release instead of handing it out again.
    await expect(client.query('SELECT 1')).rejects.toThrow(/not queryable/);
  });

  it('leaves an idle connection alone, however long it stays quiet', async () => {
    await new Promise((resolve) => setTimeout(resolve, 3 * LIMIT_MS));
    server.answerAfterMs = 0;
    await expect(client.query('SELECT 1')).resolves.toMatchObject({ command: 'SELECT' });
  });

  it('waits past the limit inside unbounded() (migrations), and is bounded again after it', async () => {
    server.answerAfterMs = 3 * LIMIT_MS;
    await expect(BoundedClient.unbounded(client, () => client.query('SELECT 1'))).resolves.toMatchObject({ command: 'SELECT' });
    server.answerAfterMs = undefined;
    await expect(client.query('SELECT 1')).rejects.toMatchObject({ code: 'ETIMEDOUT' });
  });
});

describe('replyTimeoutMs', () => {
  it('is the statement timeout and a tenth more, at least a second more, so that the server cancel arrives first', () => {
    expect(replyTimeoutMs(30_000)).toBe(33_000);
    expect(replyTimeoutMs(500)).toBe(1_500);
  });

  it('is no limit when statements have none', () => {
    expect(replyTimeoutMs(0)).toBe(0);
  });
});
