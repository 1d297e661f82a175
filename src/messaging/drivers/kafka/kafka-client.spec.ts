import { KafkaConnections } from '@baton/worker/internal';
import { Logger } from '@nestjs/common';
import { Socket } from 'node:net';
import type { AppConfig } from '../../../config/app-config';
import { createKafkaClient, kafkaLogLines } from './kafka-client';

describe('kafkaLogLines', () => {
  it("writes kafkajs's line and its details as one line, at its level", () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const sink = kafkaLogLines(logger);
    sink('error', '[Connection] Connection error: ECONNREFUSED', { broker: 'b:9092', retry: { count: 2 } });
    sink('warn', '[Consumer] The group is rebalancing, re-joining', {});
    expect(logger.error).toHaveBeenCalledWith('[Connection] Connection error: ECONNREFUSED broker=b:9092 retry={"count":2}');
    expect(logger.warn).toHaveBeenCalledWith('[Consumer] The group is rebalancing, re-joining');
  });
});

describe('createKafkaClient', () => {
  it("sends kafkajs's own lines through Baton's logger, at warn and above", () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const config = { KAFKA_CLIENT_ID: 'baton', KAFKA_BROKERS: '127.0.0.1:9092' } as AppConfig;
    const kafkaLogger = createKafkaClient(config, logger).logger().namespace('Connection');
    kafkaLogger.info('Joined the group');
    kafkaLogger.error('Connection error: ECONNREFUSED', { broker: '127.0.0.1:9092' });
    expect(logger.error).toHaveBeenCalledWith('[Connection] Connection error: ECONNREFUSED broker=127.0.0.1:9092');
    expect(logger.warn).not.toHaveBeenCalled();
  });

  it('logs nothing of kafkajs once its connections were closed on purpose, and again once opened', () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const config = { KAFKA_CLIENT_ID: 'baton', KAFKA_BROKERS: '127.0.0.1:9092' } as AppConfig;
    const connections = new KafkaConnections();
    const kafkaLogger = createKafkaClient(config, logger, connections).logger().namespace('Connection');
    connections.close();
    kafkaLogger.error('Connection error: Kafka client closed', { broker: '127.0.0.1:9092' });
    expect(logger.error).not.toHaveBeenCalled();
    connections.open();
    kafkaLogger.error('Connection error: ECONNREFUSED', { broker: '127.0.0.1:9092' });
    expect(logger.error).toHaveBeenCalledWith('[Connection] Connection error: ECONNREFUSED broker=127.0.0.1:9092');
  });

  it('gives kafkajs the brokers while open and none once closed, so a connection cut by the close is not retried', async () => {
    const logger = { warn: jest.fn(), error: jest.fn() } as unknown as Logger;
    const config = { KAFKA_CLIENT_ID: 'baton', KAFKA_BROKERS: '127.0.0.1:9092' } as AppConfig;
    const connections = new KafkaConnections();
    // The first connection is cut by a close, as Baton's close cuts the requests still out.
    const sockets = jest.spyOn(connections, 'socketFactory').mockImplementation(() => {
      connections.close();
      return new Socket().destroy(new Error('Kafka client closed'));
    });
    const admin = createKafkaClient(config, logger, connections).admin();
    await expect(admin.connect()).rejects.toThrow(/brokers/);
    // One connection, to the configured broker; kafkajs's retries (~3 s at Baton's backoff) found none to try.
    expect(sockets.mock.calls.map(([options]) => `${options.host}:${options.port}`)).toEqual(['127.0.0.1:9092']);
  });
});
