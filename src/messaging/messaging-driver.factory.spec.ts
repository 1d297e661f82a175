import 'reflect-metadata';
import { AppConfig } from '../config/app-config';
import { loadConfig } from '../config/load-config';
import { Metrics } from '../metrics/metrics';
import { MemoryDriver } from './drivers/memory/memory.driver';
import { createMessagingDriver } from './messaging-driver.factory';

describe('createMessagingDriver', () => {
  it('builds the configured driver', () => {
    expect(createMessagingDriver(loadConfig({}), new Metrics())).toBeInstanceOf(MemoryDriver);
    expect(createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' }), new Metrics()).driver)
      .toBe('kafka');
    expect(createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'rabbitmq', RABBITMQ_URL: 'amqp://127.0.0.1' }), new Metrics()).driver)
      .toBe('rabbitmq');
  });

  it('loads no broker client for the in-process broker', () => {
    jest.isolateModules(() => {
      jest.doMock('kafkajs', () => { throw new Error('kafkajs was loaded'); });
      jest.doMock('amqplib', () => { throw new Error('amqplib was loaded'); });
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const isolated = require('./messaging-driver.factory') as typeof import('./messaging-driver.factory');
      expect(isolated.createMessagingDriver(loadConfig({}), new Metrics()).driver).toBe('memory');
      expect(() => isolated.createMessagingDriver(loadConfig({ MESSAGING_DRIVER: 'kafka', KAFKA_BROKERS: '127.0.0.1:9092' }), new Metrics()))
        .toThrow('kafkajs was loaded');
    });
  });

  it('throws on an unknown driver', () => {
    const config = Object.assign(new AppConfig(), { MESSAGING_DRIVER: 'nats' });
    expect(() => createMessagingDriver(config, new Metrics())).toThrow('Unknown MESSAGING_DRIVER "nats"');
  });
});
