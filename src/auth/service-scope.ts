import type { Principal } from './principal';

/**
 * The service whose own templates and runs are all a principal may read: set for a `service`
 * principal without a reading role (viewer, operator, admin); undefined for everyone else.
 * Queries scoped to it answer "not found" for another service's template or run, never 403:
 * a 403 would confirm that the name or flowId exists, and template names say what other teams run.
 */
export function ownServiceOnly(principal: Principal | undefined): string | undefined {
  if (!principal || !principal.roles.includes('service')) return undefined;
  if (principal.roles.some((r) => r === 'viewer' || r === 'operator' || r === 'admin')) return undefined;
  return principal.service ?? '';
}

/**
 * The service whose own templates are all a principal may start: set for a `service` principal
 * that is not also an operator or admin. A reading role (viewer) widens what it may read, never
 * what it may start: a service key with viewer started every other service's templates.
 */
export function ownTemplatesOnly(principal: Principal | undefined): string | undefined {
  if (!principal || !principal.roles.includes('service')) return undefined;
  if (principal.roles.some((r) => r === 'operator' || r === 'admin')) return undefined;
  return principal.service ?? '';
}
