import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { AppError, Problem } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { jsonShapeProblems } from './json-shape';

/**
 * Deepest nesting a DTO-bound value may have. DTOs are shallow; their deepest part, a skipped
 * step's output, is bounded at 32 below its field (MAX_OUTPUT_DEPTH).
 */
export const DTO_MAX_DEPTH = 64;

/** Names every object inherits (`constructor`, `toString`, `__proto__`…): class-transformer drops such fields without a word. */
const INHERITED_NAMES = new Set(Object.getOwnPropertyNames(Object.prototype));

/** Each failed constraint as a problem at its property's path (`steps.0.name`), nested ones included. */
export function problemsOf(errors: ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({ path, message }));
    return [...own, ...problemsOf(e.children ?? [], path)];
  });
}

/**
 * The global ValidationPipe, reporting each problem at its path (Nest's default message list
 * puts an unknown field's at "property"), and refusing a value nested deeper than {@link DTO_MAX_DEPTH} before
 * it walks it. Nest's proto-key stripping and class-transformer recurse over the whole body
 * before `forbidNonWhitelisted` can refuse an unknown field, so a 10 KB body nested 5,000 deep
 * overflowed the stack: a 500 on every DTO route. The check walks with its own stack.
 * Routes that take `unknown` are not validated here and bound their bodies themselves.
 */
export class BoundedValidationPipe extends ValidationPipe {
  constructor(options: ValidationPipeOptions) {
    super({ ...options, exceptionFactory: (errors) => new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', problemsOf(errors)) });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (this.toValidate(metadata)) {
      const problems = [...jsonShapeProblems(value, metadata.type, { maxDepth: DTO_MAX_DEPTH }, 1), ...inheritedNameProblems(value)];
      if (problems.length) throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * A DTO's own fields named like inherited ones, which forbidNonWhitelisted never sees, so an unknown
 * `?constructor=` was ignored where `?other=` is refused. The DTO's top level only: below it may be
 * free-form JSON (a skipped step's output), where any key is data.
 */
function inheritedNameProblems(value: unknown): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return Object.keys(value).filter((key) => INHERITED_NAMES.has(key)).map((key) => ({ path: key, message: `property ${key} should not exist` }));
}
