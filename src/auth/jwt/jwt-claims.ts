import { fitText } from '../../common/validation/fit-text';
import { isServiceName, SERVICE_NAME_RULE } from '../../registry/document/service-name';
import type { Principal } from '../principal';
import { provenServiceProblem, type ServiceRules } from '../service-topic';
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

export type ClaimsVerdict = { principal: Principal } | { refusal: string };

/**
 * The principal a verified token's claims describe: Baton's roles among the token's roles
 * (others, like Keycloak's `offline_access`, are ignored), and, for a `service` token, the service
 * name. A `service` token whose service claim is no service name is refused: it would act under a
 * name no topic can carry; so is one naming a service whose command topic no worker may have, or
 * in Baton's own consumer groups (provenServiceProblem: `svc-a.DLQ` would poll svc-a's dead
 * letters, `baton-engine.orchestrator.reply` Baton's replies). Other tokens never act as a service,
 * so they prove none: Keycloak puts `azp` (the client that asked) in every token, and an
 * operator's signed in at the console made it service "baton-console", whose Orca events were
 * then checked against that client's connections.
 */
export function principalFromClaims(payload: Record<string, unknown>, paths: ClaimPaths, rules: ServiceRules): ClaimsVerdict {
  const rawRoles = firstPresent(payload, paths.roles);
  const listed = Array.isArray(rawRoles) ? rawRoles : typeof rawRoles === 'string' ? rawRoles.split(/[\s,]+/) : [];
  const roles = [...new Set(listed.filter((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r)))];
  const service = roles.includes('service') ? firstPresent(payload, paths.service) : undefined;
  const valid = typeof service === 'string' && isServiceName(service);
  if (service !== undefined && !valid) {
    return { refusal: `the token's service claim (${paths.service.join(' or ')}) ${SERVICE_NAME_RULE}` };
  }
  const serviceProblem = valid ? provenServiceProblem(service, rules, 'service') : undefined;
  if (serviceProblem) return { refusal: `the token's service claim (${paths.service.join(' or ')}) names ${service}: ${serviceProblem.message}` };
  return { principal: { id: principalIdOf(payload), kind: 'jwt', roles, ...(valid ? { service } : {}) } };
}

/**
 * `jwt:<sub>`, for a verified payload only. The id is written as the actor of what the token does
 * (run events, keys it makes, audit rows): made to fit, as a NUL or a lone surrogate in a
 * provider's subject would fail those writes.
 */
export function principalIdOf(payload: Record<string, unknown>): string {
  return `jwt:${fitText(typeof payload.sub === 'string' ? payload.sub : 'unknown', 190)}`;
}

export const claimPathsOf = (list: string) => list.split(',').map((p) => p.trim()).filter(Boolean);
