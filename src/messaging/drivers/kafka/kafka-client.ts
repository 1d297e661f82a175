import type { Logger } from '@nestjs/common';
import { noDelaySocketFactory } from '@baton/worker';
import { Kafka, logLevel, LogEntry, SASLOptions } from 'kafkajs';
import type { AppConfig } from '../../../config/app-config';

/** kafkajs warns about this on every start; limiting retries is deliberate (see createKafkaClient). */
const EXPECTED_WARNINGS = ['Limiting retries for the idempotent producer'];
/*
 * kafkajs's connection logs any CreateTopics answer with a topic error at error level, as one
 * aggregate ("Topic creation errors") that hides which error it was. KafkaTopics creates only
 * topics the broker did not list, so what is left is "already exists" from a race with another
 * instance (harmless), or a real failure, which createTopics throws and our caller reports.
 */
const isCreateTopicsAnswer = (namespace: string, message: string) => namespace === 'Connection' && message.startsWith('Response CreateTopics');
/** While the broker is down kafkajs logs every retry of every client; one line per message per window is enough. */
const REPEAT_WINDOW_MS = 30_000;

/**
 * kafkajs logs through ours, at warn and above (its info level narrates every group join), and
 * without the flood of identical lines an outage causes: the driver itself reports what matters
 * (unreachable, consumer crashed, publish rejected).
 */
export function kafkaLogCreator(logger: Logger, now: () => number = Date.now) {
  const lastLogged = new Map<string, number>();
  return (_level: logLevel) => ({ namespace, level, log }: LogEntry) => {
    const { message, ...extra } = log;
    if (EXPECTED_WARNINGS.some((w) => message.startsWith(w))) return;
    if (isCreateTopicsAnswer(namespace, message)) return;
    const key = `${namespace}:${message.replace(/\d+(\.\d+)?/g, '#')}`; // "Restarting in 745ms" repeats too
    const last = lastLogged.get(key);
    if (last !== undefined && now() - last < REPEAT_WINDOW_MS) return;
    lastLogged.set(key, now());
    if (lastLogged.size > 1000) lastLogged.clear();
    const details = Object.entries(extra)
      .filter(([k]) => k !== 'timestamp' && k !== 'logger' && k !== 'stack')
      .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
      .join(' ');
    const line = `[${namespace}] ${message}${details ? ` ${details}` : ''}`;
    if (level === logLevel.ERROR) logger.error(line);
    else logger.warn(line);
  };
}

export function createKafkaClient(config: AppConfig, logger: Logger): Kafka {
  return new Kafka({
    clientId: config.KAFKA_CLIENT_ID,
    brokers: (config.KAFKA_BROKERS ?? '').split(','),
    socketFactory: noDelaySocketFactory, // Nagle off (see NOTES, Brokers): the SDK's, shared
    logLevel: logLevel.WARN,
    logCreator: kafkaLogCreator(logger),
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
