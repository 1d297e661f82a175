import type { DataSource } from 'typeorm';
import { ApiKeyRepository } from './api-key.repository';

/** Records the lookups revokeKey makes; finds nothing. */
function setup() {
  const lookups: Array<Record<string, unknown>> = [];
  const repo = { findOneBy: (where: Record<string, unknown>) => { lookups.push(where); return Promise.resolve(null); } };
  const dataSource = { manager: { getRepository: () => repo } } as unknown as DataSource;
  return { keys: new ApiKeyRepository(dataSource), lookups };
}

describe('ApiKeyRepository.revokeKey', () => {
  it('looks a UUID up by id', async () => {
    const { keys, lookups } = setup();
    await keys.revokeKey('6ba7b810-9dad-11d1-80b4-00c04fd430c8');
    expect(lookups).toEqual([expect.objectContaining({ id: '6ba7b810-9dad-11d1-80b4-00c04fd430c8' })]);
  });

  it.each(['-'.repeat(36), 'abcdefabcdef-abcd-efab-cdef-abcdefab'])(
    'looks %s up by prefix, never as a uuid the database would refuse', async (text) => {
      const { keys, lookups } = setup();
      expect(await keys.revokeKey(text)).toBeNull();
      expect(lookups).toEqual([expect.objectContaining({ prefix: text })]);
      expect(lookups[0]).not.toHaveProperty('id');
    });
});
