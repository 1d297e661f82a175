import { OutputNotJsonError, OutputRefusedError, type NonRetryableError } from './errors';
import type { WireReply } from './wire';

/*
 * Baton's rules for what a reply carries (its step-reply schema). A reply that breaks one is
 * refused (400 or 413 over HTTP, a dead letter on a broker) however often it is sent, and a
 * recorded output would be replayed, and refused, at every delivery until the step timed out.
 */

/** Deepest nesting Baton takes in an output, the top level being 1 (its RUN_PAYLOAD_MAX_DEPTH). */
export const OUTPUT_MAX_DEPTH = 100;

/** Baton keeps this many characters of a reply's error: the rest would only make the reply bigger. */
export const ERROR_MAX_LENGTH = 10_000;

/**
 * The largest reply, as bytes of JSON, each broker transport carries to Baton by default: a broker
 * that refuses a publish gives no answer the worker could act on, so the reply would be handled
 * again at every delivery. Over HTTP there is none: Baton answers a body over its
 * BODY_LIMIT_BYTES (which a deployment may raise) with a 413, and the reply becomes REPLY_REFUSED.
 */
export const DEFAULT_MAX_REPLY_BYTES = {
  /** The brokers' default message.max.bytes (1 MiB and a record batch's header), less 8 KiB for the batch and headers. */
  kafka: 1024 * 1024 - 8 * 1024,
  /** RabbitMQ 4's max_message_size (RabbitMQ 3 allows 128 MiB). */
  rabbitmq: 16 * 1024 * 1024,
} as const;

/** PostgreSQL stores neither NUL nor a lone UTF-16 surrogate, in a string or a key (Baton's UNSTORABLE). */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/**
 * Why Baton would refuse this reply's output, or undefined when it takes it. The output is checked
 * as Baton receives it (after JSON, so `toJSON` and dropped `undefined`s count), in the one
 * serialization that also measures the reply, the body Baton's size limit applies to. What JSON
 * cannot carry, or would carry as something else, is named first (OUTPUT_NOT_JSON), then a reply
 * too large, then what Baton refuses (OUTPUT_REFUSED); among values the check itself stops at, the
 * first written.
 */
export function outputProblem(reply: WireReply, maxReplyBytes: number): NonRetryableError | undefined {
  return checkOutput(reply, maxReplyBytes).problem;
}

/**
 * {@link outputProblem}, and when there is none the output as that serialization wrote it
 * (undefined: the reply carries none): the result store keeps this text, not the handler's live
 * object, which the handler may still change and whose `toJSON` would run at every replay.
 */
export type OutputCheck = { problem: NonRetryableError; json?: undefined } | { problem?: undefined; json: string | undefined };

export function checkOutput(reply: WireReply, maxReplyBytes: number): OutputCheck {
  // The output alone, under the key it has in the reply, so that its text can be kept as it is.
  const root = { output: reply.output };
  const check = outputCheck(root);
  let text: string;
  try {
    text = JSON.stringify(root, check.replacer);
  } catch (error) {
    if (check.notJson) return { problem: check.notJson };
    if (!check.refused) return { problem: new OutputNotJsonError(error) };
    // The check stops at its problem, so a deep output cannot overflow the stack in a serialization
    // with a replacer. Whether the whole output is JSON, and the reply's size, still come first:
    // only a refused output pays for this plain pass.
    try {
      text = JSON.stringify(root);
    } catch (notJson) {
      return { problem: new OutputNotJsonError(notJson) };
    }
  }
  // The reply as a transport writes it is the envelope's `{…}` with `,"output":…` before its `}`,
  // unless the output writes nothing (then `root` is `{}`).
  const envelope = JSON.stringify({ ...reply, output: undefined });
  const bytes = Buffer.byteLength(envelope) + (text === '{}' ? 0 : Buffer.byteLength(text) - 1);
  if (bytes > maxReplyBytes) {
    return { problem: new OutputRefusedError(`the reply carrying the output is ${bytes} bytes of JSON, over maxReplyBytes (${maxReplyBytes})`) };
  }
  if (check.refused) return { problem: check.refused };
  return { json: text === '{}' ? undefined : text.slice(OUTPUT_PREFIX.length, -1) };
}

const OUTPUT_PREFIX = '{"output":';

const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

/**
 * An error text as Baton keeps it: what PostgreSQL cannot store becomes U+FFFD (Baton does the
 * same on receipt), cut to ERROR_MAX_LENGTH characters, never inside a surrogate pair. Made so
 * before it is sent, it is also what the result store records of a failure and replays, which a
 * NUL would fail to record in PostgreSQL at every delivery.
 */
export function errorForReply(text: string): string {
  const storable = text.replace(UNSTORABLE_ALL, '\uFFFD');
  if (storable.length <= ERROR_MAX_LENGTH) return storable;
  return storable.slice(0, /[\uD800-\uDBFF]/.test(storable[ERROR_MAX_LENGTH - 1]) ? ERROR_MAX_LENGTH - 1 : ERROR_MAX_LENGTH);
}

/**
 * A JSON.stringify replacer that refuses, by throwing, at the first problem in the output as it is
 * written. It sees each value after `toJSON`, and its `this` is the object or array being written,
 * so the containers still open (and the depth) are those down to that holder.
 */
