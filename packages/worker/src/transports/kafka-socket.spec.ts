import * as net from 'node:net';
import type { KafkaSocketFactory } from './kafka-shapes';
import { noDelaySocketFactory } from './kafka-socket';
import { KafkaTransport } from './kafka-transport';

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe('noDelaySocketFactory', () => {
  let server: net.Server;
  let port: number;

  beforeAll(async () => {
    server = net.createServer((s) => s.end());
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as net.AddressInfo).port;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
  afterEach(() => jest.restoreAllMocks());

  it('connects with Nagle off and keep-alive on', async () => {
    const noDelay = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    const keepAlive = jest.spyOn(net.Socket.prototype, 'setKeepAlive');
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = noDelaySocketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => resolve(s as net.Socket) });
    });
    socket.destroy();
    expect(noDelay.mock.contexts).toContain(socket);
    expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(socket)]).toEqual([true]);
    expect(keepAlive.mock.contexts).toContain(socket);
  });

  it("makes the sockets of the SDK's Kafka client", async () => {
    // The module object the transport's loadPeer requires (a namespace import's getters cannot be spied on).
    const client = jest.spyOn(jest.requireActual<typeof import('kafkajs')>('kafkajs'), 'Kafka')
      .mockImplementation(() => ({}) as never); // the options are all this checks; nothing connects
    new KafkaTransport('svc', { brokers: ['127.0.0.1:1'] }, quiet);
    const { socketFactory } = client.mock.calls[0][0] as { socketFactory: KafkaSocketFactory };
    const noDelay = jest.spyOn(net.Socket.prototype, 'setNoDelay');
    const socket = await new Promise<net.Socket>((resolve) => {
      const s = socketFactory({ host: '127.0.0.1', port, ssl: undefined, onConnect: () => resolve(s) });
    });
    socket.destroy();
    expect(noDelay.mock.calls[noDelay.mock.contexts.indexOf(socket)]).toEqual([true]);
  });
});
