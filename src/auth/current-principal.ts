import { createParamDecorator, ExecutionContext } from '@nestjs/common';
import type { Principal } from './principal';
import { ROLES } from './role';

/** With AUTH_MODE=off (loopback only) every caller is this: every role, so the console shows every button. */
export const ANONYMOUS: Principal = Object.freeze({ id: 'anonymous', kind: 'anonymous', roles: [...ROLES] }) as Principal;

export type WithPrincipal = { principal?: Principal };

/** The principal the guard put on the request; undefined only on a public route called without credentials. */
export function principalOf(req: unknown): Principal | undefined {
  return (req as WithPrincipal).principal;
}

/** `@CurrentPrincipal() principal: Principal` in a controller method. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, ctx: ExecutionContext) => principalOf(ctx.switchToHttp().getRequest()),
);
