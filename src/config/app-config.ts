import { Transform } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf,
} from 'class-validator';

export const MESSAGING_DRIVERS = ['memory', 'kafka', 'rabbitmq'] as const;
export type MessagingDriver = (typeof MESSAGING_DRIVERS)[number];

const toBool = ({ value }: { value: unknown }) =>
  value === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(String(value).toLowerCase())
    ? true : ['false', '0', 'no', 'off'].includes(String(value).toLowerCase()) ? false : value;

/**
 * Every setting Baton reads, validated once at boot. The property names are the environment
 * variable names so that a validation error names exactly what the operator has to fix.
 */
export class AppConfig {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  @IsString()
  HOST: string = '0.0.0.0';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Maximum HTTP request body, in bytes. */
  @IsInt() @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** Unset: the embedded PGlite database in DATA_DIR. */
  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_valid_protocol: true })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR: string = './data';

  @IsInt() @Min(1) @Max(200)
  DATABASE_POOL_SIZE: number = 16;

  @Transform(toBool) @IsBoolean()
  MIGRATIONS_RUN: boolean = true;

  @IsIn(MESSAGING_DRIVERS)
  MESSAGING_DRIVER: MessagingDriver = 'memory';

  @ValidateIf((c: AppConfig) => c.MESSAGING_DRIVER === 'kafka')
  @Matches(/^[^\s,]+:\d+(,[^\s,]+:\d+)*$/, { message: 'KAFKA_BROKERS must be a comma-separated list of host:port' })
  KAFKA_BROKERS?: string;

  @IsString()
  KAFKA_CLIENT_ID: string = 'baton';

  @IsInt() @Min(1) @Max(1000)
  KAFKA_PARTITIONS: number = 3;

  @ValidateIf((c: AppConfig) => c.MESSAGING_DRIVER === 'rabbitmq')
  @IsUrl({ protocols: ['amqp', 'amqps'], require_tld: false, require_valid_protocol: true })
  RABBITMQ_URL?: string;

  @IsString()
  RABBITMQ_EXCHANGE: string = 'baton';

  @IsInt() @Min(1) @Max(65535)
  RABBITMQ_PREFETCH: number = 256;

  /** Deliveries of one message before it is dead-lettered. */
  @IsInt() @Min(1) @Max(100)
  MESSAGING_MAX_DELIVERIES: number = 5;

  @IsString() TOPIC_REGISTRATION: string = 'orchestrator.registration';
  @IsString() TOPIC_EXECUTION_START: string = 'orchestrator.execution.start';
  @IsString() TOPIC_REPLY: string = 'orchestrator.reply';
  @IsString() TOPIC_RUN_STATUS: string = 'orchestrator.run.status';
  /** A worker that names no topic receives its commands on PREFIX + its service name. */
  @IsString() COMMAND_TOPIC_PREFIX: string = 'orchestrator.commands.';
  @IsString() CONSUMER_GROUP: string = 'baton-engine';

  /** How long an HTTP worker holds a polled command before it goes to another poller (heartbeats renew it). */
  @IsInt() @Min(1000) @Max(3_600_000)
  WORKER_LEASE_MS: number = 60_000;

  /** `registered`: a template is READY once every step has a registered worker; `live`: only while each has a live one. */
  @IsIn(['registered', 'live'])
  READINESS: 'registered' | 'live' = 'registered';

  /** A worker instance counts as live this long after its last presence. */
  @IsInt() @Min(1) @Max(3600)
  WORKER_PRESENCE_TTL_SECONDS: number = 15;

  @IsString()
  DEFINITIONS_DIR: string = './definitions';

  /** Service name for definition files that carry no `service:` field. */
  @IsString()
  DEFINITIONS_SERVICE: string = 'baton-definitions';

  /** The in-process demo worker; defaults to on only for the embedded default. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  DEMO_WORKER?: boolean;

  @IsInt() @Min(1024) @Max(16 * 1024 * 1024)
  REGISTRATION_MAX_BYTES: number = 256 * 1024;

  @IsInt() @Min(256)
  AUDIT_MAX_DOCUMENT_BYTES: number = 64 * 1024;

  @IsInt() @Min(10)
  OUTBOX_POLL_MS: number = 1000;

  @IsInt() @Min(1)
  OUTBOX_RETENTION_HOURS: number = 24;

  @IsInt() @Min(10)
  HEALER_INTERVAL_MS: number = 60_000;

  /** Step timeout for steps that declare none. */
  @IsInt() @Min(1)
  STEP_TIMEOUT_SECONDS: number = 300;

  /** How long a run may wait for workers before it ends. */
  @IsInt() @Min(1)
  PARKED_RUN_EXPIRY_SECONDS: number = 86_400;

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  get demoWorkerEnabled(): boolean {
    return this.DEMO_WORKER ?? this.embedded;
  }
}
