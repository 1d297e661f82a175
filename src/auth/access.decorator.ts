import { applyDecorators, SetMetadata } from '@nestjs/common';
import { ApiBearerAuth, ApiExtension, ApiSecurity } from '@nestjs/swagger';
import { API_KEY, BEARER, ROLES_EXTENSION } from './http/openapi-access';
import type { Role } from './role';

export const ACCESS_METADATA = 'baton:access';
export type Access = readonly Role[] | 'public';

/**
 * The roles that may call a route; `admin` may call every route. Every route declares one of these.
 * The OpenAPI document shows the roles and the credentials the route takes.
 */
export const Roles = (...roles: Role[]) => applyDecorators(
  SetMetadata(ACCESS_METADATA, roles as Access),
  ApiBearerAuth(BEARER),
  ApiSecurity(API_KEY),
  ApiExtension(ROLES_EXTENSION, roles),
);

/** A route that needs no credentials (health status, API docs, the console's static files). */
export const Public = () => applyDecorators(SetMetadata(ACCESS_METADATA, 'public' as Access), ApiExtension(ROLES_EXTENSION, ['public']));
