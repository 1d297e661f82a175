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
 * is capped (413). Added once here so that no operation's document can forget them.
 */
const EVERY_OPERATION = {
  400: () => errorResponse('INVALID_REQUEST: a parameter, header or body is invalid; every problem is listed with its path'),
  503: () => errorResponse('SERVICE_UNAVAILABLE: the database or broker is unavailable; retry after Retry-After seconds', {
    headers: { 'Retry-After': { description: 'Seconds to wait before retrying', schema: { type: 'integer' } } },
  }),
};
const WITH_BODY = {
  413: () => errorResponse('PAYLOAD_TOO_LARGE: the body is over BODY_LIMIT_BYTES'),
};

/** Adds the error answers every operation can give, where its decorators did not already. */
export function documentCommonErrors(document: OpenAPIObject): OpenAPIObject {
  for (const item of Object.values(document.paths)) {
    for (const operation of Object.values(item) as Operation[]) {
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const responses = (operation.responses ??= {});
      const add = (answers: Record<number, () => unknown>) => {
        for (const [status, make] of Object.entries(answers)) responses[status] ??= make();
      };
      add(EVERY_OPERATION);
      if (operation.requestBody) add(WITH_BODY);
    }
  }
  return document;
}
