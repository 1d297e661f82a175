import { ValidateBy, ValidationOptions } from 'class-validator';

export const MAX_OUTPUT_BYTES = 64 * 1024;
export const MAX_OUTPUT_DEPTH = 32;

/** Why a JSON value cannot be stored as a step output, or undefined when it can. */
export function jsonProblem(value: unknown, maxBytes = MAX_OUTPUT_BYTES, maxDepth = MAX_OUTPUT_DEPTH): string | undefined {
  const text = JSON.stringify(value) ?? 'null';
  if (Buffer.byteLength(text) > maxBytes) return `must be at most ${maxBytes} bytes of JSON`;
  // PostgreSQL's jsonb refuses NUL in any string; caught here it is a 400, not a failed write.
  if (text.includes('\\u0000')) return 'must not contain NUL characters';
  const depth = (v: unknown): number => (v !== null && typeof v === 'object'
    ? 1 + Math.max(0, ...Object.values(v as Record<string, unknown>).map(depth)) : 0);
  if (depth(value) > maxDepth) return `must be nested at most ${maxDepth} levels deep`;
  return undefined;
}

/** Any JSON value within the size, depth and character limits a stored output has. */
export function IsBoundedJson(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({
    name: 'isBoundedJson',
    validator: {
      validate: (value) => jsonProblem(value) === undefined,
      defaultMessage: (args) => `${args?.property} ${jsonProblem(args?.value) ?? 'is invalid'}`,
    },
  }, options);
}
