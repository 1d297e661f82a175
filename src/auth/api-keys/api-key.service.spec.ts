import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { setTimeout as sleep } from 'node:timers/promises';
import type { SecurityAuditRepository } from '../audit/security-audit.repository';
import { loadConfig } from '../../config/load-config';
import type { ApiKeyRepository } from './api-key.repository';
import { ApiKeyService } from './api-key.service';
import { ADMIN, InMemoryApiKeys, setup } from './api-key.service.fixtures';

describe('ApiKeyService', () => {
  beforeAll(() => Logger.overrideLogger(false));

  it('spends a key check on a prefix that names no key, so a refusal does not tell whether a prefix is live', async () => {
    const { service } = setup();
    const { key } = await service.issue({ name: 'live', role: 'viewer' }, ADMIN);
    const [, prefix] = key.split('_');
    const median = async (candidate: string) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const started = performance.now();
        expect(await service.verify(candidate)).toBeUndefined();
        times.push(performance.now() - started);
      }
      return times.sort((a, b) => a - b)[2];
    };
    const wrongSecret = await median(`bk_${prefix}_${'x'.repeat(43)}`);
    const unknownPrefix = await median(`bk_nokey${prefix.slice(5)}_${'x'.repeat(43)}`);
    // Answered at once, an unknown prefix took under 1% of a check (0.1 against 40 ms); a tenth leaves the load a wide margin.
    expect(unknownPrefix).toBeGreaterThan(wrongSecret / 10);
  });

  it('remembers a verified key, so a second request does not look it up again', async () => {
    const { keys, service } = setup();
    const { key } = await service.issue({ name: 'ci', role: 'operator' }, ADMIN);

    expect(await service.verify(key)).toMatchObject({ principal: { kind: 'api-key', roles: ['operator'] } });
    expect(await service.verify(key)).toMatchObject({ principal: { roles: ['operator'] } });
    expect(keys.lookUps).toBe(1);
  });

  // The cache keeps a key 30 s; a key that expires sooner must stop working at its expiry.
  it('refuses a cached key once it has expired, before the cache would have forgotten it', async () => {
    const { keys, service } = setup();
    // Long enough for two scrypt hashes (issue, first verify) on a loaded machine: 400 ms was not.
    const expiresAt = new Date(Date.now() + 2000);
    const { key, entity } = await service.issue({ name: 'short-lived', role: 'service', service: 'realm-service', expiresAt }, ADMIN);

    expect(await service.verify(key)).toMatchObject({ principal: { roles: ['service'], service: 'realm-service' } });
    await sleep(expiresAt.getTime() - Date.now() + 50);

    expect(await service.verify(key)).toEqual({ retired: 'expired', prefix: entity.prefix });
    expect(keys.lookUps).toBe(2);
  });

  it('refuses a revoked key at once, though it was cached, as retired: its secret is genuine, so it is no guess', async () => {
    const { keys, service } = setup();
    const { key, entity } = await service.issue({ name: 'ci', role: 'viewer' }, ADMIN);
    await service.verify(key);

    await service.revoke(entity.prefix, ADMIN);

    expect(await service.verify(key)).toEqual({ retired: 'revoked', prefix: entity.prefix });
    expect(await service.verify(key)).toEqual({ retired: 'revoked', prefix: entity.prefix });
    expect(keys.lookUps).toBe(1); // remembered: a worker still sending it costs no scrypt per request
    // The prefix with another secret proves nothing: a guess, as an unknown key.
    expect(await service.verify(`${key.slice(0, -4)}AAAA`)).toBeUndefined();
  });

  it('answers a second revocation with the key as first revoked, auditing only the first', async () => {
    const { service, audit } = setup();
    const { entity } = await service.issue({ name: 'ci', role: 'viewer' }, ADMIN);
    const first = await service.revoke(entity.prefix, ADMIN);
    await new Promise((resolve) => setTimeout(resolve, 5));
    const again = await service.revoke(entity.id, ADMIN);
    expect([first.changed, again.changed]).toEqual([true, false]);
    expect(again.key.revokedAt?.getTime()).toBe(first.key.revokedAt?.getTime());
    expect(audit.record.mock.calls.filter(([entry]) => entry.event === 'KEY_REVOKED')).toHaveLength(1);
    // Who changed the key, and from where, as a denial's row records them.
    expect(audit.record.mock.calls.map(([entry]) => entry)).toEqual([
      expect.objectContaining({ event: 'KEY_CREATED', principal: ADMIN.by, ip: '10.0.0.7', reason: expect.stringContaining('created by root') }),
      expect.objectContaining({ event: 'KEY_REVOKED', principal: ADMIN.by, ip: '10.0.0.7', reason: expect.stringContaining('revoked by root') }),
    ]);
    await expect(service.revoke('nosuchkey', ADMIN)).rejects.toMatchObject({ code: 'API_KEY_NOT_FOUND' });
  });

  it('refuses a key revoked elsewhere once told (RevocationWatch), without a lookup; other keys stay verified', async () => {
    const { keys, service } = setup();
    const revoked = await service.issue({ name: 'leaked', role: 'viewer' }, ADMIN);
    const kept = await service.issue({ name: 'ci', role: 'viewer' }, ADMIN);
    await service.verify(revoked.key);
    await service.verify(kept.key);

    service.forgetRevoked([revoked.entity.id, 'a-key-never-verified-here']);

    expect(await service.verify(revoked.key)).toEqual({ retired: 'revoked', prefix: revoked.entity.prefix });
    expect(await service.verify(kept.key)).toMatchObject({ principal: { roles: ['viewer'] } });
    expect(keys.lookUps).toBe(2);
  });

  it('tells what waits on a key (a worker\'s long poll) once, when it is revoked here or elsewhere, and not once it stopped listening', async () => {
    const { service } = setup();
    const here = await service.issue({ name: 'here', role: 'service', service: 'shop' }, ADMIN);
    const elsewhere = await service.issue({ name: 'elsewhere', role: 'service', service: 'shop' }, ADMIN);
    const principalOf = async (key: string) => {
      const verdict = await service.verify(key);
      if (!verdict || !('principal' in verdict)) throw new Error('not verified');
      return verdict.principal;
    };
    const told: string[] = [];
    service.onRetired(await principalOf(here.key), (why) => told.push(`here ${why}`));
    const stop = service.onRetired(await principalOf(elsewhere.key), () => told.push('stopped listening'));
    service.onRetired(await principalOf(elsewhere.key), (why) => told.push(`elsewhere ${why}`));
    stop();
    // The bootstrap key names no row, so nothing can retire it: never told, and stopping is harmless.
    service.onRetired({ id: 'bootstrap', kind: 'api-key', roles: ['admin'] }, () => told.push('no key id'))();

    await service.revoke(here.entity.prefix, ADMIN);
    service.forgetRevoked([elsewhere.entity.id]);
    service.forgetRevoked([here.entity.id, elsewhere.entity.id]); // the watch sees them again every second
    expect(told).toEqual(['here revoked', 'elsewhere revoked']);
  });

  it('tells at once what starts waiting on a key verified before its revocation (a long poll authenticated, then revoked, then watching)', async () => {
    const { service } = setup();
    const key = await service.issue({ name: 'raced', role: 'service', service: 'shop' }, ADMIN);
    const verdict = await service.verify(key.key);
    if (!verdict || !('principal' in verdict)) throw new Error('not verified');
    await service.revoke(key.entity.prefix, ADMIN);
    const told: string[] = [];
    service.onRetired(verdict.principal, (why) => told.push(why));
    expect(told).toEqual(['revoked']);
  });

  it('does not take a key for valid when it was revoked while its secret was being checked', async () => {
    const { service, keys } = setup();
    const key = await service.issue({ name: 'checked', role: 'service', service: 'shop' }, ADMIN);
    // The row is read as it was, then the key is revoked while the secret's hash is derived.
    const read = keys.findByPrefix.bind(keys);
    let revoking: Promise<unknown> = Promise.resolve();
    jest.spyOn(keys, 'findByPrefix').mockImplementationOnce(async (prefix) => {
      const row = structuredClone(await read(prefix));
      revoking = service.revoke(key.entity.prefix, ADMIN);
      return row;
    });
    const checked = await service.verify(key.key);
    await revoking;
    expect(checked).toEqual({ retired: 'revoked', prefix: key.entity.prefix });
    expect(await service.verify(key.key)).toEqual({ retired: 'revoked', prefix: key.entity.prefix });
  });

  it('tells what waits on a key once when the key expires meanwhile, and not after it stopped listening', async () => {
    const { service } = setup();
    const soon = await service.issue({ name: 'soon', role: 'service', service: 'shop', expiresAt: new Date(Date.now() + 1_500) }, ADMIN);
    const verdict = await service.verify(soon.key);
    if (!verdict || !('principal' in verdict)) throw new Error('not verified');
    const told: string[] = [];
    // Only the listeners' timers are faked: the hashing above ran on libuv's pool, in real time.
    jest.useFakeTimers();
    try {
      service.onRetired(verdict.principal, (why) => told.push(why));
      service.onRetired(verdict.principal, (why) => told.push(`stopped ${why}`))();
      await jest.advanceTimersByTimeAsync(2_000);
      service.forgetRevoked([soon.entity.id]);
    } finally {
      jest.useRealTimers();
    }
    expect(told).toEqual(['expired']);
  });

  it('does not tell a key expiring past a timer\'s range (24.8 days) expired at once', async () => {
    const { service } = setup();
    const later = await service.issue({ name: 'later', role: 'service', service: 'shop', expiresAt: new Date(Date.now() + 200 * 86_400_000) }, ADMIN);
    const verdict = await service.verify(later.key);
    if (!verdict || !('principal' in verdict)) throw new Error('not verified');
    const told: string[] = [];
    const stop = service.onRetired(verdict.principal, (why) => told.push(why));
    await sleep(50); // Node fires a delay past 2³¹ − 1 ms after 1 ms
    stop();
    expect(told).toEqual([]);
  });

  // Without the watch's word (it looks every second), another instance accepts a revoked key until
  // its cache forgets it, 30 s at most: the bound when the database cannot be read meanwhile.
  describe('a revocation seen by another instance', () => {
    // lru-cache took this object's now() for its TTLs when it was loaded; fake timers replace the global.
    const loadedPerformance = performance;
    afterEach(() => {
      jest.useRealTimers();
      jest.restoreAllMocks();
    });

    it('is refused at once where revoked, and by a second instance only once its 30 s cache forgets the key', async () => {
      const keys = new InMemoryApiKeys();
      const audit = { record: () => Promise.resolve() } as unknown as SecurityAuditRepository;
      const config = loadConfig({});
      const { key, entity } = await new ApiKeyService(keys as unknown as ApiKeyRepository, audit, config)
        .issue({ name: 'ci', role: 'operator' }, ADMIN);
      // Only time is faked: scrypt runs on libuv's pool and resolves on its own.
      jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'queueMicrotask'] });
      // The fake performance.now() starts at 0, which lru-cache takes as "no start time": go on from the real one.
      const start = loadedPerformance.now();
      jest.spyOn(loadedPerformance, 'now').mockImplementation(() => start + performance.now());
      const revoking = new ApiKeyService(keys as unknown as ApiKeyRepository, audit, config);
      const other = new ApiKeyService(keys as unknown as ApiKeyRepository, audit, config);
      expect(await revoking.verify(key)).toMatchObject({ principal: { roles: ['operator'] } });
      expect(await other.verify(key)).toMatchObject({ principal: { roles: ['operator'] } });
      expect(keys.lookUps).toBe(2);

      await revoking.revoke(entity.prefix, ADMIN);
      expect(await revoking.verify(key)).toEqual({ retired: 'revoked', prefix: entity.prefix });

      jest.advanceTimersByTime(29_990);
      expect(await other.verify(key)).toMatchObject({ principal: { roles: ['operator'] } });
      expect(keys.lookUps).toBe(2);

      jest.advanceTimersByTime(20);
      expect(await other.verify(key)).toEqual({ retired: 'revoked', prefix: entity.prefix });
      expect(keys.lookUps).toBe(3);
    });
  });
});
