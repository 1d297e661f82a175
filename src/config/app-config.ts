import { Transform } from 'class-transformer';
import {
  IsBoolean, IsIn, IsInt, IsNumber, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateIf,
} from 'class-validator';
import { API_KEY_PATTERN } from '../auth/api-keys/api-key-format';
import { SIGNING_SECRETS_PATTERN } from '../auth/message-signing/signing-secrets';
import { LOG_FORMATS, type LogFormat } from '../common/logging/log-format';
import { isLoopbackHost } from './loopback';

export const KAFKA_SASL_MECHANISMS = ['plain', 'scram-sha-256', 'scram-sha-512'] as const;
export const AUTH_MODES = ['on', 'off'] as const;
export const MESSAGE_SIGNING_MODES = ['off', 'required'] as const;
export type MessageSigningMode = (typeof MESSAGE_SIGNING_MODES)[number];
export type AuthMode = (typeof AUTH_MODES)[number];

/** The sampler names of the OpenTelemetry SDK environment specification. */
export const OTEL_SAMPLERS = [
  'always_on', 'always_off', 'traceidratio', 'parentbased_always_on', 'parentbased_always_off', 'parentbased_traceidratio',
] as const;
export type OtelSampler = (typeof OTEL_SAMPLERS)[number];

export const MESSAGING_DRIVERS = ['memory', 'kafka', 'rabbitmq'] as const;
export type MessagingDriver = (typeof MESSAGING_DRIVERS)[number];

/*
 * Reads the raw setting (`obj[key]`): with implicit conversion on, `value` has already been
 * through Boolean(), which makes the string "false" true.
 */
const toBool = ({ obj, key }: { obj: Record<string, unknown>; key: string }) => {
  const value = obj[key];
  return value === undefined ? undefined : ['true', '1', 'yes', 'on'].includes(String(value).toLowerCase())
    ? true : ['false', '0', 'no', 'off'].includes(String(value).toLowerCase()) ? false : value;
};

/**
 * Every setting Baton reads, validated once at boot. The property names are the environment
 * variable names so that a validation error names exactly what the operator has to fix.
 */
export class AppConfig {
  @IsInt() @Min(0) @Max(65535)
  PORT: number = 3000;

  /** Loopback by default: AUTH_MODE=off is allowed only there. */
  @IsString()
  HOST: string = '127.0.0.1';

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';

  /** Unset: pretty lines when stdout is a terminal, JSON otherwise. */
  @IsOptional() @IsIn(LOG_FORMATS)
  LOG_FORMAT?: LogFormat;

  /** Maximum HTTP request body, in bytes. */
  @IsInt() @Min(1024)
  BODY_LIMIT_BYTES: number = 1024 * 1024;

