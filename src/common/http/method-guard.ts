import type { OpenAPIObject } from '@nestjs/swagger';
import { LRUCache } from 'lru-cache';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { AppError } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';

const OPERATION_METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const MEMO_PATHS = 1024;

interface Route {
  pattern: RegExp;
  methods: string[];
}

/** The API's paths and methods, read from its OpenAPI document so that the two cannot disagree. */
function routesOf(document: OpenAPIObject): Route[] {
  return Object.entries(document.paths).map(([path, item]) => {
    const source = path.split('/').map((part) => (/^\{.+\}$/.test(part) ? '[^/]+' : part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/');
    const methods = OPERATION_METHODS.filter((m) => m in item).map((m) => m.toUpperCase());
    return { pattern: new RegExp(`^${source}/?$`), methods };
  });
}

/**
 * HTTP's answers for methods on a known path: OPTIONS lists what the path allows (204 with
 * Allow); a method it does not allow gets 405 with Allow, not 404. HEAD is allowed wherever GET
 * is (Fastify answers it with the GET handler, without the body). Unknown paths pass through.
 * `readOnly` matches the paths served outside the API document (the console, the document
 * itself): GET only.
 */
export function methodGuard(document: OpenAPIObject, readOnly: RegExp[] = []) {
  const routes = [...routesOf(document), ...readOnly.map((pattern) => ({ pattern, methods: ['GET'] }))];
  // Requests repeat a few paths (the execute route above all): match each one against every
  // route only once. Bounded, since paths carry ids. An unknown path is remembered as no methods.
  const memo = new LRUCache<string, Set<string>>({ max: MEMO_PATHS });
  const allowedOn = (path: string): Set<string> | null => {
    let methods = memo.get(path);
    if (!methods) {
      methods = new Set(routes.filter((r) => r.pattern.test(path)).flatMap((r) => r.methods));
      if (methods.size > 0) {
        if (methods.has('GET')) methods.add('HEAD');
        methods.add('OPTIONS');
      }
      memo.set(path, methods);
    }
    return methods.size > 0 ? methods : null;
  };
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    const path = (req.url ?? '/').split('?')[0];
    const methods = allowedOn(path);
    if (!methods) return next();
    const method = (req.method ?? 'GET').toUpperCase();
    if (methods.has(method) && method !== 'OPTIONS') return next();
    res.setHeader('Allow', [...methods].join(', '));
    if (method === 'OPTIONS') {
      res.statusCode = 204;
      res.end();
      return;
    }
    next(new AppError(ErrorCode.METHOD_NOT_ALLOWED, `${method} is not allowed on ${path}; allowed: ${[...methods].join(', ')}`));
  };
}
