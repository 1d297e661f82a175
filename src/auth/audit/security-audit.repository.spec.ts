import type { DataSource, EntityManager } from 'typeorm';
import { generateApiKey } from '../api-keys/api-key-format';
import { SecurityAuditRepository } from './security-audit.repository';

describe('SecurityAuditRepository', () => {
  /**
   * A client that mixed up its headers sent its key as X-Service-Name: the refusal's reason quoted
   * it whole into a row every admin reads.
   */
  it('cuts a whole API key in the target or reason to its prefix', async () => {
    const { key, prefix } = generateApiKey();
    const rows: Record<string, unknown>[] = [];
    const manager = { getRepository: () => ({ insert: async (row: Record<string, unknown>) => void rows.push(row) }) } as unknown as EntityManager;
    await new SecurityAuditRepository({} as DataSource).record({
      event: 'DENIED', claimedId: 'k', code: 'SERVICE_NAME_MISMATCH',
      target: `POST /api/orchestration/register as ${key}`, reason: `the key proves service shop, not ${key}`,
    }, manager);
    expect(JSON.stringify(rows)).not.toContain(key.slice(`bk_${prefix}_`.length));
    expect(rows[0]).toMatchObject({ target: `POST /api/orchestration/register as bk_${prefix}_…`, reason: `the key proves service shop, not bk_${prefix}_…` });
  });

  /** A claimed id is the caller's text (a signing service's name, a JWT's subject): every admin reads it, and filters by it. */
  it('cuts a whole API key or JWT in the principal id', async () => {
    const { key, prefix } = generateApiKey();
    const jwt = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';
    const rows: Record<string, unknown>[] = [];
    const manager = { getRepository: () => ({ insert: async (row: Record<string, unknown>) => void rows.push(row) }) } as unknown as EntityManager;
    const repository = new SecurityAuditRepository({} as DataSource);
    await repository.record({ event: 'MESSAGE_REJECTED', claimedId: `hmac:${key}`, code: 'MESSAGE_SIGNATURE_INVALID', target: 't', reason: 'r' }, manager);
    await repository.record({ event: 'DENIED', principal: { id: `jwt:${jwt}`, kind: 'jwt', roles: [] }, code: 'FORBIDDEN', target: 't', reason: 'r' }, manager);
    expect(rows.map((r) => r.principalId)).toEqual([`hmac:bk_${prefix}_…`, 'jwt:eyJ…']);
  });
});
