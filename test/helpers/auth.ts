import { randomBytes } from 'node:crypto';
import type { Role } from '../../src/auth/role';
import type { TestApp } from './test-app';

/** A fresh bootstrap admin key per suite: also a canary that must never show up in logs or responses. */
export const newAdminKey = () => `bk_boot${randomBytes(2).toString('hex')}_${randomBytes(32).toString('base64url')}`;

/** Settings for a test app with authentication on (still on loopback). */
export const authOn = (adminKey: string, extra: Record<string, string> = {}) => ({
  AUTH_MODE: 'on', ADMIN_API_KEY: adminKey, AUTH_FAILURE_LIMIT: '1000', ...extra,
});

/** Issues a key over the admin API, as an operator would. */
export async function issueKey(t: TestApp, adminKey: string, role: Role, service?: string): Promise<string> {
  const res = await t.http.post('/api/admin/api-keys').set('Authorization', `Bearer ${adminKey}`)
    .send({ name: `${role} key`, role, ...(service ? { service } : {}) });
  if (res.status !== 201) throw new Error(`issuing a ${role} key failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body.key as string;
}

export const bearer = (key: string) => ({ Authorization: `Bearer ${key}` });
