import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { once } from 'node:events';
import { KafkaConnections } from './kafka-connections';

/** A loopback server standing in for a broker that never answers: it accepts and stays silent. */
async function silentServer(): Promise<{ server: Server; port: number; accepted: Socket[] }> {
  const accepted: Socket[] = [];
  const server = createServer((socket) => accepted.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, port: (server.address() as AddressInfo).port, accepted };
}

/** A socket as kafkajs opens it: listening for 'error' and 'end' right after the factory returns. */
function openSocket(connections: KafkaConnections, port: number) {
  const socket = connections.socketFactory({ host: '127.0.0.1', port, ssl: undefined as never, onConnect: () => undefined });
  const errors: string[] = [];
  socket.on('error', (error: Error) => errors.push(error.message));
  // events.once() would reject on the 'error' these sockets end with.
  const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
  return { socket, errors, closed };
}

describe('KafkaConnections', () => {
  let broker: Awaited<ReturnType<typeof silentServer>>;

  beforeEach(async () => {
    broker = await silentServer();
  });

  afterEach(async () => {
    for (const socket of broker.accepted) socket.destroy();
    await new Promise((resolve) => broker.server.close(resolve));
  });

  it('fails the sockets still open on close, as kafkajs notices (an error: it ignores a plain close)', async () => {
    const connections = new KafkaConnections();
    const { socket, errors, closed } = openSocket(connections, broker.port);
    await once(socket, 'connect');
    connections.close();
    await closed;
    expect(errors).toEqual(['Kafka client closed']);
    expect(connections.isOpen).toBe(false);
  });

  it('refuses sockets once closed without connecting, and opens them again after open()', async () => {
    const connections = new KafkaConnections();
    connections.close();
    const refused = openSocket(connections, broker.port);
    await refused.closed;
    expect(refused.errors).toEqual(['Kafka client closed']);
    expect(broker.accepted).toHaveLength(0);

    connections.open();
    const { socket, errors } = openSocket(connections, broker.port);
    await once(socket, 'connect');
    expect(errors).toEqual([]);
    socket.destroy();
  });

  it("gives kafkajs the brokers while open and none once closed (a configuration error it does not retry), again after open()", () => {
    const connections = new KafkaConnections();
    const brokers = connections.brokersOf(['127.0.0.1:9092', '127.0.0.1:9093']);
    expect(brokers()).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
    connections.close();
    expect(brokers()).toEqual([]);
    connections.open();
    expect(brokers()).toEqual(['127.0.0.1:9092', '127.0.0.1:9093']);
  });
});
