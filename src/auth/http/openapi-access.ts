import type { OpenAPIObject } from '@nestjs/swagger';
import { errorResponse } from '../../common/openapi/document-errors';

export const BEARER = 'bearer';
export const API_KEY = 'api-key';
export const ROLES_EXTENSION = 'x-baton-roles';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** What the guard may answer before the operation runs: any credential sent is checked, even on a public route. */
const GUARD_ANSWERS = {
  401: 'UNAUTHENTICATED: no credential, or an unknown, expired, revoked or invalid one (with WWW-Authenticate)',
  403: 'FORBIDDEN (a role the operation does not allow), ORIGIN_NOT_ALLOWED, or SERVICE_NAME_MISMATCH',
  429: 'TOO_MANY_AUTH_FAILURES: too many failed authentications from this address, or TOO_MANY_AUTH_CHECKS: too many credential checks under way from it; try again after Retry-After seconds',
};

/** Writes each operation's roles into its description, where Swagger UI shows them, and the guard's answers. */
export function describeAccess(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method] as (typeof path)[typeof method] & { [ROLES_EXTENSION]?: string[] };
      const roles = operation?.[ROLES_EXTENSION];
      if (!operation || !roles) continue;
      const line = roles[0] === 'public' ? 'Access: public (no credentials).' : `Roles: ${roles.join(', ')} (admin may call every route).`;
      operation.description = operation.description ? `${line}\n\n${operation.description}` : line;
      if (roles[0] === 'public') operation.security = [];
      const responses = (operation.responses ??= {}) as Record<string, unknown>;
      for (const [status, description] of Object.entries(GUARD_ANSWERS)) responses[status] ??= errorResponse(description);
    }
  }
  return document;
}
