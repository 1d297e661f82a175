import type { SecurityAuditRepository } from '../audit/security-audit.repository';
import { loadConfig } from '../../config/load-config';
import type { ApiKeyEntity } from './api-key.entity';
import type { ApiKeyRepository, NewApiKey } from './api-key.repository';
import { ApiKeyService, type KeyChange } from './api-key.service';

/** The api_key table in memory: a revoked key keeps its row. */
export class InMemoryApiKeys {
  readonly rows: ApiKeyEntity[] = [];
  lookUps = 0;

  findByPrefix(prefix: string): Promise<ApiKeyEntity | null> {
    this.lookUps++;
    return Promise.resolve(this.rows.find((r) => r.prefix === prefix) ?? null);
  }

  insertKey(key: NewApiKey): Promise<ApiKeyEntity> {
    const row: ApiKeyEntity = { ...key, id: `00000000-0000-4000-8000-${String(this.rows.length).padStart(12, '0')}`,
      lastUsedAt: null, revokedAt: null, createdAt: new Date() };
    this.rows.push(row);
    return Promise.resolve(row);
  }

  revokeKey(idOrPrefix: string): Promise<{ key: ApiKeyEntity; revokedNow: boolean } | null> {
    const row = this.rows.find((r) => r.id === idOrPrefix || r.prefix === idOrPrefix);
    if (!row) return Promise.resolve(null);
    const revokedNow = !row.revokedAt;
    row.revokedAt ??= new Date();
    return Promise.resolve({ key: row, revokedNow });
  }

  inTransaction<T>(work: (m: undefined) => Promise<T>): Promise<T> {
    return work(undefined);
  }

  markUsed(): Promise<void> {
    return Promise.resolve();
  }
}

export const ADMIN: KeyChange = { by: { id: 'root', kind: 'api-key', roles: ['admin'] }, ip: '10.0.0.7', correlationId: 'c-1' };

export function setup() {
  const keys = new InMemoryApiKeys();
  const audit = { record: jest.fn((_entry: { event: string }) => Promise.resolve()) };
  const service = new ApiKeyService(keys as unknown as ApiKeyRepository, audit as unknown as SecurityAuditRepository, loadConfig({}));
  return { keys, service, audit };
}
