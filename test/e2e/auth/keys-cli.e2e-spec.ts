import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKeysCommand } from '../../../src/cli/keys-command';
import { bearer, newAdminKey } from '../../helpers/auth';
import { startTestApp, TestApp } from '../../helpers/test-app';

describe('npm run keys: API keys made in the embedded database while Baton is stopped', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'baton-keys-'));
  const env = { DATA_DIR: dataDir };
  let t: TestApp | undefined;
  let prefix = '';
  afterAll(async () => {
    await t?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  const keys = async (...argv: string[]) => {
    const lines: string[] = [];
    await runKeysCommand(argv, env, (line) => lines.push(line));
    return lines;
  };

  it('creates a key that a started Baton then accepts, and lists it without its secret', async () => {
    const created = await keys('create', '--role', 'service', '--service', 'tenant-service');
    const key = created[1];
    prefix = key.split('_')[1];
    expect(key).toMatch(/^bk_[A-Za-z0-9]+_/);
    const listed = (await keys('list')).join('\n');
    expect(listed).toContain(`${key.split('_')[1]}\tservice\ttenant-service\tactive`);
    expect(listed).not.toContain(key.split('_').slice(2).join('_'));
    expect(listed).toMatch(/\texpires never$/m);
    const dated = (await keys('create', '--role', 'viewer', '--expires', '2099-06-30T00:00:00Z'))[1].split('_')[1];
    expect((await keys('list')).join('\n')).toMatch(new RegExp(`^${dated}\tviewer\t.*\texpires 2099-06-30T00:00:00.000Z$`, 'm'));
    await expect(keys('create', '--role', 'viewer', '--expires', '2020-01-01')).rejects.toThrow('The key would have expired already');
    // As the API reads expiresAt: a date-time without an offset is UTC, and a day its month lacks is refused (Date made it March 3rd).
    const offsetless = (await keys('create', '--role', 'viewer', '--expires', '2099-07-01T12:30'))[1].split('_')[1];
    expect((await keys('list')).join('\n')).toMatch(new RegExp(`^${offsetless}\tviewer\t.*\texpires 2099-07-01T12:30:00.000Z$`, 'm'));
    await expect(keys('create', '--role', 'viewer', '--expires', '2099-02-31')).rejects.toThrow('--expires must be an ISO 8601 date');

    t = await startTestApp({ DATA_DIR: dataDir, AUTH_MODE: 'on', ADMIN_API_KEY: newAdminKey() });
    const me = await t.http.get('/api/auth/me').set(bearer(key)).expect(200);
    expect(me.body).toMatchObject({ kind: 'api-key', roles: ['service'], service: 'tenant-service' });

    // While Baton holds the embedded database, the CLI refuses rather than lose rows.
    await expect(keys('list')).rejects.toThrow(/in use by another Baton process/);
    // Five CLI runs and a start, the first on a new directory (initdb and every migration, as a
    // newcomer's first `npm run keys`): 27–49 s in CI beside another worker.
  }, 120_000);

  it('revokes a key once Baton is stopped', async () => {
    await t?.close();
    t = undefined;
    const [revoked] = await keys('revoke', prefix);
    expect(revoked).toMatch(new RegExp(`^Revoked ${prefix} \\(.+\\) at \\d{4}-\\d\\d-\\d\\dT`));
    expect((await keys('list')).join('\n')).toContain(`${prefix}\tservice\ttenant-service\trevoked`);
    // Again: the first revocation's time, said to be so (a retried script changes nothing).
    expect(await keys('revoke', prefix)).toEqual([revoked.replace(/^Revoked /, 'Already revoked: ')]);
  });

  it('refuses a service key without a service, or for a name no command topic can carry, and an unknown role', async () => {
    await expect(keys('create', '--role', 'service')).rejects.toThrow(/service/);
    for (const service of ['team/x', 'a b', '-lead']) {
      await expect(keys('create', '--role', 'service', `--service=${service}`)).rejects.toMatchObject({
        code: 'INVALID_REQUEST', problems: [{ path: 'service', message: expect.stringMatching(/^service must start with a letter or digit/) }],
      });
    }
    expect((await keys('list')).join('\n')).not.toMatch(/team\/x|a b|-lead/);
    await expect(keys('create', '--role', 'root')).rejects.toThrow(/--role must be one of/);
  });
});
