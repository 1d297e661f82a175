import { Transform } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, IsUrl, Matches, Max, Min } from 'class-validator';
import { ObservabilitySettings } from './observability.settings';
import { toBool } from './setting-formats';

/** The database: PostgreSQL by URL, or the embedded PGlite one. */
export class StorageSettings extends ObservabilitySettings {
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

  get embedded(): boolean {
    return !this.DATABASE_URL;
  }
}
