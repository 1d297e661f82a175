import 'reflect-metadata';
import { generateKeyPairSync } from 'node:crypto';
import { ConfigError, loadConfig } from '../load-config';

const { publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const pem = publicKey.export({ format: 'pem', type: 'spki' }).toString();
const jwt = (key: string) => ({ AUTH_JWT_PUBLIC_KEY: key, AUTH_JWT_ISSUER: 'https://idp.example', AUTH_JWT_AUDIENCE: 'baton' });

describe('SecuritySettings: AUTH_JWT_PUBLIC_KEY', () => {
  it('accepts a PEM public key and a public JWK', () => {
    expect(loadConfig(jwt(pem)).jwtConfigured).toBe(true);
    expect(loadConfig(jwt(JSON.stringify(publicKey.export({ format: 'jwk' })))).jwtConfigured).toBe(true);
  });

  it.each([
    ['a truncated PEM', pem.slice(0, 80)],
    ['a PEM with a corrupted body', pem.replace(/\n[A-Za-z0-9+/]{10}/, '\nAAAAAAAAAA')],
    ['a file name instead of the key', '/etc/baton/idp.pem'],
    ['a symmetric JWK', JSON.stringify({ kty: 'oct', k: 'c2VjcmV0' })],
    ['JSON that is no JWK', '{"keys": []'],
  ])('refuses %s at start-up, naming the variable', (_what, key) => {
    expect(() => loadConfig(jwt(key))).toThrow(ConfigError);
    expect(() => loadConfig(jwt(key))).toThrow(/AUTH_JWT_PUBLIC_KEY must be a PEM public key \(SPKI or certificate\) or a public JWK in JSON/);
  });
});

describe('SecuritySettings: WORKER_ACCESS', () => {
  const key = { ADMIN_API_KEY: `bk_admin_${'a'.repeat(43)}` };

  it('pins unnamed steps to their owner with authentication on, and leaves them open with it off, unless set', () => {
    expect(loadConfig({ AUTH_MODE: 'on', ...key }).workersPinned).toBe(true);
    expect(loadConfig({}).workersPinned).toBe(false);
    expect(loadConfig({ AUTH_MODE: 'on', WORKER_ACCESS: 'open', ...key }).workersPinned).toBe(false);
    expect(loadConfig({ WORKER_ACCESS: 'pinned' }).workersPinned).toBe(true);
    expect(() => loadConfig({ WORKER_ACCESS: 'closed' })).toThrow(/WORKER_ACCESS/);
  });
});
