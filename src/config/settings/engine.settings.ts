import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { MessagingSettings } from './messaging.settings';
import { BOOLEAN_SETTING, toBool } from './setting-formats';

/** The longest retention in days: a century, far inside the dates PostgreSQL and JavaScript both hold. */
const MAX_RETENTION_DAYS = 36_500;

/** The registry, the executor, the healer, the audit, and the Orca drop-in. */
export class EngineSettings extends MessagingSettings {
  @IsString()
  DEFINITIONS_DIR: string = './definitions';

  /** Service name for definition files that carry no `service:` field. */
  @IsString()
  DEFINITIONS_SERVICE: string = 'baton-definitions';

  /** The in-process demo worker; defaults to on only for the embedded default. */
  @IsOptional() @Transform(toBool) @IsBoolean(BOOLEAN_SETTING)
  DEMO_WORKER?: boolean;

  @IsInt() @Min(1024) @Max(16 * 1024 * 1024)
  REGISTRATION_MAX_BYTES: number = 256 * 1024;

  /** Templates one service may own: each is rows, and a label value of the run metrics, that any service key could add without end. */
  @IsInt() @Min(1) @Max(1_000_000)
  MAX_TEMPLATES_PER_SERVICE: number = 1000;

  /** How long an HTTP worker holds a polled command before it goes to another poller (heartbeats renew it). */
  @IsInt() @Min(1000) @Max(3_600_000)
  WORKER_LEASE_MS: number = 60_000;

  /**
   * An instance that no HTTP worker of a service polled for this long (and that leases none of its
   * commands) stops consuming the service's commands, and returns those it held to the broker.
   */
  @IsInt() @Min(35_000) @Max(3_600_000)
  WORKER_POLL_IDLE_MS: number = 60_000;

  /** Long polls one service may hold open on an instance at once; past it a poll gets 429 with Retry-After. */
  @IsInt() @Min(1) @Max(100_000)
  WORKER_POLLS_PER_SERVICE: number = 256;

  /** `registered`: a template is READY once every step has a registered worker; `live`: only while each has a live one. */
  @IsIn(['registered', 'live'])
  READINESS: 'registered' | 'live' = 'registered';

  /** A worker instance counts as live this long after its last presence. */
  @IsInt() @Min(1) @Max(3600)
  WORKER_PRESENCE_TTL_SECONDS: number = 15;

  /** Live worker instances (SDK presence) one service may have; a new one past it gets 429 until one stops or expires. */
  @IsInt() @Min(1) @Max(1_000_000)
  WORKER_INSTANCES_PER_SERVICE: number = 1000;

  @IsInt() @Min(256)
  AUDIT_MAX_DOCUMENT_BYTES: number = 64 * 1024;

  /** How much of a rejected registration document the audit keeps (plus a hash of all of it). */
  @IsInt() @Min(0)
  AUDIT_REJECTED_DOCUMENT_BYTES: number = 4 * 1024;

  /**
   * Audit rows older than this are pruned by the healer. At most a century (MAX_RETENTION_DAYS):
   * a cutoff further back is a date PostgreSQL refuses, and the healer's retention failed every tick.
   */
  @IsInt() @Min(1) @Max(MAX_RETENTION_DAYS)
  AUDIT_RETENTION_DAYS: number = 90;

  /** Finished runs older than this are pruned by the healer, with their attempts, events and jobs; 0 keeps them for ever. */
  @IsInt() @Min(0) @Max(MAX_RETENTION_DAYS)
  RUN_RETENTION_DAYS: number = 0;

  @IsInt() @Min(10)
  HEALER_INTERVAL_MS: number = 60_000;

  /** Step timeout for steps that declare none. */
  @IsInt() @Min(1)
  STEP_TIMEOUT_SECONDS: number = 300;

  /** How long a run may wait for workers before it ends. */
  @IsInt() @Min(1)
  PARKED_RUN_EXPIRY_SECONDS: number = 86_400;

  /** The Orca execution service drop-in: RequestCreatedEvent in, RequestStatusUpdatedEvent out (src/orca). */
  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING)
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

  /**
   * Templates the Orca adapter may register (one per resource and connection): each event may name a
   * new resource before anything checks it exists, and each is rows and an orch_name label value.
   */
  @IsInt() @Min(1) @Max(1_000_000)
  ORCA_MAX_TEMPLATES: number = 1000;

  get demoWorkerEnabled(): boolean {
    return this.DEMO_WORKER ?? this.embedded;
  }
}
