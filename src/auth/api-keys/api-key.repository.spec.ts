import type { DataSource } from 'typeorm';
import { IsNull } from 'typeorm';
import { ApiKeyRepository } from './api-key.repository';

/** Records the guarded update and the lookup revokeKey makes; finds nothing. */
function setup() {
  const updates: Array<Record<string, unknown>> = [];
  const lookups: Array<Record<string, unknown>> = [];
  const repo = {
    update: (where: Record<string, unknown>) => { updates.push(where); return Promise.resolve({ affected: 0 }); },
    findOneBy: (where: Record<string, unknown>) => { lookups.push(where); return Promise.resolve(null); },
  };
  const dataSource = { manager: { getRepository: () => repo } } as unknown as DataSource;
  return { keys: new ApiKeyRepository(dataSource), updates, lookups };
}

describe('ApiKeyRepository.revokeKey', () => {
  it('looks a UUID up by id, and revokes it only if it is not revoked yet', async () => {
    const { keys, updates, lookups } = setup();
    await keys.revokeKey('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(updates).toEqual([{ id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8', revokedAt: IsNull() }]);
    expect(lookups).toEqual([{ id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' }]);
  });

  it.each(['-'.repeat(36), 'abcdefabcdef-abcd-efab-cdef-abcdefab'])(
    'looks %s up by prefix, never as a uuid the database would refuse', async (text) => {
      const { keys, updates, lookups } = setup();
      expect(await keys.revokeKey(text)).toBeNull();
      expect([...updates, ...lookups]).toEqual([{ prefix: text, revokedAt: IsNull() }, { prefix: text }]);
    });
});
