import { ArgumentMetadata, ValidationError, ValidationPipe, ValidationPipeOptions } from '@nestjs/common';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import { AppError, Problem, problemsUnder, rootedAt } from '../errors/app-error';
import { ErrorCode } from '../errors/error-code';
import { jsonShapeProblems } from './json-shape';
import { rootOf } from './request-root';

/**
 * Deepest nesting a DTO-bound value may have. DTOs are shallow; their deepest part, a skipped
 * step's output, is bounded at 32 below its field (MAX_OUTPUT_DEPTH).
 */
export const DTO_MAX_DEPTH = 64;

/** Names every object inherits (`constructor`, `toString`, `__proto__`…), and `prototype`, which Nest deletes too. */
const INHERITED_NAMES = new Set([...Object.getOwnPropertyNames(Object.prototype), 'prototype']);

/**
 * Checks of a value's type. When one fails, the property's other checks (a range, a pattern) say
 * nothing true about the value: `?page=1.5` is "not an integer", not also "not at most 1000000".
 */
const TYPE_CHECKS = new Set(['isInt', 'isNumber', 'isString', 'isBoolean', 'isDate', 'isIn', 'isEnum', 'isObject', 'isArray', 'isUuid']);

/** Each failed constraint as a problem at its property's path (`steps.0.name`), nested ones included; a failed type alone. */
export function problemsOf(errors: ValidationError[], parent = ''): Problem[] {
  return errors.flatMap((e) => {
    const path = parent ? `${parent}.${e.property}` : e.property;
    const failed = Object.entries(e.constraints ?? {});
    const types = failed.filter(([name]) => TYPE_CHECKS.has(name));
    const own = (types.length ? types : failed).map(([, message]) => ({ path, message }));
    return [...own, ...problemsOf(e.children ?? [], path)];
  });
}

/**
 * The global ValidationPipe, reporting each problem at its path from its part of the request
 * (`body.steps.0.name`, `query.page`; Nest's default message list puts an unknown field's at
 * "property"), and refusing a value nested deeper than {@link DTO_MAX_DEPTH} before
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
    if (!this.toValidate(metadata)) return super.transform(value, metadata);
    // A body no JSON parser took is bytes (application/octet-stream…) or text (text/plain, YAML): a
    // media type this route does not take, not a JSON body with wrong fields (and bytes are not walked).
    if (metadata.type === 'body' && (ArrayBuffer.isView(value) || typeof value === 'string')) {
      throw new AppError(ErrorCode.UNSUPPORTED_MEDIA_TYPE, 'This route takes a JSON body', [{ path: 'headers.content-type', message: 'must be application/json' }]);
    }
    const root = rootOf(metadata);
    const shape = jsonShapeProblems(value, root, { maxDepth: DTO_MAX_DEPTH }, 1);
    const early = shape.length ? shape : problemsUnder(root, oversizedArrayProblems(value, metadata.metatype));
    if (early.length) throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', early);
    const inherited = problemsUnder(root, inheritedNameProblems(value, metadata.metatype));
    // The exceptionFactory cannot know the part of the request, so the DTO's own refusal is rooted here.
    const checked = super.transform(value, metadata).catch((e: unknown) => Promise.reject(rootedAt(root, e)));
    if (!inherited.length) return checked;
    // Listed with whatever else the DTO's own checks find, as every refusal lists all its problems.
    const others = await checked.then(() => [], (e: unknown) => {
      if (e instanceof AppError) return e.problems;
      throw e;
    });
    throw new AppError(ErrorCode.INVALID_REQUEST, 'The request is invalid', [...inherited, ...others]);
  }
}

/**
 * Keys named like members every object inherits (`constructor`, `toString`, `__proto__`…), at any
 * depth. Nest deletes some in place and class-transformer skips the others, so they were dropped
 * without a word: an unknown `?constructor=` was ignored where `?other=` is refused, and a skipped
 * step's output lost such keys. Refused instead, named by path: in a DTO (and the DTOs it nests with
 * `@Type`) as any unknown field, in free-form JSON below it as a key this route cannot keep. Walks
 * with its own stack and stops at the first few, as jsonShapeProblems does.
 */
function inheritedNameProblems(value: unknown, dto: unknown, max = 10): Problem[] {
  const problems: Problem[] = [];
  // `refused` marks a key found inherited, reported when popped so that problems come in document order.
  const stack: Array<{ node: unknown; dto: unknown; path: string; refused?: string }> = [{ node: value, dto, path: '' }];
  while (stack.length > 0 && problems.length < max) {
    const { node, dto: type, path, refused } = stack.pop()!;
    if (refused) {
      problems.push({ path, message: type ? `property ${refused} should not exist` : `key ${refused} names a member every object inherits, which this route cannot keep` });
      continue;
    }
    if (node === null || typeof node !== 'object' || ArrayBuffer.isView(node)) continue;
    const entries = Array.isArray(node) ? node.map((item, i) => [String(i), item] as const) : Object.entries(node);
    for (let e = entries.length - 1; e >= 0; e--) {
      const [key, child] = entries[e];
      const at = path ? `${path}.${key}` : key;
      if (Array.isArray(node)) stack.push({ node: child, dto: type, path: at });
      else if (INHERITED_NAMES.has(key)) stack.push({ node: undefined, dto: type, path: at, refused: key });
      else stack.push({ node: child, dto: type && nestedDto(type, key, node), path: at });
    }
  }
  return problems;
}

/**
 * The DTO's fields holding more items than their `@ArrayMaxSize`, refused before class-transformer
 * and class-validator turn and check every item: 60,000 presence steps took 1.8 s of CPU to be
 * refused (no nested DTO has a bounded array of its own).
 */
function oversizedArrayProblems(value: unknown, dto: unknown): Problem[] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [];
  return getMetadataStorage().getTargetValidationMetadatas(dto as new () => object, '', false, false)
    .filter((meta) => meta.name === 'arrayMaxSize')
    .flatMap((meta) => {
      const field = (value as Record<string, unknown>)[meta.propertyName];
      const max = meta.constraints[0] as number;
      return Array.isArray(field) && field.length > max
        ? [{ path: meta.propertyName, message: `${meta.propertyName} must contain no more than ${max} elements` }] : [];
    });
}

/** The DTO a field holds when `@Type` says so (as class-transformer reads it), else undefined: free-form JSON. */
function nestedDto(dto: unknown, key: string, object: object): unknown {
  const meta = defaultMetadataStorage.findTypeMetadata(dto as new () => object, key);
  return meta?.typeFunction ? meta.typeFunction({ newObject: {}, object: object as Record<string, unknown>, property: key }) : meta?.reflectedType;
}
