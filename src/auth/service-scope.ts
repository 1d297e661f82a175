import { AppError } from '../common/errors/app-error';
import { ErrorCode } from '../common/errors/error-code';
import type { Principal } from './principal';

/**
 * The service whose own templates and runs are all a principal may read: set for a `service`
 * principal without a reading role (viewer, operator, admin); undefined for everyone else.
 */
export function ownServiceOnly(principal: Principal | undefined): string | undefined {
  if (!principal || !principal.roles.includes('service')) return undefined;
  if (principal.roles.some((r) => r === 'viewer' || r === 'operator' || r === 'admin')) return undefined;
  return principal.service ?? '';
}

/** Throws 403 unless the principal may read something owned by `owner`. */
export function assertMayRead(principal: Principal | undefined, owner: string | undefined, what: string): void {
  const own = ownServiceOnly(principal);
  if (own !== undefined && own !== owner) throw new AppError(ErrorCode.FORBIDDEN, `Forbidden: ${what} belongs to another service`);
}
