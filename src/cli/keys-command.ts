import { parseArgs } from 'node:util';
import { DataSource } from 'typeorm';
import { ApiKeyRepository } from '../auth/api-keys/api-key.repository';
import { ApiKeyService } from '../auth/api-keys/api-key.service';
import { SecurityAuditRepository } from '../auth/audit/security-audit.repository';
import { ROLES } from '../auth/role';
import type { Role } from '../auth/role';
import { ISO_DATE_RULE, isoDateOf } from '../common/validation/query-values';
import { loadConfig } from '../config/load-config';
import { dataSourceOptions } from '../database/data-source-options';
import { EmbeddedDatabase } from '../database/embedded-database';

const USAGE = `Usage:
  npm run keys -- create --role service|operator|viewer|admin [--service NAME] [--name TEXT] [--expires ISO-DATE]
  npm run keys -- list
  npm run keys -- revoke ID-OR-PREFIX
Uses DATABASE_URL, or the embedded database in DATA_DIR (stop Baton first).`;

type Out = (line: string) => void;

async function run(service: ApiKeyService, argv: string[], out: Out): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv, allowPositionals: true,
    options: { role: { type: 'string' }, service: { type: 'string' }, name: { type: 'string' }, expires: { type: 'string' } },
  });
  const [command, target] = positionals;
  if (command === 'create') {
    const role = values.role as Role;
    if (!ROLES.includes(role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
    // Read as the API reads expiresAt: a date-time without an offset is UTC, not this host's time.
    const expiresAt = values.expires ? isoDateOf(values.expires) ?? null : null;
    if (values.expires && !expiresAt) throw new Error(`--expires must be an ISO 8601 date or date-time (${ISO_DATE_RULE})`);
    const name = values.name ?? (values.service ? `${values.service} (${role})` : `${role} key`);
    const { key, entity } = await service.issue({ name, role, service: values.service ?? null, expiresAt }, { by: 'cli' });
    out(`Created ${entity.role} key ${entity.prefix}${entity.service ? ` for ${entity.service}` : ''}. It is shown only now:`);
    out(key);
  } else if (command === 'list') {
    const [rows] = await service.list({ page: 1, pageSize: 200 });
    for (const k of rows) {
      const state = k.revokedAt ? 'revoked' : k.expiresAt && k.expiresAt < new Date() ? 'expired' : 'active';
      out([k.prefix, k.role, k.service ?? '-', state, k.name, `last used ${k.lastUsedAt?.toISOString() ?? 'never'}`,
        `expires ${k.expiresAt?.toISOString() ?? 'never'}`].join('\t'));
    }
  } else if (command === 'revoke' && target) {
    const { key, changed } = await service.revoke(target, { by: 'cli' });
    out(`${changed ? 'Revoked' : 'Already revoked:'} ${key.prefix} (${key.name}) at ${key.revokedAt?.toISOString()}`);
  } else {
    throw new Error(USAGE);
  }
}

/**
 * Manages API keys in the database directly, so the first keys can be made while Baton is stopped.
 * On the embedded default it takes the data directory's lock, so it refuses to run next to a
 * running Baton (two processes on one PGlite directory lose rows, see docs/stack-notes.md).
 */
export async function runKeysCommand(argv: string[], env: NodeJS.ProcessEnv, out: Out): Promise<void> {
  const config = loadConfig(env);
  const embedded = config.embedded ? await EmbeddedDatabase.open(config.DATA_DIR, config.EMBEDDED_SHARED_BUFFERS) : undefined;
  const dataSource = new DataSource({ ...dataSourceOptions(config, embedded?.pglite), migrationsRun: false });
  try {
    await dataSource.initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    const keys = new ApiKeyService(new ApiKeyRepository(dataSource), new SecurityAuditRepository(dataSource), config);
    await run(keys, argv, out);
  } finally {
    if (dataSource.isInitialized) await dataSource.destroy();
    await embedded?.close();
  }
}
