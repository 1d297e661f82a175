import { stdSerializers } from 'pino';

/** Enough of a statement to recognise it, as DatabaseLogger logs it. */
const MAX_QUERY_LENGTH = 200;

/**
 * What pino's error serializer copies from a failed statement (TypeORM's QueryFailedError, the
 * driver's error) that holds the statement's values, a run's payload among them: its parameters
 * (a Buffer one as a JSON array of every byte), the driver's error whole, and PostgreSQL's
 * `detail` ("Failing row contains (…)", "Key (…)=(…) already exists"), `where` (the JSON text a
 * jsonb value failed to parse) and `internalQuery`. Its `code` and message are kept: TypeORM
 * copies the driver's onto the error itself.
 */
const DROPPED = new Set(['parameters', 'driverError', 'detail', 'where', 'internalQuery']);

/**
 * How deep into causes and aggregated errors the values to mask are looked for: pino writes every
 * cause it can reach, so far beyond any real wrapping, yet bounded (and each error looked at once).
 */
const MAX_DEPTH = 32;

type Serialized = ReturnType<typeof stdSerializers.err> & Record<string, unknown>;

/**
 * pino's error serializer (type, message and stack, causes included, and the error's own
 * fields), less what a failed statement says of its values: an error logged as `err` (the error
 * filter's 500, a loop's defect) must not write what DatabaseLogger promises never to log.
 */
export function loggedError(err: unknown): unknown {
  const serialized = stdSerializers.err(err as Error) as unknown;
  if (serialized === err) return err; // not an error: a message logged as `err`
  return withoutValues(serialized as Serialized);
}

function withoutValues(serialized: Serialized): Serialized {
  for (const key of Object.keys(serialized)) {
    const value = serialized[key];
    if (DROPPED.has(key)) delete serialized[key];
    else if (key === 'query' && typeof value === 'string') serialized.query = shortened(value);
    else if (isSerializedError(value)) serialized[key] = withoutValues(value);
    // An AggregateError's errors, each serialized whole, a failed statement's values and all.
    else if (key === 'aggregateErrors' && Array.isArray(value)) serialized[key] = value.map((e) => (isSerializedError(e) ? withoutValues(e) : e));
  }
  // PostgreSQL quotes a value it could not take (`invalid input syntax for type integer: "…"`), and
  // pino writes the causes' messages and stacks into the error's: a cause's values are masked there too.
  const parameters = parametersWithin(serialized.raw);
  serialized.message = masked(serialized.message, parameters);
  serialized.stack = masked(serialized.stack, parameters);
  return serialized;
}

/** The string parameters of the failed statements in `error`, its causes and aggregated errors. */
function parametersWithin(error: unknown, depth = 0, seen = new Set<unknown>(), found = new Set<string>()): Set<string> {
  if (depth > MAX_DEPTH || typeof error !== 'object' || error === null || seen.has(error)) return found;
  seen.add(error);
  const { parameters, cause, errors } = error as { parameters?: unknown; cause?: unknown; errors?: unknown };
  if (Array.isArray(parameters)) for (const p of parameters) if (typeof p === 'string') found.add(p);
  parametersWithin(cause, depth + 1, seen, found);
  if (Array.isArray(errors)) for (const e of errors) parametersWithin(e, depth + 1, seen, found);
  return found;
}

function isSerializedError(value: unknown): value is Serialized {
  return typeof value === 'object' && value !== null && 'stack' in value && 'type' in value;
}

function shortened(query: string): string {
  const line = query.replace(/\s+/g, ' ').trim();
  return line.length > MAX_QUERY_LENGTH ? `${line.slice(0, MAX_QUERY_LENGTH)}…` : line;
}

/** `text` with each string parameter it quotes replaced by `***` (shorter ones match too much of anything). */
function masked(text: string, parameters: Set<string>): string {
  if (typeof text !== 'string') return text;
  let result = text;
  for (const p of parameters) if (p.length >= 4) result = result.split(p).join('***');
  return result;
}
