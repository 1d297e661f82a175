import type { ArgumentMetadata } from '@nestjs/common';

/**
 * The root a problem's path starts from, by where the value came from: `body.reason`, `query.page`,
 * `params.flowId`, as the guards name headers (`headers.content-type`). Nest calls path parameters `param`.
 */
const ROOTS: Partial<Record<ArgumentMetadata['type'], string>> = { body: 'body', query: 'query', param: 'params' };

export const rootOf = (metadata: ArgumentMetadata): string => ROOTS[metadata.type] ?? metadata.type;
