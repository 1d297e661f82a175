import 'reflect-metadata';
import { Logger, type LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { Kafka, type Admin, type ISocketFactory } from 'kafkajs';
import { loadConfig } from '../../../src/config/load-config';
import { KafkaDriver } from '../../../src/messaging/drivers/kafka/kafka.driver';
import { Metrics } from '../../../src/metrics/metrics';
import { BlackholeProxy, hung } from '../../helpers/blackhole-proxy';
import { expectEventually } from '../../helpers/expect-eventually';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/** Each consumer's commit (2 s) and leave (3 s), then the producer's and admin's disconnect (2 s). */
const CLOSE_BOUND_MS = 7_000;
/**
 * How long after close() the publish cut short may take to fail: kafkajs retried its connection
 * (refused at once each time) for about 1.4 s at the driver's backoff, holding the process.
 */
const CUT_SHORT_FAILS_WITHIN_MS = 1_000;

/*
 * The broker advertises its own address, which kafkajs connects to after the bootstrap: every
 * socket the driver opens (KafkaConnections, through the SDK's factory) goes through the proxy
 * instead (a one-broker cluster).
 */
const mockRoute = { port: 0 };
jest.mock('../../../packages/worker/src/transports/kafka-socket', () => {
  const actual = jest.requireActual<typeof import('../../../packages/worker/src/transports/kafka-socket')>('../../../packages/worker/src/transports/kafka-socket');
  const throughProxy: ISocketFactory = (options) => actual.noDelaySocketFactory({ ...options, host: '127.0.0.1', port: mockRoute.port });
  return { noDelaySocketFactory: throughProxy };
});

const lines: Array<{ at: number; level: string; text: string }> = [];
const capture = (level: string) => (message: unknown) => { lines.push({ at: Date.now(), level, text: String(message) }); };
const logger: LoggerService = { log: capture('log'), warn: capture('warn'), error: capture('error'), debug: capture('debug') };

/*
 * Kubernetes kills a pod 30 s after SIGTERM. Against a broker that does not answer (frozen, or a
 * path that drops packets: no reset, no answer), kafkajs's consumer waited for its commit, its
 * fetch and its leave, each a 30 s request retried: minutes. Real Kafka through a proxy that
 * black-holes the driver's connections; the shared broker itself keeps running.
 */
describe('Kafka driver closing while the broker does not answer', () => {
  const id = randomBytes(4).toString('hex');
  const topic = `blackhole.${id}`;
  let proxy: BlackholeProxy;

  beforeAll(async () => {
    const [host, port] = brokers.split(',')[0].split(':');
    proxy = await new BlackholeProxy(host, Number(port)).start();
    mockRoute.port = proxy.port;
    Logger.overrideLogger(logger);
  });

  afterAll(async () => {
    jest.restoreAllMocks();
    await proxy?.stop();
  });

  it('stops its consumers and closes within its bounds, its connections ended, and nothing asked or logged after', async () => {
    // The driver's admin client, whose health probe must not reconnect it once closed.
    const newAdmin = Kafka.prototype.admin;
    const probes: number[] = [];
    jest.spyOn(Kafka.prototype, 'admin').mockImplementation(function (this: Kafka, ...args: Parameters<Kafka['admin']>): Admin {
      const admin = newAdmin.apply(this, args);
      const describeCluster = admin.describeCluster.bind(admin);
      admin.describeCluster = () => {
        probes.push(Date.now());
        return describeCluster();
      };
      return admin;
    });
    const driver = new KafkaDriver(loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: `127.0.0.1:${proxy.port}`, KAFKA_PARTITIONS: '1' }), new Metrics());
    await driver.connect();
    const handled: string[] = [];
    await driver.subscribe({ topic, group: `g${id}`, handler: async (m) => { handled.push(m.body.toString()); } });
    await expectEventually(() => expect(driver.consumers()[0]?.state).toBe('running'), { timeoutMs: 30_000 });
    await driver.publish([{ topic, key: 'k', body: Buffer.from('1'), headers: { 'x-message-id': `${id}-1` } }]);
    await expectEventually(() => expect(handled).toEqual(['1']), { timeoutMs: 10_000 });

    proxy.blackhole();
    const started = Date.now();
    // A publish in flight: the producer's disconnect waits for it.
    const inFlight = driver.publish([{ topic, key: 'k', body: Buffer.from('2'), headers: { 'x-message-id': `${id}-2` } }])
      .then(() => 'sent', (error: Error) => error);
    await Promise.race([(async () => {
      await driver.stopAll(); // what Baton's shutdown calls first
      await driver.close();
    })(), hung()]);
    const closed = Date.now();
    expect(closed - started).toBeLessThan(CLOSE_BOUND_MS + 1_000);
    expect(driver.consumers()).toEqual([]);

    // Nothing left waiting on the black hole: the publish fails at once (kafkajs finds no brokers to
    // connect to, and does not retry that), the client's sockets are closed.
    await expect(Promise.race([inFlight, hung()])).resolves.toBeInstanceOf(Error);
    expect(Date.now() - closed).toBeLessThan(CUT_SHORT_FAILS_WITHIN_MS);
    await expectEventually(() => expect(proxy.connections).toBe(0), { timeoutMs: 2_000 });
    expect(Date.now() - closed).toBeLessThan(3_000);
    expect(lines.filter((l) => l.at > closed && (l.level === 'error' || l.level === 'warn'))).toEqual([]);
    expect(probes.filter((at) => at > closed)).toEqual([]);
  }, 60_000);
});
