import { createHash } from 'node:crypto';
import { signJwt, SigningKey } from './jwt';

/** A JWT for one message: `body_sha256` binds it to the exact body bytes, as MESSAGE_SIGNING=required asks. */
export function messageJwt(key: SigningKey, body: string | Buffer, claims: Record<string, unknown> = {}): string {
  return signJwt(key, { body_sha256: createHash('sha256').update(body).digest('hex'), ...claims });
}
