import type { Logger } from '@nestjs/common';
import { kafkaLogCreator, noDelaySocketFactory, type KafkaLogSink } from '@baton/worker/internal';
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

export function createKafkaClient(config: AppConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: (config.KAFKA_BROKERS ?? '').split(','),
    socketFactory: noDelaySocketFactory, // Nagle off (docs/stack-notes.md, "Brokers"): the SDK's, shared
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(kafkaLogLines(logger)), // the SDK's: filtered, each repeated line once per 30 s
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
