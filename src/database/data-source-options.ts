import type { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import type { PoolConfig } from 'pg';
import type { DataSourceOptions } from 'typeorm';
import { MIGRATIONS } from '../../migrations';
import type { AppConfig } from '../config/app-config';
import { BoundedClient, type BoundedClientConfig, replyTimeoutMs } from './bounded-client';
import { DatabaseLogger } from './database-logger';
import { ENTITIES } from './entities';

/** Idle time before a pooled connection's first keepalive probe. */
const KEEPALIVE_IDLE_MS = 10_000;

/** TypeORM options for PostgreSQL (DATABASE_URL) or for an embedded PGlite instance. */
export function dataSourceOptions(config: AppConfig, pglite?: PGlite): DataSourceOptions {
  const common = {
    type: 'postgres' as const,
    // gen_random_uuid() is built into PostgreSQL 13+ and PGlite; uuid-ossp is in neither by default.
    uuidExtension: 'pgcrypto' as const,
    installExtensions: false,
    entities: ENTITIES,
    migrations: MIGRATIONS,
    migrationsRun: config.MIGRATIONS_RUN,
    migrationsTransactionMode: 'each' as const,
    synchronize: false,
    // Through Baton's logger, never with a statement's parameters: TypeORM's own wrote them to stdout as plain text.
    logger: new DatabaseLogger(),
  };
  if (pglite) {
    const pg = createPgConfig(pglite);
    // One connection: PGlite is single-session. The timeout turns an accidental second
    // connection (code that forgot its transaction's manager) into an error, not a hang.
    return { ...common, extra: { ...pg, connection: pg.connection, max: 1, connectionTimeoutMillis: 10_000 } };
  }
  return {
    ...common,
    url: config.DATABASE_URL,
    extra: {
      max: config.DATABASE_POOL_SIZE, connectionTimeoutMillis: 10_000,
      // Startup parameters of every connection (0 is not sent: PostgreSQL's own default, none).
      statement_timeout: config.DATABASE_STATEMENT_TIMEOUT_MS, lock_timeout: config.DATABASE_LOCK_TIMEOUT_MS,
      // Both limits are the server's: across a path that silently drops packets nothing would ever
      // fail a statement, so the client gives up on one a little after the server would have.
      Client: BoundedClient, replyTimeoutMillis: replyTimeoutMs(config.DATABASE_STATEMENT_TIMEOUT_MS),
      // Probes keep NAT and firewall entries of idle pooled connections alive, and let the kernel end
      // one whose peer is gone (after its probe interval and count: minutes, even with no statement limit).
      keepAlive: true, keepAliveInitialDelayMillis: KEEPALIVE_IDLE_MS,
    } satisfies BoundedClientConfig & PoolConfig,
  };
}