  /** Unset: the embedded PGlite database in DATA_DIR. */
  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_valid_protocol: true })
  DATABASE_URL?: string;

  @IsString()
  DATA_DIR: string = './data';

  /** PostgreSQL's shared_buffers for the embedded database: PGlite keeps all of it resident. */
  @Matches(/^[1-9]\d{0,6}(kB|MB|GB)$/, { message: 'EMBEDDED_SHARED_BUFFERS must be a size such as 8MB (kB, MB or GB)' })
  EMBEDDED_SHARED_BUFFERS: string = '8MB';

  /** A CHECKPOINT of the embedded database this often (0: never), so a restart after kill -9 replays little WAL. */
  @IsInt() @Min(0) @Max(3_600_000)
  EMBEDDED_CHECKPOINT_INTERVAL_MS: number = 5000;

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

  @Transform(toBool) @IsBoolean()
  KAFKA_SSL: boolean = false;

  @IsOptional() @IsIn(KAFKA_SASL_MECHANISMS)
  KAFKA_SASL_MECHANISM?: (typeof KAFKA_SASL_MECHANISMS)[number];

  @ValidateIf((c: AppConfig) => !!c.KAFKA_SASL_MECHANISM) @IsString()
  KAFKA_SASL_USERNAME?: string;

  @ValidateIf((c: AppConfig) => !!c.KAFKA_SASL_MECHANISM) @IsString()
  KAFKA_SASL_PASSWORD?: string;

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

  @IsString() TOPIC_REGISTRATION: string = 'orchestrator.registration';
  @IsString() TOPIC_EXECUTION_START: string = 'orchestrator.execution.start';
  @IsString() TOPIC_REPLY: string = 'orchestrator.reply';
  @IsString() TOPIC_RUN_STATUS: string = 'orchestrator.run.status';
  /** A worker that names no topic receives its commands on PREFIX + its service name. */
  @IsString() COMMAND_TOPIC_PREFIX: string = 'orchestrator.commands.';
  @IsString() CONSUMER_GROUP: string = 'baton-engine';
  /**
   * This instance's stable name (default: host name and PORT). Outbox leases are taken in its name,
   * so a restarted instance releases the leases its killed predecessor held. Unique per instance.
   */
  @IsOptional() @Matches(/^[\w.:@-]{1,200}$/)
  INSTANCE_ID?: string;
  /**
   * Where a new consumer group starts on the execution-start and registration topics. These hold
   * requests, not a log to replay: a new deployment must not start old runs or import old documents.
   */
  @IsIn(['latest', 'earliest'])
  REQUEST_TOPICS_START_AT: 'latest' | 'earliest' = 'latest';

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

  /** The built operator console, served at /ui (`npm run build` writes it). */
  @IsString()
  CONSOLE_DIR: string = './ui/dist';

  /** The in-process demo worker; defaults to on only for the embedded default. */
  @IsOptional() @Transform(toBool) @IsBoolean()
  DEMO_WORKER?: boolean;

  @IsInt() @Min(1024) @Max(16 * 1024 * 1024)
  REGISTRATION_MAX_BYTES: number = 256 * 1024;

  @IsInt() @Min(256)
  AUDIT_MAX_DOCUMENT_BYTES: number = 64 * 1024;

  /** How much of a rejected registration document the audit keeps (plus a hash of all of it). */
  @IsInt() @Min(0)
  AUDIT_REJECTED_DOCUMENT_BYTES: number = 4 * 1024;

  /** Audit rows older than this are pruned by the healer. */
  @IsInt() @Min(1)
  AUDIT_RETENTION_DAYS: number = 90;

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

  /** The Orca execution service drop-in: RequestCreatedEvent in, RequestStatusUpdatedEvent out (src/orca). */
  @Transform(toBool) @IsBoolean()
  ORCA_COMPAT: boolean = false;

  @Matches(/^[\w.:-]{1,200}$/) ORCA_REQUEST_TOPIC: string = 'RequestCreated';
  @Matches(/^[\w.:-]{1,200}$/) ORCA_STATUS_TOPIC: string = 'RequestStatusUpdated';

  /**
   * Which AWX/OO connection serves an Orca request: `awx=prod,awx:42=lab,oo=default,oo:<flowUuid>=oo2`
   * (a resource's own entry wins over its target's; unlisted: `default`).
   */
  @Matches(/^$|^(awx|oo)(:[\w-]{1,100})?=\w{1,50}(,(awx|oo)(:[\w-]{1,100})?=\w{1,50})*$/i, {
    message: 'ORCA_CONNECTIONS must be a list of awx|oo[:<resourceId>]=<connection>, e.g. awx=prod,oo:<flowUuid>=lab',
  })
  ORCA_CONNECTIONS: string = '';

  /** Unset: `off` on a loopback HOST, `on` anywhere else. */
  @IsOptional() @IsIn(AUTH_MODES)
  AUTH_MODE?: AuthMode;

  /** Bootstrap admin key (`bk_<prefix>_<secret>`), hashed at boot and never logged. */
  @IsOptional() @Matches(API_KEY_PATTERN, { message: 'ADMIN_API_KEY must look like bk_<4-16 letters or digits>_<32+ characters of [A-Za-z0-9_-]>' })
  ADMIN_API_KEY?: string;

  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true })
  AUTH_JWKS_URL?: string;

  /** After a token names an unknown key id, the JWKS is fetched again at most this often. */
  @IsInt() @Min(0)
  AUTH_JWKS_COOLDOWN_MS: number = 30_000;

  /** A PEM (SPKI) public key or a JWK in JSON, when the identity provider publishes no JWKS. */
  @IsOptional() @IsString()
  AUTH_JWT_PUBLIC_KEY?: string;

  @ValidateIf((c: AppConfig) => !!(c.AUTH_JWKS_URL || c.AUTH_JWT_PUBLIC_KEY))
  @IsString({ message: 'AUTH_JWT_ISSUER is required with AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY' })
  AUTH_JWT_ISSUER?: string;

  @ValidateIf((c: AppConfig) => !!(c.AUTH_JWKS_URL || c.AUTH_JWT_PUBLIC_KEY))
  @IsString({ message: 'AUTH_JWT_AUDIENCE is required with AUTH_JWKS_URL or AUTH_JWT_PUBLIC_KEY' })
  AUTH_JWT_AUDIENCE?: string;

  /**
   * The console's OIDC sign-in: a public client (authorization code with PKCE) at AUTH_JWT_ISSUER
   * whose access tokens Baton accepts. Unset: the console signs in with API keys only.
   */
  @IsOptional() @Matches(/^[\x21-\x7e]{1,200}$/, { message: 'CONSOLE_OIDC_CLIENT_ID must be 1-200 printable ASCII characters' })
  CONSOLE_OIDC_CLIENT_ID?: string;

  @Matches(/^(?=.{1,500}$)[\x21-\x7e]+( [\x21-\x7e]+)*$/, { message: 'CONSOLE_OIDC_SCOPES must be space-separated scopes (500 characters at most)' })
  CONSOLE_OIDC_SCOPES: string = 'openid';

  /** Sent as the RFC 8707 `resource` of the sign-in, for providers that pick the audience from it. */
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true })
  CONSOLE_OIDC_RESOURCE?: string;

  /** Claims (dotted paths, first present wins) that carry the service name and the roles. */
  @IsString() AUTH_JWT_SERVICE_CLAIMS: string = 'service,azp';
  @IsString() AUTH_JWT_ROLES_CLAIMS: string = 'roles,realm_access.roles';
  @IsString() AUTH_JWT_ALGORITHMS: string = 'RS256,PS256,ES256,EdDSA';

  /** Browser origins allowed to call the API (comma-separated); none by default. */
  @IsOptional() @IsString()
  CORS_ORIGINS?: string;

  @Transform(toBool) @IsBoolean()
  METRICS_PUBLIC: boolean = false;

  /** Failed authentications from one address within the window before it gets 429. */
  @IsInt() @Min(1)
  AUTH_FAILURE_LIMIT: number = 20;

  @IsInt() @Min(1)
  AUTH_FAILURE_WINDOW_SECONDS: number = 60;

  /** `required`: messages on the registration and execution-start topics must be signed (HMAC or JWT header). */
  @IsIn(MESSAGE_SIGNING_MODES)
  MESSAGE_SIGNING: MessageSigningMode = 'off';

  /** Per-service HMAC secrets, `svc:secret,...`: kept only here, since verifying an HMAC needs the secret itself. */
  @IsOptional() @Matches(SIGNING_SECRETS_PATTERN, { message: 'SIGNING_SECRETS must be a list of <service>:<secret of 32+ characters, no spaces, commas or colons>' })
  SIGNING_SECRETS?: string;

  /** A regular expression for worker topics outside COMMAND_TOPIC_PREFIX. */
  @IsOptional() @IsString()
  ALLOWED_WORKER_TOPIC_PATTERN?: string;

  /**
   * Where spans go (OTLP over HTTP, JSON; `/v1/traces` is appended). Unset: tracing is off and the
   * OpenTelemetry SDK is not even loaded.
   */
  @IsOptional() @IsUrl({ protocols: ['http', 'https'], require_tld: false, require_valid_protocol: true })
  OTEL_EXPORTER_OTLP_ENDPOINT?: string;

  @Matches(/^[\w.:@/-]{1,200}$/)
  OTEL_SERVICE_NAME: string = 'baton';

  @IsIn(OTEL_SAMPLERS)
  OTEL_TRACES_SAMPLER: OtelSampler = 'parentbased_always_on';

  /** The ratio of the `traceidratio` samplers, 0 to 1 (default 1). */
  @IsOptional() @IsNumber() @Min(0) @Max(1)
  OTEL_TRACES_SAMPLER_ARG?: number;

  get tracingEnabled(): boolean {
    return !!this.OTEL_EXPORTER_OTLP_ENDPOINT;
  }

  get authEnabled(): boolean {
    return (this.AUTH_MODE ?? (isLoopbackHost(this.HOST) ? 'off' : 'on')) === 'on';
  }

  get jwtConfigured(): boolean {
    return !!(this.AUTH_JWKS_URL || this.AUTH_JWT_PUBLIC_KEY);
  }

  get consoleOidcEnabled(): boolean {
    return !!this.CONSOLE_OIDC_CLIENT_ID;
  }

  get corsOrigins(): string[] {
    return (this.CORS_ORIGINS ?? '').split(',').map((o) => o.trim()).filter(Boolean);
  }

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }

  get demoWorkerEnabled(): boolean {
    return this.DEMO_WORKER ?? this.embedded;
  }
}
