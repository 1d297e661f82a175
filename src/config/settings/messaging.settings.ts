import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf } from 'class-validator';
import { BOOLEAN_SETTING, toBool } from './setting-formats';
import { StorageSettings } from './storage.settings';

export const MESSAGING_DRIVERS = ['memory', 'kafka', 'rabbitmq'] as const;
export type MessagingDriver = (typeof MESSAGING_DRIVERS)[number];
export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;

/** The broker, its connection, and Baton's own topics. */
export class MessagingSettings extends StorageSettings {
  @IsIn(MESSAGING_DRIVERS)
  MESSAGING_DRIVER: MessagingDriver = 'memory';

  @ValidateIf((c: MessagingSettings) => c.MESSAGING_DRIVER === 'kafka')
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port (required with MESSAGING_DRIVER=kafka)' })
  KAFKA_BROKERS?: string;

  @IsString()
  KAFKA_CLIENT_ID: string = 'baton';

  @IsInt() @Min(1) @Max(1000)
  KAFKA_PARTITIONS: number = 3;

  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING)
  KAFKA_SSL: boolean = false;

  @IsOptional() @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number];

  @ValidateIf((c: MessagingSettings) => !!c.KAFKA_SASL_MECHANISM) @IsString({ message: 'KAFKA_SASL_USERNAME is required with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((c: MessagingSettings) => !!c.KAFKA_SASL_MECHANISM) @IsString({ message: 'KAFKA_SASL_PASSWORD is required with KAFKA_SASL_MECHANISM' })
  KAFKA_SASL_PASSWORD?: string;

  @ValidateIf((c: MessagingSettings) => c.MESSAGING_DRIVER === 'rabbitmq')
  @IsUrl({ protocols: ['amqp', 'amqps'], require_tld: false, require_valid_protocol: true },
    { message: 'RABBITMQ_URL must be an amqp:// or amqps:// URL (required with MESSAGING_DRIVER=rabbitmq)' })
  RABBITMQ_URL?: string;

  @IsString()
  RABBITMQ_EXCHANGE: string = 'baton';

  @IsInt() @Min(1) @Max(65535)
  RABBITMQ_PREFETCH: number = 256;

  /** Deliveries of one message before it is dead-lettered. */
  @IsInt() @Min(1) @Max(100)
  MESSAGING_MAX_DELIVERIES: number = 5;

  /**
   * Largest message (body, key and headers) Baton writes to its outbox. A bigger one could never
   * be published, so the transition that would write it fails instead. Unset: 1,000,000 on Kafka
   * (its default message.max.bytes is 1 MiB per batch), 16 MiB otherwise (RabbitMQ 4's default).
   */
  @IsOptional() @IsInt() @Min(1024) @Max(128 * 1024 * 1024)
  MESSAGE_MAX_BYTES?: number;

  /**
   * Most bytes of messages one change writes to the outbox together: a parallel stage's commands
   * each carry the run's payload, so one start of a wide template could otherwise build and write
   * hundreds of MB (and exhaust the database's memory). The change is refused (413) instead. Never
   * below MESSAGE_MAX_BYTES: one message the broker takes is always writable.
   */
  @IsInt() @Min(1024 * 1024) @Max(1024 * 1024 * 1024)
  OUTBOX_WRITE_MAX_BYTES: number = 32 * 1024 * 1024;

  // Baton's own topics: each a name of its own, none ending in .DLQ nor under COMMAND_TOPIC_PREFIX,
  // the Orca adapter's two included (checked together in ../topic-settings.ts).
  @IsString() TOPIC_REGISTRATION: string = 'orchestrator.registration';
  @IsString() TOPIC_EXECUTION_START: string = 'orchestrator.execution.start';
  @IsString() TOPIC_REPLY: string = 'orchestrator.reply';
  @IsString() TOPIC_RUN_STATUS: string = 'orchestrator.run.status';
  /** A worker that names no topic receives its commands on PREFIX + its service name. */
  @IsString() COMMAND_TOPIC_PREFIX: string = 'orchestrator.commands.';
  /** Kept even when set empty, so that an empty or blank one is refused (load-config.ts, EMPTY_REFUSED). */
  @Matches(/\S/, { message: 'CONSUMER_GROUP must not be empty or blank (unset, it is baton-engine)' })
  CONSUMER_GROUP: string = 'baton-engine';

  /**
   * This instance's stable name (default: host name and PORT). Outbox rows are written and leased in
   * its name, so a restarted instance takes over at once what its killed predecessor wrote and held.
   * Unique per instance.
   */
  @IsOptional() @Matches(/^[\w.:@-]{1,200}$/)
  INSTANCE_ID?: string;

  /**
   * Where a new consumer group starts on the execution-start, registration and Orca request topics. These hold
   * requests, not a log to replay: a new deployment must not start old runs or import old documents.
   */
  @IsIn(['latest', 'earliest'])
  REQUEST_TOPICS_START_AT: 'latest' | 'earliest' = 'latest';

  @IsInt() @Min(10)
  OUTBOX_POLL_MS: number = 1000;

  /**
   * How long an instance must have stopped beating before another instance's sweep publishes the
   * messages it wrote. Shorter recovers a dead instance's messages sooner; an instance stalled
   * longer than this (a long GC, a starved database pool) may see some published twice.
   */
  @IsInt() @Min(1000) @Max(600_000)
  OUTBOX_PEER_TIMEOUT_MS: number = 10_000;

  // At most 100 years: the prune multiplies it as an int.
  @IsInt() @Min(1) @Max(876_000)
  OUTBOX_RETENTION_HOURS: number = 24;
}
