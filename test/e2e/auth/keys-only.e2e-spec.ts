import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { startTestApp } from '../../helpers/test-app';

/**
 * The README's key CLI says "before the first start… create --role admin", yet AUTH_MODE=on refused
 * to start without ADMIN_API_KEY or an identity provider, whatever keys the database held. Keys in
 * the database are a way in; only none at all is refused, saying how to make one.
 */
describe('AUTH_MODE=on with the keys in the database only', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-keys-only-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses to start with no key at all, then starts on a key made earlier', async () => {
    await expect(startTestApp({ AUTH_MODE: 'on', DATA_DIR: dataDir })).rejects.toThrow(
      'AUTH_MODE=on needs a way to authenticate: set ADMIN_API_KEY (bootstrap admin key) or AUTH_JWKS_URL / AUTH_JWT_PUBLIC_KEY, '
      + 'or make a key first with `npm run keys -- create --role admin` (with Baton stopped)');

    const admin = newAdminKey();
    const seeding = await startTestApp({ AUTH_MODE: 'on', DATA_DIR: dataDir, ADMIN_API_KEY: admin });
    const ops = await issueKey(seeding, admin, 'admin');
    await seeding.close();

    const warned = jest.spyOn(Logger.prototype, 'warn');
    const t = await startTestApp({ AUTH_MODE: 'on', DATA_DIR: dataDir });
    try {
      await t.http.get('/api/auth/me').set(bearer(ops)).expect(200);
      await t.http.get('/api/auth/me').set(bearer(admin)).expect(401);
      expect(warned.mock.calls.filter(([line]) => String(line).startsWith('No admin credential'))).toEqual([]);
      // With the admin key gone, only a viewer's left: Baton starts, and says that no key can be issued or revoked over HTTP.
      const viewer = await issueKey(t, ops, 'viewer');
      await t.http.delete(`/api/admin/api-keys/${ops.split('_')[1]}`).set(bearer(ops)).expect(200);
      await t.close();
      const viewerOnly = await startTestApp({ AUTH_MODE: 'on', DATA_DIR: dataDir });
      try {
        await viewerOnly.http.get('/api/auth/me').set(bearer(viewer)).expect(200);
      } finally {
        await viewerOnly.close();
      }
      expect(warned.mock.calls.filter(([line]) => String(line).startsWith('No admin credential'))).toHaveLength(1);
    } finally {
      warned.mockRestore();
      await t.close().catch(() => undefined);
    }
  }, 120_000);
});
