import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min, ValidateBy, ValidationArguments } from 'class-validator';
import { ObservabilitySettings } from './observability.settings';
import { BOOLEAN_SETTING, toBool } from './setting-formats';

/** The database: PostgreSQL by URL, or the embedded PGlite one. */
export class StorageSettings extends ObservabilitySettings {
  /** Unset: the embedded PGlite database in DATA_DIR. */
  @IsOptional() @IsUrl({ protocols: ['postgres', 'postgresql'], require_tld: false, require_valid_protocol: true },
    { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL with a host (unset: the embedded database in DATA_DIR)' })
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

  /**
   * Most transitions written in one round trip and one transaction (group commit, each still its
   * own statement) while another write is in flight, on a PostgreSQL server; 1 writes each alone.
   * The embedded database always writes each alone.
   */
  @IsInt() @Min(1) @Max(64)
  DATABASE_WRITE_BATCH_MAX: number = 32;

  /** Transition writes in flight at once before the next ones queue for a batch; each holds one of the pool's connections. */
  @IsInt() @Min(1) @Max(200)
  @ValidateBy({ name: 'atMostPoolSize', validator: {
    // A pool size that is itself invalid is refused on its own.
    validate: (value: unknown, { object }: ValidationArguments) => !Number.isInteger((object as StorageSettings).DATABASE_POOL_SIZE)
      || (value as number) <= (object as StorageSettings).DATABASE_POOL_SIZE,
    defaultMessage: ({ value, object }: ValidationArguments) =>
      `DATABASE_WRITES_IN_FLIGHT (${value}) must be at most DATABASE_POOL_SIZE (${(object as StorageSettings).DATABASE_POOL_SIZE}): each write in flight holds a connection of the pool`,
  } })
  DATABASE_WRITES_IN_FLIGHT: number = 1;

  /**
   * On a PostgreSQL server, the longest a statement may run (PostgreSQL's statement_timeout; 0:
   * no limit). A statement that runs longer, or waits on a lock past DATABASE_LOCK_TIMEOUT_MS, is
   * cancelled and counts as an outage: HTTP answers 503, a message waits and is tried again. Not
   * for migrations, which run as long as they need. The embedded database has one session.
   * The client enforces it too, a little later (database/bounded-client.ts): across a path that
   * silently drops packets, the server's cancel never arrives.
   */
  @IsInt() @Min(0) @Max(2_147_483_647)
  DATABASE_STATEMENT_TIMEOUT_MS: number = 30_000;

  /**
   * On a PostgreSQL server, the longest a statement waits for a lock another session holds
   * (PostgreSQL's lock_timeout; 0: as long as the statement may run). Baton's own waits on a
   * run's row last milliseconds (registrations, which queue on locks of their own, wait as long as
   * a statement may run). Transition writes go one batch at a time (DATABASE_WRITES_IN_FLIGHT), so
   * a write waiting on a run an operator's session holds locked holds up the others' meanwhile.
   */
  @IsInt() @Min(0) @Max(2_147_483_647)
  DATABASE_LOCK_TIMEOUT_MS: number = 2_000;

  @Transform(toBool) @IsBoolean(BOOLEAN_SETTING)
  MIGRATIONS_RUN: boolean = true;

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }
}