function outputCheck(root: { output: unknown }) {
  const open: object[] = []; // the output's containers being written, outermost first
  const keys: string[] = []; // keys[i]: where open[i] sits in open[i - 1]
  const check = { refused: undefined as OutputRefusedError | undefined, notJson: undefined as OutputNotJsonError | undefined, replacer };
  const refuse = (why: string) => {
    throw (check.refused = new OutputRefusedError(why));
  };

  function replacer(this: unknown, key: string, value: unknown): unknown {
    if (this === root ? key !== 'output' : !closeUpTo(this)) return value; // not in the output
    // Not written: neither it nor its key reaches Baton. As the output, or in an array, it is
    // written as null: `undefined` is a void handler's output, a hole in an array; a function or a
    // symbol there is an output lost without a word, refused below.
    if (value === undefined) return value;
    if ((typeof value === 'function' || typeof value === 'symbol') && this !== root && !Array.isArray(this)) return value;
    const lost = lostInJson(value);
    if (lost) throw (check.notJson = new OutputNotJsonError(`${where(key)} ${lost}`));
    // JSON.stringify's own errors for these name no path, and a cycle's runs over several lines.
    if (typeof value === 'bigint' || value instanceof BigInt) {
      throw (check.notJson = new OutputNotJsonError(`${where(key)} is a BigInt, which JSON cannot carry: return it as a string or a number`));
    }
    const back = typeof value === 'object' && value !== null ? open.indexOf(value) : -1;
    if (back >= 0) throw (check.notJson = new OutputNotJsonError(`${where(key)} is a cycle back to ${pathTo(back)}, which JSON cannot carry`));
    if (open.length > 0 && !Array.isArray(open[open.length - 1])) {
      const reason = unstorable(key);
      // Quoted as JSON: the message must not carry the very character it complains of.
      if (reason) refuse(`${where()}[${JSON.stringify(key)}] key ${reason}`);
    }
    // A String object is written as the string it holds, a Number or Boolean one as a primitive.
    if (typeof value === 'string' || value instanceof String) {
      const reason = unstorable(String(value));
      if (reason) refuse(`${where(key)} ${reason}`);
    } else if (typeof value === 'number' || value instanceof Number) {
      // Past 2^53 a double skips integers: 2 ** 60 is written 1152921504606847000, which a 64-bit reader takes for another id.
      if (Math.abs(Number(value)) > Number.MAX_SAFE_INTEGER) {
        refuse(`${where(key)} is ${Number(value)}, past ±${Number.MAX_SAFE_INTEGER} (2^53 - 1), which would not arrive exactly: return it as a string`);
      }
    } else if (typeof value === 'object' && value !== null && !(value instanceof Number) && !(value instanceof Boolean)) {
      open.push(value);
      keys.push(key);
      if (open.length > OUTPUT_MAX_DEPTH) refuse(`output nests deeper than ${OUTPUT_MAX_DEPTH} levels (at ${where()})`);
    }
    return value;
  }

  /** Closes the containers written in full since; false when `holder` is not in the output. */
  function closeUpTo(holder: unknown): boolean {
    while (open.length > 0 && open[open.length - 1] !== holder) {
      open.pop();
      keys.pop();
    }
    return open.length > 0;
  }

  /** The path of the innermost open container, or of its value at `key`: built only to name a problem. */
  function where(key?: string): string {
    const path = pathTo(open.length - 1);
    if (key === undefined || open.length === 0) return path;
    return path + (Array.isArray(open[open.length - 1]) ? `[${key}]` : `.${key}`);
  }

  /** The path of the open container at `depth` (0: the output itself). */
  function pathTo(depth: number): string {
    let path = 'output';
    for (let i = 1; i <= depth; i++) path += Array.isArray(open[i - 1]) ? `[${keys[i]}]` : `.${keys[i]}`;
    return path;
  }

  return check;
}

/** Containers JSON writes as `{}` whatever they hold; one of them in an output is a mistake, not an empty object. */
const OPAQUE: ReadonlyArray<new (...args: never[]) => object> = [Map, Set, WeakMap, WeakSet, Promise];

/**
 * How JSON.stringify would write `value` as something else, without complaint: NaN and the
 * infinities as null (Baton refuses a non-finite number in a reply), a function or a symbol as
 * null, a Map, a Set or a promise as `{}`. Undefined when it is written as it is.
 */
function lostInJson(value: unknown): string | undefined {
  if (typeof value === 'function' || typeof value === 'symbol') return `is a ${typeof value}, which JSON writes as null`;
  if (typeof value === 'number' || value instanceof Number) {
    const n = Number(value);
    return Number.isFinite(n) ? undefined : `is ${n}, which JSON writes as null: Baton takes only finite numbers`;
  }
  const opaque = typeof value === 'object' && value !== null ? OPAQUE.find((type) => value instanceof type) : undefined;
  return opaque && `is a ${opaque.name}, which JSON writes as {}`;
}

/** Why PostgreSQL (Baton's, or PostgresResultStore's) cannot store `text`, or undefined when it can. */
export function unstorable(text: string): string | undefined {
  const found = UNSTORABLE.exec(text);
  if (!found) return undefined;
  const what = found[0] === '\u0000' ? 'a NUL character (\\u0000)' : 'an unpaired UTF-16 surrogate';
  return `contains ${what} at ${found.index}, which Baton cannot store`;
}
