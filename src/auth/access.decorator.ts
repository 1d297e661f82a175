import { SetMetadata } from '@nestjs/common';
import type { Role } from './role';

export const ACCESS_METADATA = 'baton:access';
export type Access = readonly Role[] | 'public';

/** The roles that may call a route; `admin` may call every route. Every route declares one of these. */
export const Roles = (...roles: Role[]) => SetMetadata(ACCESS_METADATA, roles as Access);

/** A route that needs no credentials (health status, API docs, the console's static files). */
export const Public = () => SetMetadata(ACCESS_METADATA, 'public' as Access);
