import type { Logger } from '@nestjs/common';
import { KafkaConnections, kafkaLogCreator, type KafkaLogSink } from '@baton/worker/internal';
import { Kafka, logLevel, SASLOptions } from 'kafkajs';
import type { AppConfig } from '../../../config/app-config';

/** kafkajs's lines through Nest's logger, as one line each: `[namespace] message key=value…`. */
export function kafkaLogLines(logger: Logger): KafkaLogSink {
  return (level, message, details) => {
    const text = Object.entries(details)
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    logger[level](text ? `${message} ${text}` : message);
  };
}

/** `connections` opens the client's sockets, and can end them, quiet its lines and withhold its brokers once closed. */
export function createKafkaClient(config: AppConfig, logger: Logger, connections = new KafkaConnections()): Kafka {
  const lines = kafkaLogLines(logger);
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    // None once closed: a request cut by close() then fails at once instead of kafkajs retrying its
    // connection for seconds (KafkaConnections.brokersOf, as the SDK's transport).
    brokers: connections.brokersOf((config.KAFKA_BROKERS ?? '').split(',')),
    socketFactory: connections.socketFactory, // Nagle off (docs/stack-notes.md, "Brokers"): the SDK's, shared
    logLevel: logLevel.WARN,
    // The SDK's: filtered, each repeated line once per 30 s.
    logCreator: kafkaLogCreator((level, message, details) => {
      if (connections.isOpen) lines(level, message, details);
    }),
    connectionTimeout: 3000,
    requestTimeout: 30_000,
    // Bounded: while the broker is down, calls fail within seconds instead of retrying for minutes,
    // so publish() rejects and the outbox relay tries again on its next pass.
    retry: { initialRetryTime: 100, maxRetryTime: 2000, retries: 5 },
    // Baton's own broker identity, for clusters that enforce ACLs (README, Security).
    ...(config.KAFKA_SSL ? { ssl: true } : {}),
    ...(config.KAFKA_SASL_MECHANISM ? {
      sasl: {
        mechanism: config.KAFKA_SASL_MECHANISM, username: config.KAFKA_SASL_USERNAME ?? '', password: config.KAFKA_SASL_PASSWORD ?? '',
      } as SASLOptions,
    } : {}),
  });
}
