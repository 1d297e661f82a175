import type { Principal } from '../principal';
import { ROLES, Role } from '../role';

/** `realm_access.roles` → the value at that dotted path, or undefined. */
function claimAt(payload: Record<string, unknown>, path: string): unknown {
  let value: unknown = payload;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || !Object.hasOwn(value, part)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

const firstPresent = (payload: Record<string, unknown>, paths: string[]) =>
  paths.map((p) => claimAt(payload, p)).find((v) => v !== undefined);

export interface ClaimPaths {
  service: string[];
  roles: string[];
}

/**
 * The principal a verified token's claims describe: Baton's roles among the token's roles
 * (others, like Keycloak's `offline_access`, are ignored), and the service name.
 */
export function principalFromClaims(payload: Record<string, unknown>, paths: ClaimPaths): Principal {
  const rawRoles = firstPresent(payload, paths.roles);
  const listed = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = [...new Set(listed.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r)))];
  const service = firstPresent(payload, paths.service);
  const sub = typeof payload.sub === 'string' ? payload.sub : 'unknown';
  return {
    id: `jwt:${sub.slice(0, 190)}`,
    kind: 'jwt',
    roles,
    ...(typeof service === 'string' && service.length > 0 && service.length <= 200 ? { service } : {}),
  };
}

export const claimPathsOf = (list: string) => list.split(',').map((p) => p.trim()).filter(Boolean);
