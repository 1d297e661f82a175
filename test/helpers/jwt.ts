import { createPrivateKey, createSign, generateKeyPairSync, KeyObject, randomUUID } from 'node:crypto';

export const ISSUER = 'https://idp.example/realms/baton';
export const AUDIENCE = 'baton';

export interface SigningKey { kid: string; privateKey: KeyObject; publicPem: string; jwk: Record<string, unknown> }

export function rsaKey(): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = randomUUID();
  return {
    kid, privateKey, publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' },
  };
}

export const b64 = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Signs by hand with node:crypto, so tests do not share the verifier's library. */
export function signJwt(key: SigningKey, claims: Record<string, unknown>, header: Record<string, unknown> = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const body = `${b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header })}.${b64({
    iss: ISSUER, aud: AUDIENCE, sub: 'user-1', iat: now, exp: now + 300, ...claims,
  })}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(createPrivateKey(key.privateKey.export({ format: 'pem', type: 'pkcs8' })), 'base64url')}`;
}
