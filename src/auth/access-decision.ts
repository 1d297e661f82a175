import type { Access } from './access.decorator';
import type { Principal } from './principal';

export type AccessDecision = 'allow' | 'unauthenticated' | 'forbidden' | 'undeclared';

/**
 * Whether a principal (or nobody) may call a route that declares `access`. `admin` passes every
 * role; a route that declares nothing is refused, so a forgotten decorator fails closed.
 */
export function decideAccess(access: Access | undefined, principal: Principal | undefined): AccessDecision {
  if (access === undefined) return 'undeclared';
  if (access === 'public') return 'allow';
  if (!principal) return 'unauthenticated';
  if (principal.roles.includes('admin')) return 'allow';
  return access.some((role) => principal.roles.includes(role)) ? 'allow' : 'forbidden';
}
