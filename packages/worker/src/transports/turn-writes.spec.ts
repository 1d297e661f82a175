import { once } from 'node:events';
import { createServer, type Server, Socket } from 'node:net';
import { setImmediate as turn } from 'node:timers/promises';
import { writeTurnsWhole } from './turn-writes';

describe('writeTurnsWhole', () => {
  let server: Server;
  let socket: Socket;
  let received: Buffer[];

  beforeEach(async () => {
    received = [];
    server = createServer((peer) => peer.on('data', (chunk: Buffer) => received.push(chunk)));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    socket = new Socket();
    socket.connect((server.address() as { port: number }).port, '127.0.0.1');
    await once(socket, 'connect');
  });

  afterEach(async () => {
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });

  /** How the socket hands data to the kernel: a write per chunk, or one writev per batch. */
  function spyOnFlushes(): { writes: jest.SpyInstance; writevs: jest.SpyInstance } {
    const s = socket as unknown as { _write: () => void; _writev: () => void };
    return { writes: jest.spyOn(s, '_write'), writevs: jest.spyOn(s, '_writev') };
  }

  it("sends a turn's writes in one writev, in order", async () => {
    expect(writeTurnsWhole(socket)).toBe(true);
    const { writes, writevs } = spyOnFlushes();
    for (const frame of ['publish', 'ack', 'reply']) expect(socket.write(Buffer.from(frame))).toBe(true);
    await turn();
    expect(writes).not.toHaveBeenCalled();
    expect(writevs).toHaveBeenCalledTimes(1);
    // Node passes the chunks as Buffers when all are, else as {chunk, encoding} entries.
    const chunks = writevs.mock.calls[0][0] as Array<Buffer | { chunk: Buffer }>;
    expect(chunks.map((c) => (Buffer.isBuffer(c) ? c : c.chunk).toString())).toEqual(['publish', 'ack', 'reply']);
    await expectReceived('publishackreply');
  });

  it('does not hold a later turn back: each turn flushes on its own', async () => {
    writeTurnsWhole(socket);
    const { writes, writevs } = spyOnFlushes();
    socket.write(Buffer.from('one'));
    await turn();
    socket.write(Buffer.from('two'));
    await turn();
    expect(writes.mock.calls.length + writevs.mock.calls.length).toBe(2);
    await expectReceived('onetwo');
  });

  it('keeps backpressure: past the high-water mark a write says so, and drain follows the flush', async () => {
    writeTurnsWhole(socket);
    expect(socket.write(Buffer.alloc(socket.writableHighWaterMark + 1))).toBe(false);
    await once(socket, 'drain');
    await expectReceivedBytes(socket.writableHighWaterMark + 1);
  });

  it('wraps a socket once, however often it is asked to', async () => {
    writeTurnsWhole(socket);
    const wrapped = socket.write;
    expect(writeTurnsWhole(socket)).toBe(true);
    expect(socket.write).toBe(wrapped);
  });

  it('leaves what is not a stream that corks as it is, and says so', () => {
    const stream = { write: jest.fn() };
    expect(writeTurnsWhole(stream)).toBe(false);
    expect(writeTurnsWhole(undefined)).toBe(false);
    expect(jest.isMockFunction(stream.write)).toBe(true);
  });

  async function expectReceivedBytes(bytes: number): Promise<void> {
    for (let i = 0; i < 100 && Buffer.concat(received).length < bytes; i++) await turn();
    expect(Buffer.concat(received).length).toBe(bytes);
  }

  async function expectReceived(text: string): Promise<void> {
    for (let i = 0; i < 100 && Buffer.concat(received).toString() !== text; i++) await turn();
    expect(Buffer.concat(received).toString()).toBe(text);
  }
});
