import type { OpenAPIObject } from '@nestjs/swagger';

type Operation = { requestBody?: unknown; responses?: Record<string, unknown> };

export const errorResponse = (description: string, extra: Record<string, unknown> = {}) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorBodyDto' } } },
  ...extra,
});

/*
 * Answers any operation can give whatever its own decorators list: the request guard refuses bad
 * parameters and headers everywhere (400), the global filter maps an outage to 503, and every body
 * is capped (413) and taken uncompressed in UTF-8 (415). Added once here so that no operation's
 * document can forget them.
 */
const EVERY_OPERATION = {
  400: () => errorResponse('INVALID_REQUEST: a parameter, header or body is invalid; every problem is listed with its path'),
  503: () => errorResponse('SERVICE_UNAVAILABLE: the database or broker is unavailable; retry after Retry-After seconds', {
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
  }),
};
const WITH_BODY = {
  413: () => errorResponse('PAYLOAD_TOO_LARGE: the body is over BODY_LIMIT_BYTES'),
  415: () => errorResponse('UNSUPPORTED_MEDIA_TYPE: the body is compressed (Content-Encoding), in a charset other than UTF-8, '
    + 'or not JSON where the operation takes only JSON'),
};
/** Methods whose requests Fastify reads a body for, whether or not the operation documents one. */
const BODY_METHODS = new Set(['post', 'put', 'patch', 'delete']);

/** Adds the error answers every operation can give, where its decorators did not already. */
export function documentCommonErrors(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const [method, operation] of Object.entries(item) as Array<[string, Operation]>) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = (operation.responses ??= {});
      const add = (answers: Record<number, () => unknown>) => {
        for (const [status, make] of Object.entries(answers)) responses[status] ??= make();
      };
      add(EVERY_OPERATION);
      if (operation.requestBody || BODY_METHODS.has(method)) add(WITH_BODY);
    }
  }
  return document;
}
