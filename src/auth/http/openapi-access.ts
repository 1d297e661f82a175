import type { OpenAPIObject } from '@nestjs/swagger';

export const BEARER = 'bearer';
export const API_KEY = 'api-key';
export const ROLES_EXTENSION = 'x-baton-roles';

const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'options', 'head'] as const;

/** Writes each operation's roles into its description, where Swagger UI shows them. */
export function describeAccess(document: OpenAPIObject): OpenAPIObject {
  for (const path of Object.values(document.paths)) {
    for (const method of METHODS) {
      const operation = path[method] as (typeof path)[typeof method] & { [ROLES_EXTENSION]?: string[] };
      const roles = operation?.[ROLES_EXTENSION];
      if (!operation || !roles) continue;
      const line = roles[0] === 'public' ? 'Access: public (no credentials).' : `Roles: ${roles.join(', ')} (admin may call every route).`;
      operation.description = operation.description ? `${line}\n\n${operation.description}` : line;
      if (roles[0] === 'public') operation.security = [];
    }
  }
  return document;
}
