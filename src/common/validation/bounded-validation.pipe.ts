import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { AppError, Problem } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { jsonShapeProblems } from './json-shape';

/**
 * Deepest nesting a DTO-bound value may have. DTOs are shallow; their deepest part, a skipped
 * step's output, is bounded at 32 below its field (MAX_OUTPUT_DEPTH).
 */
export const DTO_MAX_DEPTH = 64;

/** Names every object inherits (`constructor`, `toString`, `__proto__`…), and `prototype`, which Nest deletes too. */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

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
      const shape = jsonShapeProblems(value, metadata.type, { maxDepth: DTO_MAX_DEPTH }, 1);
      // Walked only once the nesting is known to be bounded.
      const problems = shape.length ? shape : inheritedNameProblems(value, metadata.metatype);
      if (problems.length) throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', problems);
    }
    return super.transform(value, metadata);
  }
}

/**
 * Keys named like members every object inherits (`constructor`, `toString`, `__proto__`…), at any
 * depth. Nest deletes some in place and class-transformer skips the others, so they were dropped
 * without a word: an unknown `?constructor=` was ignored where `?other=` is refused, and a skipped
 * step's output lost such keys. Refused instead, named by path: in a DTO (and the DTOs it nests with
 * `@Type`) as any unknown field, in free-form JSON below it as a key this route cannot keep.
 */
function inheritedNameProblems(value: unknown, dto: unknown, path = ''): Problem[] {
  if (Array.isArray(value)) return value.flatMap((item, i) => inheritedNameProblems(item, dto, `${path}.${i}`));
  // A body of bytes (Buffer) is not walked byte by byte: the DTO's own checks refuse it.
  if (value === null || typeof value !== 'object' || ArrayBuffer.isView(value)) return [];
  return Object.entries(value).flatMap(([key, field]) => {
    const at = path ? `${path}.${key}` : key;
    if (INHERITED_NAMES.has(key)) {
      return [{ path: at, message: dto ? `property ${key} should not exist` : `key ${key} names a member every object inherits, which this route cannot keep` }];
    }
    const nested = dto ? defaultMetadataStorage.findTypeMetadata(dto as new () => object, key)?.typeFunction() : undefined;
    return inheritedNameProblems(field, nested, at);
  });
}
