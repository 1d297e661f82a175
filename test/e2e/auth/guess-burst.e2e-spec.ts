import { randomBytes } from 'node:crypto';
import * as keyHash from '../../../src/auth/api-keys/api-key-hash';
import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { startTestApp, TestApp } from '../../helpers/test-app';

const LIMIT = 5;

/**
 * A key check costs a key derivation (scrypt) when the key's prefix exists. A burst of guesses
 * against a known prefix, or of one client's requests with one key, must not queue a derivation
 * per request: one address had 200 under way at once, and a valid key's first request waited 21 s.
 */
describe('key checks under a burst', () => {
  let t: TestApp;
  const admin = newAdminKey();
  const prefix = /^bk_([^_]+)_/.exec(admin)![1];
  beforeAll(async () => { t = await startTestApp(authOn(admin, { AUTH_FAILURE_LIMIT: String(LIMIT) })); });
  afterAll(() => t.close());
  afterEach(() => jest.restoreAllMocks());

  it("shares one check among a client's concurrent requests with one key", async () => {
    const viewer = await issueKey(t, admin, 'viewer');
    const derivations = jest.spyOn(keyHash, 'verifySecret');
    const answers = await Promise.all(Array.from({ length: 30 }, () => t.http.get('/api/auth/me').set(bearer(viewer))));
    expect(answers.map((r) => r.status)).toEqual(Array(30).fill(200));
    expect(derivations).toHaveBeenCalledTimes(1);
  });

  it('lets an address have at most AUTH_FAILURE_LIMIT checks under way, refusing the rest with 429 before any derivation', async () => {
    const derivations = jest.spyOn(keyHash, 'verifySecret');
    const guesses = Array.from({ length: 40 }, () => `bk_${prefix}_${randomBytes(32).toString('base64url')}`);
    const answers = await Promise.all(guesses.map((guess) => t.http.get('/api/auth/me').set(bearer(guess))));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s === 401).length).toBeLessThanOrEqual(LIMIT);
    expect(statuses.filter((s) => s !== 401 && s !== 429)).toEqual([]);
    expect(derivations.mock.calls.length).toBeLessThanOrEqual(LIMIT);
    const refused = answers.find((r) => r.status === 429)!;
    expect([refused.body.code, refused.headers['retry-after']]).toEqual(['TOO_MANY_AUTH_CHECKS', expect.stringMatching(/^\d+$/)]);
  });
});
