import { randomBytes } from 'node:crypto';
import { Kafka, logLevel, type ISocketFactory, type Producer } from 'kafkajs';
import { Slots } from '../../../packages/worker/src/slots';
import { KafkaTransport } from '../../../packages/worker/src/transports/kafka-transport';
import type { Delivery } from '../../../packages/worker/src/transports/transport';
import type { WireReply } from '../../../packages/worker/src/wire';
import { BlackholeProxy, hung } from '../../helpers/blackhole-proxy';
import { expectEventually } from '../../helpers/expect-eventually';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/** The commit (2 s) and the leave (3 s); the reply producer's disconnect (2 s) beside them. */
const CLOSE_BOUND_MS = 5_000;
/**
 * How long after close() the reply cut short may take to fail: kafkajs's retries of it ran about
 * 10 s at its default backoff (a connection refused at once each time), holding the process.
 */
const CUT_SHORT_FAILS_WITHIN_MS = 4_000;

/*
 * The broker advertises its own address, which kafkajs connects to after the bootstrap: every
 * socket the SDK's transport opens goes through the proxy instead (a one-broker cluster). The
 * test's own clients (kafkajs's default sockets) reach the broker directly.
 */
const mockRoute = { port: 0 };
jest.mock('../../../packages/worker/src/transports/kafka-socket', () => {
  const actual = jest.requireActual<typeof import('../../../packages/worker/src/transports/kafka-socket')>('../../../packages/worker/src/transports/kafka-socket');
  const throughProxy: ISocketFactory = (options) => actual.noDelaySocketFactory({ ...options, host: '127.0.0.1', port: mockRoute.port });
  return { noDelaySocketFactory: throughProxy };
});

const lines: Array<{ at: number; level: string; message: string }> = [];
const capture = (level: string) => (_fields: object, message: string) => void lines.push({ at: Date.now(), level, message });
const logger = { info: capture('info'), warn: capture('warn'), error: capture('error') };

const command = (n: number) => JSON.stringify({
  flowId: `f${n}`, orchName: 'order', stepName: 'charge', action: 'DO', attempt: 1, commandId: `c${n}`, objectType: 'Order',
  payload: {}, payloadEncoding: 'json', outputs: {}, correlationId: `k${n}`, idempotencyKey: `i${n}`,
  deadline: new Date(Date.now() + 60_000).toISOString(),
});
const reply = (d: Delivery) => ({ flowId: d.command.flowId, metadata: { status: 'SUCCESS' } }) as WireReply;

/*
 * Kubernetes kills a pod 30 s after SIGTERM. Against a broker that does not answer (frozen, or a
 * path that drops packets: no reset, no answer), the worker's close waited for the reply producer's
 * disconnect, which kafkajs holds while a reply is in flight: its 30 s request timeout, retried.
 * Real Kafka through a proxy that black-holes the transport's connections; the shared broker keeps running.
 */
describe('worker SDK on Kafka: closing while the broker does not answer', () => {
  afterEach(() => jest.restoreAllMocks());
  const id = randomBytes(4).toString('hex');
  const names = { commandTopicPrefix: `blackhole.${id}.commands.`, replyTopic: `blackhole.${id}.reply` };
  const service = `svc${id}`;
  let proxy: BlackholeProxy;
  let direct: Producer;

  beforeAll(async () => {
    const [host, port] = brokers.split(',')[0].split(':');
    proxy = await new BlackholeProxy(host, Number(port)).start();
    mockRoute.port = proxy.port;
    const kafka = new Kafka({ clientId: `blackhole-${id}`, brokers: brokers.split(','), logLevel: logLevel.NOTHING });
    const admin = kafka.admin();
    await admin.connect();
    await admin.createTopics({ topics: [{ topic: names.replyTopic, numPartitions: 1 }], waitForLeaders: true });
    await admin.disconnect();
    direct = kafka.producer();
    await direct.connect();
  });

  afterAll(async () => {
    await direct?.disconnect();
    await proxy?.stop();
  });

  it('closes within its bounds with a reply in flight, its connections ended, and logs nothing after', async () => {
    // The produce requests the transport's reply producers make, to tell when the reply is in flight.
    let requests = 0;
    const producer = Kafka.prototype.producer;
    jest.spyOn(Kafka.prototype, 'producer').mockImplementation(function (this: Kafka, ...args) {
      const made = producer.apply(this, args);
      const sendBatch = made.sendBatch.bind(made);
      made.sendBatch = (batch) => { requests++; return sendBatch(batch); };
      return made;
    });
    const transport = new KafkaTransport(service, { brokers: [`127.0.0.1:${proxy.port}`], partitions: 1, ...names }, logger);
    const deliveries: Delivery[] = [];
    const slots = new Slots(2);
    await transport.prepare();
    await transport.start((d) => {
      void slots.acquire(); // held until settled, as the worker does
      deliveries.push({ ...d, settle: (r) => d.settle(r).finally(() => slots.release()) });
    }, slots);
    const send = (n: number) => direct.send({ topic: `${names.commandTopicPrefix}${service}`, messages: [{ key: `f${n}`, value: command(n) }] });

    await send(1);
    await expectEventually(() => expect(deliveries).toHaveLength(1), { timeoutMs: 30_000 });
    await deliveries[0].settle(reply(deliveries[0])); // acknowledged through the proxy: the path works
    await send(2);
    await expectEventually(() => expect(deliveries).toHaveLength(2), { timeoutMs: 10_000 });

    proxy.blackhole();
    // A reply in flight: the producer's disconnect waits for it.
    const inFlight = deliveries[1].settle(reply(deliveries[1])).then(() => 'sent', (error: Error) => error);
    await expectEventually(() => expect(requests).toBe(2), { timeoutMs: 5_000 });
    const started = Date.now();
    await Promise.race([(async () => {
      await transport.pause(); // what the worker's stop calls first
      await transport.close();
    })(), hung()]);
    const closed = Date.now();
    expect(closed - started).toBeLessThan(CLOSE_BOUND_MS + 1_000);

    // Nothing left waiting on the black hole: the client's sockets are closed at once. The reply cut
    // short fails soon after (kafkajs finds no brokers to connect to, and does not retry that), not
    // after the ~10 s of kafkajs's retries: the command comes again. Silently, after close.
    await expectEventually(() => expect(proxy.connections).toBe(0), { timeoutMs: 2_000 });
    expect(Date.now() - closed).toBeLessThan(3_000);
    await expect(Promise.race([inFlight, hung()])).resolves.toBeInstanceOf(Error);
    expect(Date.now() - closed).toBeLessThan(CUT_SHORT_FAILS_WITHIN_MS);
    expect(lines.filter((l) => l.at > closed)).toEqual([]);
  }, 60_000);
});
