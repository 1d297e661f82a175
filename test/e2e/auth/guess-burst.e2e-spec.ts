import { randomBytes } from 'node:crypto';
import * as keyHash from '../../../src/auth/api-keys/api-key-hash';
import { authOn, bearer, issueKey, newAdminKey } from '../../helpers/auth';
import { expectEventually } from '../../helpers/expect-eventually';
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

  /** Key derivations wait until `release` (each is still counted): checks stay under way for as long as a test needs. */
  const holdDerivations = () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    const derive = keyHash.verifySecret;
    const derivations = jest.spyOn(keyHash, 'verifySecret').mockImplementation(async (...args) => { await held; return derive(...args); });
    return { derivations, release };
  };
  const guess = () => t.http.get('/api/auth/me').set(bearer(`bk_${prefix}_${randomBytes(32).toString('base64url')}`));

  it('lets an address have at most AUTH_FAILURE_LIMIT checks under way, refusing the rest with 429 before any derivation', async () => {
    const { derivations, release } = holdDerivations();
    let answered = 0;
    const answers = Promise.all(Array.from({ length: 40 }, () => guess().then((r) => { answered++; return r; })));
    // While LIMIT derivations are held, every other guess is refused, none derived.
    await expectEventually(() => expect(answered).toBe(40 - LIMIT));
    expect(derivations).toHaveBeenCalledTimes(LIMIT);
    release();
    const statuses = (await answers).map((r) => r.status);
    expect([statuses.filter((s) => s === 401).length, statuses.filter((s) => s === 429).length]).toEqual([LIMIT, 40 - LIMIT]);
    const refused = (await answers).find((r) => r.status === 429)!;
    expect([refused.body.code, refused.headers['retry-after']]).toEqual(['TOO_MANY_AUTH_CHECKS', expect.stringMatching(/^\d+$/)]);
  });

  it("answers a key it verified lately while the address's checks are all under way", async () => {
    const viewer = await issueKey(t, admin, 'viewer');
    await t.http.get('/api/auth/me').set(bearer(viewer)).expect(200); // verified, and remembered
    const { derivations, release } = holdDerivations();
    const guesses = Array.from({ length: LIMIT }, () => guess().then((r) => r.status));
    await expectEventually(() => expect(derivations).toHaveBeenCalledTimes(LIMIT)); // every guess under way, held in its derivation
    const known = await t.http.get('/api/auth/me').set(bearer(viewer));
    release();
    expect(known.status).toBe(200);
    // Refused once their derivations end: 401, or 429 once their failures block the address.
    expect((await Promise.all(guesses)).filter((status) => status !== 401 && status !== 429)).toEqual([]);
  });
});

/** Workers behind one NAT: one of them sending a foreign key got the address blocked, and every valid key with it. */
describe('an address blocked for guessing', () => {
  let t: TestApp;
  const admin = newAdminKey();
  const prefix = /^bk_([^_]+)_/.exec(admin)![1];
  beforeAll(async () => { t = await startTestApp(authOn(admin, { AUTH_FAILURE_LIMIT: String(LIMIT) })); });
  afterAll(() => t.close());
  const guess = () => t.http.get('/api/auth/me').set(bearer(`bk_${prefix}_${randomBytes(32).toString('base64url')}`));

  it('still answers a key it verified lately, and only such a key', async () => {
    const [viewer, unverified] = [await issueKey(t, admin, 'viewer'), await issueKey(t, admin, 'viewer')];
    await t.http.get('/api/auth/me').set(bearer(viewer)).expect(200);
    for (let i = 0; i < 3 * LIMIT; i++) await guess();
    const blocked = await t.http.get('/api/auth/me').set(bearer(unverified));
    expect([blocked.status, blocked.body.code]).toEqual([429, 'TOO_MANY_AUTH_FAILURES']);
    await t.http.get('/api/auth/me').set(bearer(viewer)).expect(200);
  });
});
