import 'reflect-metadata';
import { Logger, type LoggerService } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { KafkaTransport } from '../../../packages/worker/src/transports/kafka-transport';
import { loadConfig } from '../../../src/config/load-config';
import { createMessagingDriver } from '../../../src/messaging/messaging-driver.factory';
import { Metrics } from '../../../src/metrics/metrics';

const brokers = process.env.KAFKA_BROKERS;
if (!brokers) throw new Error('KAFKA_BROKERS is not set: eval "$(bash scripts/services.sh env)" first');

/*
 * Issue 13: every start on topics that already exist logged a kafkajs error ("Response
 * CreateTopics ... error=Topic creation errors"). The engine's driver and the SDK's Kafka
 * transport each start twice on the same topics here; the second start finds them all existing.
 */
describe('Kafka starts on topics that already exist', () => {
  const errors: string[] = [];
  const record = (...args: unknown[]) => { errors.push(args.map(String).join(' ')); };
  const logger: LoggerService = { log: () => undefined, warn: () => undefined, error: record, debug: () => undefined, verbose: () => undefined };
  let consoleError: jest.SpyInstance;

  beforeAll(() => {
    Logger.overrideLogger(logger);
    // The SDK's kafkajs client logs through kafkajs's default console logger.
    consoleError = jest.spyOn(console, 'error').mockImplementation(record);
  });
  afterAll(() => {
    consoleError.mockRestore();
    Logger.overrideLogger(['error', 'warn']);
  });

  /**
   * A fresh client started and closed twice; only the second start counts: it finds every topic
   * the first created (a first start on new topics may log while their leaders are elected).
   */
  async function startTwice<T>(create: () => T, start: (client: T) => Promise<void>, close: (client: T) => Promise<void>): Promise<void> {
    for (let n = 1; n <= 2; n++) {
      errors.length = 0;
      const client = create();
      try {
        await start(client);
      } finally {
        await close(client);
      }
    }
  }

  it('the engine: a second connect logs nothing at error level', async () => {
    const ns = `existing${randomBytes(4).toString('hex')}.`;
    const config = loadConfig({
      MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: brokers, CONSUMER_GROUP: `${ns}engine`, TOPIC_REGISTRATION: `${ns}registration`,
      TOPIC_EXECUTION_START: `${ns}start`, TOPIC_REPLY: `${ns}reply`, TOPIC_RUN_STATUS: `${ns}status`, COMMAND_TOPIC_PREFIX: `${ns}commands.`,
    });
    await startTwice(() => createMessagingDriver(config, new Metrics()), (driver) => driver.connect(), (driver) => driver.close());
    expect(errors).toEqual([]);
  }, 120_000);

  it('the worker SDK: a second prepare logs nothing at error level', async () => {
    const ns = `existing${randomBytes(4).toString('hex')}.`;
    const quiet = { info: () => undefined, warn: () => undefined, error: record };
    await startTwice(
      () => new KafkaTransport('echo', { brokers: brokers.split(','), commandTopicPrefix: `${ns}commands.`, replyTopic: `${ns}reply` }, quiet),
      (transport) => transport.prepare(), (transport) => transport.close());
    expect(errors).toEqual([]);
  }, 120_000);
});
